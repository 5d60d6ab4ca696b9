"""Languages (issue 15): a site localised in one language, and a multilingual site in
English, French, Persian and Japanese with translated articles, read as files: every string
of every page kind in each language, no English left on a Persian or Japanese page but
names, hreflang reciprocity over the whole site and its sitemap, per-language feeds and
search, reading times by script, and the errors."""

from __future__ import annotations

import json
import math
import re
import shutil
import string
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import FIXED_NOW, tree_bytes
from multilingual_site import JA_TALKS, NAMES, write_site

from sitegen.engine.build import Builder, BuildOptions, build
from sitegen.locale import catalogue, reading, tags

LANGUAGES = ["en", "fr", "fa", "ja"]
ROOTS = {"en": "", "fr": "fr/", "fa": "fa/", "ja": "ja/"}
ORIGIN = "https://example.test"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("languages") / "site")
    build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW, jobs=1))
    return site / "build"


class Page(HTMLParser):
    """What a reader meets on a page: its text (not scripts or styles), the labels screen
    readers read (aria-label, alt), and its <link> and <html> attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.labels: list[str] = []
        self.links: list[dict[str, str]] = []
        self.html: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "html":
            self.html = values
        if tag == "link":
            self.links.append(values)
        for name in ("aria-label", "alt"):
            if values.get(name):
                self.labels.append(values[name])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(["".join(self.text), *self.labels]).split())

    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links
                if link.get("rel") == "alternate" and "hreflang" in link}


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages_of(build: Path, language: str) -> list[Path]:
    """The HTML pages of one language (the default's: those outside the others' folders)."""
    if language != "en":
        return sorted((build / language).rglob("*.html"))
    others = (*tuple(f"{tag}/" for tag in LANGUAGES[1:]), "pagefind/")
    return sorted(p for p in build.rglob("*.html")
                  if not p.relative_to(build).as_posix().startswith(others))


def fragments(message: Any) -> list[list[str]]:
    """The fixed words of a message (its text without placeholders), one list per form."""
    forms = [message] if isinstance(message, str) else list(message.values())
    found = []
    for form in forms:
        parts = [literal for literal, _, _, _ in string.Formatter().parse(form)]
        words = [p for part in parts for p in re.split(r"\[|\]", part)]
        found.append([w.strip(" :：") for w in words if w.strip(" :：")])
    return found


def shows(text: str, message: Any) -> bool:
    """Whether one form of the message is on the page (all its fixed words)."""
    return any(all(word in text for word in form) for form in fragments(message))


# ------------------------------------------------------------- every string, every page kind

# Page (below a language's root) -> the keys of strings a reader meets on it.
KINDS: dict[str, list[str]] = {
    "index.html": ["skip_link", "nav.sections", "nav.authors", "nav.archive", "nav.search",
                   "footer.label", "footer.tags", "footer.corrections", "footer.feed",
                   "home.archive", "home.archive_word",
                   "section.analysis", "translations.page",
                   "translations.label"],
    "2025/03/10/talks/index.html": ["published", "reading_time", "byline",
                                    "article.tags", "article.about_authors",
                                    "article.more_by", "translations.label",
                                    "translations.article", "series.page_title",
                                    "series.part", "series.previous"],
    "analysis/index.html": ["section.analysis", "section.analysis.description",
                            "feed.follow"],
    "authors/index.html": ["authors.title", "authors.count"],
    "authors/ann-lee/index.html": ["author.articles_by", "feed.follow"],
    "tags/index.html": ["tags.title"],
    "archive/index.html": ["archive.title", "archive.by_year"],
    "archive/2025/03/index.html": ["archive.month_title", "archive.all_of_year",
                                   "archive.title", "translations.page"],
    "regions/index.html": ["translations.page"],
    "regions/*/index.html": ["feed.follow"],  # a glob: each language names its terms
    "series/index.html": ["series.title", "series.parts", "translations.page"],
    "series/*/index.html": ["series.label", "series.page_title", "series.in_order",
                            "series.all"],
    "corrections/index.html": ["corrections.title", "corrections.intro",
                               "feed.follow"],
    "search/index.html": ["search.title", "search.label", "search.button",
                          "search.noscript", "search.archive_word"],
    "editorial/index.html": ["section.editorial", "listing.empty"],
}
# The page at the old URL (an alias) of each language's talks article, and the first part
# of each language's series (talks is the second).
REDIRECTS = {"en": "2025/muscat-talks.html", "fr": "pourparlers/index.html",
             "fa": "goftogoo/index.html", "ja": "kyogi/index.html"}
FIRST_PARTS = {"en": "2025/03/05/sanctions/index.html", "fr": "2025/03/02/breve/index.html",
               "fa": "2025/03/05/sanctions/index.html", "ja": "2025/03/05/sanctions/index.html"}
WITH_CORRECTIONS = {"en", "fr", "fa"}  # the Japanese translation has none
CORRECTION_KEYS = {"2025/03/10/talks/index.html": ["corrections.heading", "corrections.all"],
                   "corrections/index.html": ["corrections.corrected"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_kind_shows_its_strings_in_the_page_language(built: Path,
                                                                language: str) -> None:
    strings = catalogue.plain_strings(language)
    missing = []
    kinds = {**KINDS, REDIRECTS[language]: ["redirect.title", "redirect.moved"],
             FIRST_PARTS[language]: ["series.part", "series.next"]}
    if language in WITH_CORRECTIONS:
        for page, keys in CORRECTION_KEYS.items():
            kinds[page] = kinds[page] + keys
    for rel, keys in kinds.items():
        text = read(one_page(built / ROOTS[language], rel)).visible
        missing += [f"{rel}: {key}" for key in keys if not shows(text, strings.messages[key])]
    assert missing == []


def one_page(root: Path, pattern: str) -> Path:
    """The one page a path (or a glob, for pages whose slug is in the language) names."""
    found = sorted(root.glob(pattern))
    assert len(found) == 1, f"{root / pattern}: {found}"
    return found[0]


def _placeholders(message: Any) -> list[set[str]]:
    forms = [message] if isinstance(message, str) else list(message.values())
    return [{name for _, name, _, _ in string.Formatter().parse(form) if name}
            for form in forms]


@pytest.mark.parametrize("language", catalogue.shipped_languages())
def test_every_catalogue_has_every_key_with_its_placeholders_and_plural_forms(
        language: str) -> None:
    """Each shipped language words every key of English, fills the same placeholders (a
    plural form may write its number as a word: مقال واحد), and has plural forms only of
    the categories CLDR gives the language."""
    english, own = catalogue.shipped("en"), catalogue.shipped(language)
    assert set(own) == set(english)
    categories = set(tags.locale(language).plural_form.tags) | {"other"}
    wrong = []
    for key, message in own.items():
        wanted = set().union(*_placeholders(english[key]))
        forms = _placeholders(message)
        if isinstance(message, str) and forms != [wanted]:
            wrong.append(f"{key}: {forms[0]} instead of {wanted}")
        if not all(form <= wanted for form in forms):
            wrong.append(f"{key}: a form fills other placeholders than {wanted}")
        if not isinstance(message, str) and not set(message) <= categories:
            wrong.append(f"{key}: {sorted(set(message) - categories)} not in {language}")
    assert wrong == []


def test_the_404_page_and_pagination_are_localised(built: Path) -> None:
    text = read(built / "404.html").visible  # one 404 page: the default language's
    for key in ("not_found.title", "not_found.help", "not_found.home", "not_found.archive"):
        assert shows(text, catalogue.shipped("en")[key]), key
    fa = catalogue.plain_strings("fa")
    second = read(built / "fa/archive/2025/03/page/2/index.html").visible  # no home pages
    for key in ("pagination.label", "pagination.status", "pagination.previous",
                "listing.page"):
        assert shows(second, fa.messages[key]), key
    assert "صفحهٔ ۲ از ۲" in second  # Persian digits in "Page 2 of 2"


def _english_fragments(language: str) -> set[str]:
    """English words of the catalogue that the language's own strings do not use."""
    own = catalogue.shipped(language)
    found = set()
    for key, message in catalogue.shipped("en").items():
        if key == "language.name":  # "English" in the list of the page's other languages
            continue
        mine = own[key]
        for form in fragments(message):
            for word in form:
                if len(word) >= 5 and not shows(str(mine), word) and word not in NAMES:
                    found.add(word)
    return found


