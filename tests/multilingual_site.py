"""A fixture site in English, French, Persian and Japanese, with translated articles: the
languages issue's test site (tests/test_languages.py, tests/test_languages_browser.py).
Each language has a taxonomy term (regions), a series of two parts, a month archive and an
old URL (an alias) of its talks article. Every text here was written for these tests."""

from __future__ import annotations

from pathlib import Path

from conftest import write_files

CONFIG = """
title: The Long View
description: Foreign policy news, analysis and opinion.
base_url: https://example.test/
timezone: UTC
per_page: 2
publisher:
  name: The Long View
taxonomies:
  - name: regions
    title: Regions
languages:
  - en
  - tag: fr
    title: La Vue longue
    description: Politique étrangère, analyses et opinions.
    strings: {taxonomy.regions: Régions}
  - tag: fa
    title: نگاه بلند
    description: خبر، تحلیل و دیدگاه دربارهٔ سیاست خارجی.
    strings: {taxonomy.regions: مناطق}
  - tag: ja
    title: 長い視点
    description: 外交をめぐるニュース、分析、オピニオン。
    strings: {taxonomy.regions: 地域}
"""

AUTHORS = {
    "content/authors/ann-lee.yaml": """
        name: Ann Lee
        role:
          en: Senior Editor
          fr: Rédactrice en chef adjointe
          fa: دبیر ارشد
          ja: 上級編集者
        bio:
          en: Ann Lee covers diplomacy in the Gulf.
          fr: Ann Lee couvre la diplomatie dans le Golfe.
          fa: Ann Lee دربارهٔ دیپلماسی در خلیج فارس می‌نویسد.
          ja: Ann Leeは湾岸地域の外交を取材している。
        links:
          website: https://example.test/ann
    """,
    "content/authors/reza-karimi.yaml": """
        name: Reza Karimi
        role:
          en: Correspondent
          fr: Correspondant
          fa: خبرنگار
          ja: 特派員
        bio:
          en: Reza Karimi reports from Tehran.
          fa: Reza Karimi از تهران گزارش می‌دهد.
          ja: Reza Karimiはテヘランから報じている。
    """,
}

EN_TALKS = " ".join(["Negotiators met again on Tuesday and agreed to keep talking."] * 50)
FR_TALKS = " ".join(["Les négociateurs se sont retrouvés mardi et ont convenu de continuer."]
                    * 40)
FA_TALKS = " ".join(["مذاکره‌کنندگان روز سه‌شنبه دوباره دیدار کردند و توافق کردند که "
                     "گفت‌وگو را ادامه دهند."] * 40)
JA_SENTENCE = "交渉担当者は火曜日に再び会い、協議を続けることで合意した。"
JA_TALKS = JA_SENTENCE * 40  # 28 characters each, 27 of them kana or kanji: 1,080

