"""Each page kind, built from a small fixture site, shows what a reader expects."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import FIXED_NOW
from htmlcheck import visible_text

ATOM = "{http://www.w3.org/2005/Atom}"


def build_site(cli, site: Path, *extra: str) -> Path:
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *extra)
    assert result.code == 0, result.err
    return site / "build"


def test_article_page_shows_the_whole_article(make_site, cli) -> None:
    out = build_site(cli, make_site())
    html = (out / "2024/03/01/first/index.html").read_text()
    text = visible_text(out / "2024/03/01/first/index.html")
    assert '<a class="label label-news" href="/news/" data-pagefind-meta="section">News</a>' in html
    assert "<h1" in html and "First Story" in text
    assert "The dek of the first story" in text
    assert 'href="/authors/ann-lee/"' in html
    assert ('<time datetime="2024-03-01T10:00:00+00:00" data-pagefind-meta="published[datetime]">'
            "March 1, 2024</time>") in html
    assert "1 min read" in text
    assert 'href="/tags/iran/"' in html and 'href="/tags/sanctions/"' in html
    assert "the “first” story" in text  # smart quotes in Markdown bodies
    assert "Senior Editor" in text and "Ann Lee is Senior Editor for Test Times." in text
    # related: shares tags with both others; third (newest, one shared tag) listed
    assert "Third Story" in text and "Second Story" in text


def test_neighbours_stay_in_the_section(make_site, cli) -> None:
    out = build_site(cli, make_site())
    first = (out / "2024/03/01/first/index.html").read_text()
    assert 'href="/2024/03/03/third/" rel="next"' in first  # next news article, skipping opinion
    third = (out / "2024/03/03/third/index.html").read_text()
    assert 'href="/2024/03/01/first/" rel="prev"' in third


def test_plain_text_article_renders_as_typed(make_site, cli) -> None:
    out = build_site(cli, make_site())
    text = visible_text(out / "2024/03/03/third/index.html")
    assert "Plain *text* with “quotes” — and a URL https://example.test/x." in text
    html = (out / "2024/03/03/third/index.html").read_text()
    assert '<a href="https://example.test/x">' in html


def test_home_is_a_front_page_not_a_paginated_list(make_site, cli) -> None:
    out = build_site(cli, make_site())
    home = (out / "index.html").read_text()
    assert 'teaser teaser-news teaser-lead' in home and "Third Story" in home  # newest leads
    text = visible_text(out / "index.html")
    # every desk's newest, whatever per_page says, each with a link to its section's page
    assert "First Story" in text and "Second Story" in text
    assert 'href="/opinion/">More in Opinion</a>' in home
    assert not (out / "page/2/index.html").exists()
    assert 'href="/archive/">the archive</a>' in home  # every article, newest first


def test_author_tag_section_and_archive_pages(make_site, cli) -> None:
    out = build_site(cli, make_site())
    ann = visible_text(out / "authors/ann-lee/index.html")
    assert "Ann Lee" in ann and "Senior Editor" in ann and "First Story" in ann
    assert "Second Story" in ann and "Third Story" not in ann
    authors = visible_text(out / "authors/index.html")
    assert "Ann Lee" in authors and "Bo Chen" in authors
    tags = visible_text(out / "tags/index.html")
    assert "Iran (2)" in tags and "Sanctions (2)" in tags
    iran = visible_text(out / "tags/iran/index.html")
    assert "First Story" in iran and "Second Story" in iran and "Third Story" not in iran
    news = visible_text(out / "news/index.html")
    assert "Third Story" in news and "First Story" in news and "Second Story" not in news
    assert (out / "editorial/index.html").is_file()  # empty sections still have a page
    archive = visible_text(out / "archive/index.html")
    assert "2024" in archive and "March (3)" in archive
    assert "Who we are." in visible_text(out / "about/index.html")


def test_archive_has_a_page_per_year_and_shows_the_newest_year(make_site, cli) -> None:
    out = build_site(cli, make_site({"content/articles/2019/old.md": """
        ---
        title: An Old Story
        date: 2019-07-04T10:00:00Z
        author: ann-lee
        ---
        From the archive.
    """}))
    archive = visible_text(out / "archive/index.html")
    assert "2024 (3)" in archive and "2019 (1)" in archive  # every year, with its count
    assert "March (3)" in archive and "First Story" in archive  # the newest year in full
    assert "An Old Story" not in archive
    old = visible_text(out / "archive/2019/index.html")
    assert "Archive: 2019" in old and "July (1)" in old and "An Old Story" in old
    assert "First Story" not in old
    assert 'href="/archive/2019/" aria-current="page"' in (out / "archive/2019/index.html"
                                                           ).read_text()
    assert "/archive/2019/" in (out / "sitemap.xml").read_text()


def test_feeds_for_every_author_tag_and_section(make_site, cli) -> None:
    out = build_site(cli, make_site())
    for rel in ["feed.xml", "authors/ann-lee/feed.xml", "tags/iran/feed.xml",
                "news/feed.xml", "opinion/feed.xml"]:
        root = ET.parse(out / rel).getroot()
        assert root.tag == f"{ATOM}feed", rel
    entries = ET.parse(out / "tags/iran/feed.xml").getroot().findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Second Story", "First Story"]
    second = entries[0]
    names = [a.find(f"{ATOM}name").text for a in second.findall(f"{ATOM}author")]
    assert names == ["Ann Lee", "Bo Chen"]
    assert second.find(f"{ATOM}published").text == "2024-03-02T10:00:00Z"


def test_drafts_and_future_articles_are_left_out_unless_asked(make_site, cli) -> None:
    site = make_site({
        "content/articles/2024/draft.md": "---\ntitle: Draft Piece\ndate: 2024-01-01\n"
                                          "draft: true\n---\nSecret.\n",
        "content/articles/2030/later.md": "---\ntitle: Later Piece\ndate: 2030-01-01\n---\nx\n",
    })
    out = build_site(cli, site)
    everything = " ".join(p.read_text() for p in out.rglob("*.*ml"))
    assert "Draft Piece" not in everything and "Later Piece" not in everything
    out = build_site(cli, site, "--drafts", "--future")
    assert (out / "2024/01/01/draft/index.html").is_file()
    assert (out / "2030/01/01/later/index.html").is_file()


def test_permalink_base_url_and_site_root_path(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": """
        title: Test Times
        base_url: https://example.test/news-site/
        permalinks:
          article: /{section}/{year}/{slug}/
        timezone: America/New_York
    """})
    out = build_site(cli, site)
    # 2024-03-01T10:00Z is March 1 in New York; the URL keeps base_url's path.
    page = out / "news/2024/first/index.html"
    assert page.is_file()
    html = page.read_text()
    assert 'href="/news-site/authors/ann-lee/"' in html
    assert "2024-03-01T05:00:00-05:00" in html
    assert "Sitemap: https://example.test/news-site/sitemap.xml" in (out / "robots.txt").read_text()


def test_date_only_article_is_dated_in_the_site_timezone(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://e.test/\n"
                                      "timezone: Asia/Tokyo\n"})
    out = build_site(cli, site)
    html = (out / "2024/03/03/third/index.html").read_text()
    assert 'datetime="2024-03-03T00:00:00+09:00"' in html


def test_site_theme_overrides_one_template(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: T\nbase_url: https://e.test/\ntheme: house\n",
        "themes/house/templates/404.html": "<p>House 404 for {{ site.title }}</p>\n",
        "static/css/style.css": "body { color: red; }\n",
    })
    out = build_site(cli, site)
    assert (out / "404.html").read_text() == "<p>House 404 for T</p>\n"
    assert "First Story" in (out / "2024/03/01/first/index.html").read_text()  # default theme
    assert (out / "css/style.css").read_text() == "body { color: red; }\n"  # site static wins


def test_summary_output_and_exit_code(make_site, cli) -> None:
    result = cli("build", "--site", make_site(), "--now", FIXED_NOW.isoformat())
    assert result.code == 0
    assert "Built" in result.out and "articles" in result.out and "feeds" in result.out
    quiet = cli("build", "--site", make_site(), "--quiet", "--now", FIXED_NOW.isoformat())
    assert quiet.out == ""


def test_author_profile_in_markdown(make_site, cli) -> None:
    site = make_site({"content/authors/cy-diaz.md": "---\nname: Cy Diaz\nrole: Columnist\n---\n"
                                                    "Cy Diaz writes **columns**.\n",
                      "content/articles/2024/fourth.md": "---\ntitle: Fourth\ndate: 2024-03-04\n"
                                                         "author: cy-diaz\n---\nBody.\n"})
    out = build_site(cli, site)
    html = (out / "authors/cy-diaz/index.html").read_text()
    assert "Cy Diaz writes <strong>columns</strong>." in html


def test_hidden_static_files_are_published_but_never_vcs_or_editor_files(make_site,
                                                                         cli) -> None:
    """`.well-known/` (security.txt, app links), `.nojekyll` and `.htaccess` are read by
    hosts; a `.git` folder, `.DS_Store` and swap files are nobody's business."""
    site = make_site({
        "static/.well-known/security.txt": "Contact: mailto:security@example.test\n",
        "static/.nojekyll": "",
        "static/.htaccess": "ErrorDocument 404 /404.html\n",
        "static/.git/config": "[core]\n",
        "static/.DS_Store": "junk",
        "static/css/.site.css.swp": "swap",
    })
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    out = site / "build"
    assert (out / ".well-known/security.txt").read_text().startswith("Contact:")
    assert (out / ".nojekyll").is_file() and (out / ".htaccess").is_file()
    for never in (".git", ".DS_Store", "css/.site.css.swp"):
        assert not (out / never).exists(), never