@pytest.mark.parametrize("language", ["fr", "fa", "ja"])
def test_no_string_of_the_english_catalogue_is_left_on_other_languages_pages(
        built: Path, language: str) -> None:
    english = _english_fragments(language)
    left = []
    for path in pages_of(built, language):
        text = read(path).visible
        left += [f"{path.relative_to(built)}: {w!r}" for w in english if w in text]
    assert left == []


# Latin words a Persian or Japanese page may show: people's names, formats, the languages'
# own names in the "Read in" list, the links of an author's profile as the profile names
# them, and Muscat in the body of a test article written for it.
ALLOWED_LATIN = {w for name in NAMES for w in name.split()} | {
    "English", "Français", "Feed", "website"}


@pytest.mark.parametrize("language", ["fa", "ja"])
def test_no_english_is_left_on_persian_and_japanese_pages_but_names(built: Path,
                                                                    language: str) -> None:
    found = []
    for path in pages_of(built, language):
        text = re.sub(r"https?://\S+", "", read(path).visible)
        latin = set(re.findall(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'-]+", text)) - ALLOWED_LATIN
        if latin:
            found.append(f"{path.relative_to(built)}: {sorted(latin)}")
    assert found == []
    assert len(pages_of(built, language)) >= 15


# ------------------------------------------------------------- direction, dates, digits


@pytest.mark.parametrize(("language", "direction"),
                         [("en", "ltr"), ("fr", "ltr"), ("fa", "rtl"), ("ja", "ltr")])
def test_every_page_has_its_language_and_direction(built: Path, language: str,
                                                   direction: str) -> None:
    for path in pages_of(built, language):
        page = read(path)
        assert (page.html["lang"], page.html["dir"]) == (language, direction), path


def test_dates_numbers_and_lists_come_from_cldr(built: Path) -> None:
    fa = read(built / "fa/2025/03/10/talks/index.html").visible
    assert "انتشار: ۱۰ مارس ۲۰۲۵ – ۳ دقیقه مطالعه" in fa  # a dot would read as a zero: ۲۰۲۵۰۳
    assert "نوشتهٔ Reza Karimi و Ann Lee" in fa  # CLDR's Persian list pattern
    fr = read(built / "fr/2025/03/10/talks/index.html").visible
    assert "Publié le 10 mars 2025" in fr
    ja = read(built / "ja/2025/03/10/talks/index.html").visible
    assert "公開：2025年3月10日" in ja
    en = read(built / "2025/03/10/talks/index.html").visible
    assert "Published March 10, 2025 · Updated March 11, 2025" in en
    assert "By Ann Lee and Reza Karimi" in en
    archive = read(built / "fa/archive/index.html").visible
    assert "مارس (۳)" in archive and "۲۰۲۵" in archive
    fr_archive = read(built / "fr/archive/index.html").visible
    assert "Mars (2)" in fr_archive and "10 mars" in fr_archive


def test_latin_names_in_right_to_left_text_are_isolated(built: Path) -> None:
    html = (built / "fa/2025/03/10/talks/index.html").read_text(encoding="utf-8")
    assert '<bdi>Reza Karimi</bdi></a> و <a href="/fa/authors/ann-lee/"' in html
    assert "نوشته‌های دیگر <bdi>Ann Lee</bdi>" in html
    assert '<bdi>English</bdi>' in html and 'lang="fr"' in html


# ------------------------------------------------------------- archives, taxonomies, series


def heading(path: Path) -> str:
    """The page's <h1> as a reader sees it (its text, without markup)."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    assert found is not None, path
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def title(path: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
    assert found is not None, path
    return found.group(1)


@pytest.mark.parametrize(("language", "month", "month_title"), [
    ("en", "March 2025", "Archive: March 2025 | The Long View"),
    ("fr", "Mars 2025", "Archives : mars 2025 | La Vue longue"),
    ("fa", "مارس ۲۰۲۵", "بایگانی: مارس ۲۰۲۵ | نگاه بلند"),
    ("ja", "2025年3月", "アーカイブ：2025年3月 | 長い視点"),
])
def test_a_month_archive_is_named_as_its_language_writes_the_month(
        built: Path, language: str, month: str, month_title: str) -> None:
    page = built / ROOTS[language] / "archive/2025/03/index.html"
    assert heading(page) == month
    assert title(page) == month_title


@pytest.mark.parametrize(("language", "taxonomy", "term", "feed_title"), [
    ("en", "Regions", "Regions: Gulf | The Long View", "The Long View: Gulf"),
    ("fr", "Régions", "Régions : Golfe | La Vue longue", "La Vue longue : Golfe"),
    ("fa", "مناطق", "مناطق: خلیج فارس | نگاه بلند", "نگاه بلند: خلیج فارس"),
    ("ja", "地域", "地域：湾岸 | 長い視点", "長い視点：湾岸"),
])
def test_a_taxonomy_is_titled_in_each_language_on_its_pages_and_feeds(
        built: Path, language: str, taxonomy: str, term: str, feed_title: str) -> None:
    root = built / ROOTS[language]
    assert heading(root / "regions/index.html") == taxonomy
    page = one_page(root, "regions/*/index.html")
    assert title(page) == term
    assert f'href="/{ROOTS[language]}regions/">{taxonomy}</a>' in (
        root / "index.html").read_text(encoding="utf-8")  # the footer's link
    assert feedparser.parse(str(page.parent / "feed.xml")).feed.title == feed_title


@pytest.mark.parametrize(("language", "part", "count", "parts"), [
    ("en", "Part 2 of 2", "(2 parts)", "2 parts, in reading order"),
    ("fr", "Épisode 2 sur 2", "(2 épisodes)", "2 épisodes, dans l’ordre de lecture"),
    ("fa", "قسمت ۲ از ۲", "(۲ قسمت)", "۲ قسمت، به ترتیب خواندن"),
    ("ja", "第2回（全2回）", "(全2回)", "全2回（読む順に掲載）"),
])
def test_a_series_counts_its_parts_in_the_language_digits_and_plurals(
        built: Path, language: str, part: str, count: str, parts: str) -> None:
    root = built / ROOTS[language]
    assert part in read(root / "2025/03/10/talks/index.html").visible
    assert count in read(root / "series/index.html").visible
    assert parts in read(one_page(root, "series/*/index.html")).visible


def test_a_series_name_and_an_old_address_are_isolated_in_right_to_left_text(
        built: Path) -> None:
    html = (built / "fa/2025/03/10/talks/index.html").read_text(encoding="utf-8")
    assert '<bdi>دیپلماسی خلیج فارس</bdi></a>\u00a0– <span class="series-part">' in html
    moved = built / "fa/goftogoo/index.html"  # the alias: a path from the site's root
    assert (read(moved).html["lang"], read(moved).html["dir"]) == ("fa", "rtl")
    assert ('<a href="/fa/2025/03/10/talks/"><bdi>https://example.test/fa/2025/03/10/talks/'
            '</bdi></a>') in moved.read_text(encoding="utf-8")
    assert title(moved) == "صفحه منتقل شد: نگاه بلند"
    assert "/fa/goftogoo/ /fa/2025/03/10/talks/ 301" in (built / "_redirects").read_text(
        encoding="utf-8")


# ------------------------------------------------------------- reading time by script


def _reading_time(build: Path, rel: str) -> str:
    text = read(build / rel).visible
    return re.search(r"(\d+ min read|\d+分で読めます|[۰-۹]+ دقیقه مطالعه)", text).group(1)


def test_reading_time_counts_words_where_spaced_and_characters_in_japanese(
        built: Path) -> None:
    chars = len(reading.CJK.findall(JA_TALKS))
    assert chars == 1080
    assert _reading_time(built, "ja/2025/03/10/talks/index.html") == (
        f"{math.ceil(chars / 357)}分で読めます")  # 4, not the 1 that counting words gave
    assert _reading_time(built, "2025/03/10/talks/index.html") == "3 min read"  # 550 words
    assert _reading_time(built, "fa/2025/03/10/talks/index.html") == "۳ دقیقه مطالعه"
    data = _jsonld(built / "ja/2025/03/10/talks/index.html")
    assert data["wordCount"] == chars  # each character counts as a word


# ------------------------------------------------------------- hreflang and metadata


def _jsonld(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _url_of(build: Path, path: Path) -> str:
    rel = path.relative_to(build).as_posix()
    return ORIGIN + "/" + rel.removesuffix("index.html")


def test_every_hreflang_alternate_links_back(built: Path) -> None:
    heads = {_url_of(built, p): read(p).alternates() for p in built.rglob("*.html")
             if not p.relative_to(built).as_posix().startswith("pagefind/")}
    checked = 0
    for url, links in heads.items():
        if not links:
            continue
        own = [lang for lang, href in links.items() if href == url and lang != "x-default"]
        assert len(own) == 1, f"{url} names itself once: {links}"
        for _lang, href in links.items():
            other = heads.get(href)
            assert other is not None, f"{url} -> {href}, which is not a page"
            assert other.get(own[0]) == url, f"{href} does not link back to {url}"
            assert other["x-default"] == links["x-default"]
            checked += 1
    assert checked > 100
    talks = heads[ORIGIN + "/fa/2025/03/10/talks/"]
    assert set(talks) == {"en", "fr", "fa", "ja", "x-default"}
    assert talks["x-default"] == ORIGIN + "/2025/03/10/talks/"
    # A page without a translation names none; one in two languages names two.
    assert heads[ORIGIN + "/fa/2025/03/01/tehran-notes/"] == {}
    assert set(heads[ORIGIN + "/2025/03/02/ports/"]) == {"en", "fr", "x-default"}


def test_the_sitemap_names_each_pages_alternates_as_its_head_does(built: Path) -> None:
    text = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in text
    entries = re.findall(r"<url><loc>(.*?)</loc>.*?</url>", text)
    links = {loc: dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry))
             for loc, entry in re.findall(r"<url><loc>(.*?)</loc>(.*?)</url>", text)}
    assert ORIGIN + "/fa/" in entries and ORIGIN + "/ja/2025/03/10/talks/" in entries
    for loc, alternates in links.items():
        path = built / (loc.removeprefix(ORIGIN + "/") + "index.html")
        assert read(path).alternates() == alternates, loc


def test_json_ld_and_open_graph_name_the_language(built: Path) -> None:
    fa = built / "fa/2025/03/10/talks/index.html"
    assert _jsonld(fa)["inLanguage"] == "fa"
    html = fa.read_text(encoding="utf-8")
    assert '<meta property="og:locale" content="fa_IR">' in html
    alternates = re.findall(r'og:locale:alternate" content="([^"]+)"', html)
    assert alternates == ["en_US", "fr_FR", "ja_JP"]
    home = _jsonld(built / "ja/index.html")
    assert home["@graph"][0]["inLanguage"] == "ja"
    assert home["@graph"][0]["name"] == "長い視点"


# ------------------------------------------------------------- feeds and search


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_feeds(built: Path, language: str) -> None:
    root = built / ROOTS[language]
    atom = (root / "feed.xml").read_text(encoding="utf-8")
    assert f'xml:lang="{language}"' in atom
    feed = feedparser.parse(atom)
    links = [e.link for e in feed.entries]
    prefix = ORIGIN + "/" + ROOTS[language]
    assert links and all(link.startswith(prefix) for link in links)
    if language == "en":
        assert not any(re.match(ORIGIN + "/(fr|fa|ja)/", link) for link in links)
    rss = (root / "rss.xml").read_text(encoding="utf-8")
    assert f"<language>{language}</language>" in rss
    assert json.loads((root / "feed.json").read_text(encoding="utf-8"))["language"] == language


def test_feeds_human_text_is_in_the_feeds_language(built: Path) -> None:
    fr = feedparser.parse((built / "fr/corrections/feed.xml").read_text(encoding="utf-8"))
    assert fr.feed.title == "La Vue longue : rectificatifs"
    assert fr.entries[0].title == "Rectificatif : Reprise des pourparlers à Mascate"
    assert "Rectificatif à l’article" in fr.entries[0].content[0].value
    fa = json.loads((built / "fa/corrections/feed.json").read_text(encoding="utf-8"))
    assert fa["title"] == "نگاه بلند: اصلاحیه‌ها"
    assert fa["items"][0]["title"].startswith("اصلاحیه: ")
    assert "Correction" not in (built / "fa/corrections/rss.xml").read_text(encoding="utf-8")


def test_search_is_indexed_per_language(built: Path) -> None:
    entry = built / "pagefind" / "pagefind-entry.json"
    if not entry.is_file():
        pytest.skip("Pagefind is not installed (scripts/setup.sh search)")
    languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    assert set(languages) == {"en", "fr", "fa", "ja"}
    for language in ("fr", "fa", "ja"):
        html = (built / language / "search/index.html").read_text(encoding="utf-8")
        assert 'import(root + "pagefind/pagefind.js")' in html
        assert 'const root = "/";' in html  # one index, chosen by the page's lang


# ------------------------------------------------------------- authors, pages, rebuilds


def test_a_language_in_the_file_name_is_the_article_language_not_part_of_its_slug(
        tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    (site / "content/articles/2025/oil.md").write_text(
        "---\ntitle: Oil Prices Steady\ndate: 2025-03-03T08:00:00Z\nsection: news\n---\n"
        "Prices held.\n", encoding="utf-8")
    (site / "content/articles/2025/oil.fa.md").write_text(  # Hugo's way of naming it
        "---\ntitle: ثبات قیمت نفت\ndate: 2025-03-03T08:30:00Z\nsection: news\n---\n"
        "قیمت‌ها ثابت ماند.\n", encoding="utf-8")
    build(BuildOptions(site=site, output=tmp_path / "out", now=FIXED_NOW, jobs=1))
    page = read(tmp_path / "out/fa/2025/03/03/oil/index.html")
    assert page.html["lang"] == "fa"
    assert set(page.alternates()) == {"en", "fa", "x-default"}


def test_authors_are_shared_with_a_bio_and_role_per_language(built: Path) -> None:
    fa = read(built / "fa/authors/ann-lee/index.html").visible
    assert "دبیر ارشد" in fa and "دربارهٔ دیپلماسی در خلیج فارس" in fa
    fr = read(built / "fr/authors/ann-lee/index.html").visible
    assert "Rédactrice en chef adjointe" in fr and "couvre la diplomatie" in fr
    # Reza Karimi has no French bio: the default language's is shown.
    assert "reports from Tehran" in read(built / "fr/authors/reza-karimi/index.html").visible
    assert (built / "ja/authors/reza-karimi/index.html").is_file()


def test_a_multilingual_rebuild_in_place_is_byte_identical_to_a_clean_build(
        tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    out = tmp_path / "served"
    builder = Builder(BuildOptions(site=site, output=out, now=FIXED_NOW, jobs=1,
                                   in_place=True))
    builder.build()
    fa = site / "content/articles/fa/2025/talks.md"
    fa.write_text(fa.read_text(encoding="utf-8").replace("ازسرگیری", "آغاز دوبارهٔ"),
                  encoding="utf-8")
    builder.build(changed=[fa])
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".build.*",
                                                              ".sitegen-cache"))
    build(BuildOptions(site=copy, output=tmp_path / "clean", now=FIXED_NOW, jobs=1,
                       clean=True))
    served = {k: v for k, v in tree_bytes(out).items() if not k.startswith("pagefind/")}
    clean = {k: v for k, v in tree_bytes(tmp_path / "clean").items()
             if not k.startswith("pagefind/")}
    assert served == clean
    assert "آغاز دوبارهٔ" in (out / "fa/2025/03/10/talks/index.html").read_text(
        encoding="utf-8")