ARTICLES = {
    "content/articles/2025/talks.md": f"""
        ---
        title: Talks Resume in Muscat
        subtitle: Both sides say the door is open.
        date: 2025-03-10T08:00:00Z
        updated: 2025-03-11T09:00:00Z
        authors: [ann-lee, reza-karimi]
        tags: [Iran, Diplomacy]
        regions: [Gulf]
        series: Gulf Diplomacy
        aliases: [/2025/muscat-talks.html]
        section: analysis
        corrections:
          - date: 2025-03-12
            text: An earlier version misstated the day of the meeting.
        ---
        {EN_TALKS}
    """,
    "content/articles/fr/2025/talks.md": f"""
        ---
        title: Reprise des pourparlers à Mascate
        subtitle: Les deux camps disent que la porte reste ouverte.
        date: 2025-03-10T09:00:00Z
        authors: [ann-lee]
        tags: [Iran, Diplomatie]
        regions: [Golfe]
        series: Diplomatie du Golfe
        aliases: [/fr/pourparlers/]
        section: analysis
        corrections:
          - date: 2025-03-12
            text: Une version précédente se trompait sur le jour de la rencontre.
        ---
        {FR_TALKS}
    """,
    "content/articles/fa/2025/talks.md": f"""
        ---
        title: ازسرگیری گفت‌وگوها در مسقط
        subtitle: هر دو طرف می‌گویند در باز است.
        date: 2025-03-10T10:00:00Z
        authors: [reza-karimi, ann-lee]
        tags: [ایران, دیپلماسی]
        regions: [خلیج فارس]
        series: دیپلماسی خلیج فارس
        aliases: [/fa/goftogoo/]
        section: analysis
        corrections:
          - date: 2025-03-12
            text: در نسخهٔ پیشین روز دیدار نادرست آمده بود.
        ---
        {FA_TALKS}
    """,
    "content/articles/ja/2025/talks.md": f"""
        ---
        title: マスカットで協議再開
        subtitle: 双方とも扉は開いていると話す。
        date: 2025-03-10T11:00:00Z
        author: ann-lee
        tags: [イラン, 外交]
        regions: [湾岸]
        series: 湾岸外交
        aliases: [/ja/kyogi/]
        section: analysis
        ---
        {JA_TALKS}
    """,
    "content/articles/2025/sanctions.md": """
        ---
        title: Sanctions Are Not a Strategy
        date: 2025-03-05T08:00:00Z
        author: ann-lee
        tags: [Iran, Sanctions]
        series: Gulf Diplomacy
        section: opinion
        ---
        Pressure without a plan for talks has rarely worked.
    """,
    "content/articles/fa/2025/sanctions.md": """
        ---
        title: تحریم راهبرد نیست
        date: 2025-03-05T09:00:00Z
        author: ann-lee
        tags: [ایران, تحریم]
        series: دیپلماسی خلیج فارس
        section: opinion
        ---
        فشار بدون برنامه‌ای برای مذاکره به‌ندرت نتیجه داده است.
    """,
    "content/articles/ja/2025/sanctions.md": """
        ---
        title: 制裁は戦略ではない
        date: 2025-03-05T10:00:00Z
        author: ann-lee
        tags: [イラン, 制裁]
        series: 湾岸外交
        section: opinion
        ---
        交渉の計画を欠いた圧力が成果を上げたことはほとんどない。
    """,
    "content/articles/2025/tehran-notes.md": """
        ---
        title: یادداشت‌های تهران
        lang: fa
        date: 2025-03-01T08:00:00Z
        author: reza-karimi
        tags: [تهران]
        section: news
        ---
        بازار تهران این هفته آرام بود.
    """,
    "content/articles/fr/2025/breve.md": """
        ---
        title: Brève du Golfe
        date: 2025-03-02T08:00:00Z
        author: ann-lee
        tags: [Golfe]
        series: Diplomatie du Golfe
        section: news
        ---
        Une semaine calme dans les ports du Golfe.
    """,
    "content/articles/2025/ports.md": """
        ---
        title: Quiet Week in Gulf Ports
        date: 2025-03-02T07:00:00Z
        author: ann-lee
        tags: [Gulf]
        section: news
        translation_key: 2025/breve
        ---
        Shipping moved normally through the Gulf this week.
    """,
}

PAGES = {
    "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
    "content/pages/fr/about.md": "---\ntitle: À propos\n---\nQui nous sommes.\n",
    "content/pages/fa/about.md": "---\ntitle: دربارهٔ ما\n---\nما که هستیم.\n",
    "content/pages/ja/about.md": "---\ntitle: 私たちについて\n---\n私たちについて。\n",
    "content/pages/corrections-policy.md": "---\ntitle: Corrections policy\n---\nWe fix errors.\n",
}

# What a reader may meet untranslated on any page: people's and formats' names, the
# command that turns search on, and JavaScript.
NAMES = ["Ann Lee", "Reza Karimi", "The Long View", "JSON Feed", "Atom", "RSS", "Pagefind",
         "sitegen build", "JavaScript", "Muscat"]


def write_site(root: Path) -> Path:
    """The fixture site's files under `root`."""
    return write_files(root, {"sitegen.yaml": CONFIG, **AUTHORS, **ARTICLES, **PAGES})