TABLE = "| Year | Cost |\n|---|---|\n| 2024 | 1 |\n"


def test_tables_on_pages_are_named_in_the_page_language(tmp_path, cli) -> None:
    """A standalone page's table, like an article's, is captioned (and its scrolling box
    named) in the page's language: the site's, or its folder's on a multilingual site."""
    from conftest import write_files

    site = write_files(tmp_path / "site", {
        "sitegen.yaml": ("title: T\nbase_url: https://example.test/\n"
                         "languages: [en, {tag: fr, title: T}, {tag: de, title: T}]\n"),
        "content/pages/rates.md": f"---\ntitle: Rates\n---\n{TABLE}",
        "content/pages/fr/tarifs.md": f"---\ntitle: Tarifs\n---\n{TABLE}",
        "content/pages/de/preise.md": f"---\ntitle: Preise\n---\n{TABLE}",
        "content/articles/2024/a.md": "---\ntitle: A\ndate: 2024-03-01\n---\nA.\n",
    })
    out = build_site(cli, site)
    expected = {"rates": "Table 1: Year and Cost", "fr/tarifs": "Tableau 1 : Year et Cost",
                "de/preise": "Tabelle 1: Year und Cost"}
    for path, caption in expected.items():
        html = (out / path / "index.html").read_text()
        assert ('<div class="table-scroll" role="region" aria-labelledby="table-1" '
                f'tabindex="0"><table><caption id="table-1">{caption}</caption>') in html, path
