"""Corrections the newsroom's way: a dated box at the top of the article, dateModified moved,
every correction gathered on /corrections/ (newest first) and in its own Atom feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from conftest import FIXED_NOW
from demo_content import ORIGIN, published_articles, when
from pagehead import read_head

ATOM = "{http://www.w3.org/2005/Atom}"


def corrections_page_items(path: Path) -> list[tuple[str, str, str]]:
    """(article link, datetime, text) of each correction listed on /corrections/."""
    html = path.read_text(encoding="utf-8")
    items = re.findall(r'<li class="correction-notice".*?</li>', html, re.DOTALL)
    found = []
    for item in items:
        href = re.search(r'<a href="([^"]+)">', item).group(1)
        stamp = re.search(r'<time datetime="([^"]+)"', item).group(1)
        text = re.search(r'<p class="correction-text">(.*?)</p>', item, re.DOTALL).group(1)
        found.append((href, stamp, text))
    return found


def test_demo_corrections_page_lists_every_correction_newest_first(demo_build: Path) -> None:
    corrected = [a for a in published_articles() if a.meta.get("corrections")]
    assert len(corrected) == 2
    expected = sorted(((when(c["date"]), c["text"], a) for a in corrected
                       for c in a.meta["corrections"]), key=lambda t: t[0], reverse=True)
    items = corrections_page_items(demo_build / "corrections/index.html")
    assert len(items) == len(expected)
    for (href, stamp, text), (date, wrote, article) in zip(items, expected, strict=True):
        page = demo_build / href.strip("/") / "index.html"
        assert read_head(page).one("og:title").endswith(article.title)
        assert datetime.fromisoformat(stamp) == date
        assert text == wrote


def test_demo_article_shows_dated_box_above_body(demo_build: Path) -> None:
    html = (demo_build / "2026/04/22/yemen-truce-red-sea-shipping/index.html").read_text()
    box = html.index('<section class="corrections"')
    assert box < html.index("data-pagefind-body")
    assert html.index('<h1 class="headline"') < box
    section = html[box:html.index("</section>", box)]
    assert '<time datetime="2026-04-24T00:00:00-04:00">April 24, 2026</time>' in section
    assert "brokered by Qatar" in section
    # The demo has a corrections policy page: the box links it, and all corrections.
    assert 'href="/corrections-policy/"' in section
    assert 'href="/corrections/"' in section


def test_demo_corrections_feed(demo_build: Path) -> None:
    root = ET.parse(demo_build / "corrections/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "The Long View: Corrections"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        ORIGIN + "/2026/04/22/yemen-truce-red-sea-shipping/",
        ORIGIN + "/2025/12/09/pentagon-budget-by-the-numbers/",
    ]
    assert entries[0].find(f"{ATOM}id").text == (
        ORIGIN + "/2026/04/22/yemen-truce-red-sea-shipping/#correction-1")
    assert entries[0].find(f"{ATOM}updated").text == "2026-04-24T04:00:00Z"
    assert "brokered by Qatar" in entries[0].find(f"{ATOM}content").text
    assert root.find(f"{ATOM}updated").text == "2026-04-24T04:00:00Z"
    page = read_head(demo_build / "corrections/index.html")
    assert page.link_hrefs("alternate")[0] == "/corrections/feed.xml"


FIXTURE_CORRECTIONS = {
    "content/articles/2024/first.md": """
        ---
        title: First Story
        date: 2024-03-01T10:00:00Z
        updated: 2024-03-02T10:00:00Z
        author: ann-lee
        section: news
        corrections:
          - date: 2024-03-10
            text: The *second* fix.
          - date: 2024-03-05
            text: The first fix.
        ---
        Body.
    """,
    "content/articles/2024/second.md": """
        ---
        title: Second Story
        date: 2024-03-02T10:00:00Z
        authors: [ann-lee, bo-chen]
        section: opinion
        corrections:
          - date: 2024-03-07
            text: A fix in between.
        ---
        Body.
    """,
}


def test_corrections_order_ids_and_date_modified(make_site, cli) -> None:
    site = make_site(FIXTURE_CORRECTIONS)
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    build = site / "build"
    items = corrections_page_items(build / "corrections/index.html")
    assert [(href, text) for href, _, text in items] == [
        ("/2024/03/01/first/", "The <em>second</em> fix."),
        ("/2024/03/02/second/", "A fix in between."),
        ("/2024/03/01/first/", "The first fix."),
    ]
    root = ET.parse(build / "corrections/feed.xml").getroot()
    ids = [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
    # Numbered oldest first within an article, so a new correction never renumbers old ones.
    assert ids == ["https://example.test/2024/03/01/first/#correction-2",
                   "https://example.test/2024/03/02/second/#correction-1",
                   "https://example.test/2024/03/01/first/#correction-1"]
    first = read_head(build / "2024/03/01/first/index.html")
    (data,) = first.jsonld
    # The latest correction (March 10) is newer than `updated` (March 2).
    assert data["dateModified"] == "2024-03-10T00:00:00+00:00"
    assert first.one("article:modified_time") == "2024-03-10T00:00:00+00:00"
    assert [c["text"] for c in data["correction"]] == ["The second fix.", "The first fix."]
    html = (build / "2024/03/01/first/index.html").read_text()
    assert "Corrections</h2>" in html
    assert 'href="/corrections-policy/"' not in html  # this site has no policy page
    sitemap = (build / "sitemap.xml").read_text()
    assert ("<url><loc>https://example.test/corrections/</loc>"
            "<lastmod>2024-03-10T00:00:00Z</lastmod></url>") in sitemap


def test_site_without_corrections_has_an_empty_page_and_feed(make_site, cli) -> None:
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    html = (site / "build/corrections/index.html").read_text()
    assert "No corrections have been published." in html
    root = ET.parse(site / "build/corrections/feed.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []


def test_a_page_cannot_take_the_corrections_url(make_site, cli) -> None:
    site = make_site({"content/pages/corrections.md": "---\ntitle: Corrections\n---\nOurs.\n"})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert "its URL /corrections/ is also the URL of content/pages/corrections.md" in result.err
    assert not (site / "build").exists()
