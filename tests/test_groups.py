"""Month archives, taxonomies besides tags, and series: present, linked, paginated, in the
sitemap and the feeds, with no broken link (`sitegen check`), and bad settings refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from htmlcheck import read_page

NOW = FIXED_NOW.isoformat()
SITE = {
    "sitegen.yaml": """
        title: Gulf Times
        base_url: https://gulf.test/
        per_page: 2
        taxonomies:
          - name: regions
            title: Regions
          - topics
    """,
    "content/authors/ann.yaml": "name: Ann\n",
}


def _article(slug: str, date: str, **fields: str) -> dict[str, str]:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return {f"content/articles/{slug}.md": f"---\ntitle: {slug.title()}\nsubtitle: d\n"
            f"date: {date}\nauthor: ann\n{extra}---\nText of {slug}.\n"}


@pytest.fixture
def site(make_site) -> Path:
    files = dict(SITE)
    files |= _article("one", "2025-03-01T10:00:00Z", regions="[Gulf, Levant]",
                      series="Oil and Power", series_order="1")
    files |= _article("two", "2025-03-10T10:00:00Z", regions="[Gulf]", topics="[Energy]",
                      series="Oil and Power", series_order="3")
    files |= _article("three", "2025-03-20T10:00:00Z", regions="[gulf]",
                      series="Oil and Power", series_order="2")
    files |= _article("four", "2025-04-02T10:00:00Z")
    return make_site(files, base=False)


def _build(site: Path, cli) -> Path:
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    return site / "build"


def _links(path: Path) -> list[str]:
    return read_page(path).links


def test_month_archives_are_paginated_and_linked(site: Path, cli) -> None:
    build = _build(site, cli)
    march = build / "archive/2025/03/index.html"
    assert "/2025/03/20/three/" in _links(march) and "/2025/03/10/two/" in _links(march)
    assert "/archive/2025/03/page/2/" in _links(march)
    assert "/2025/03/01/one/" in _links(build / "archive/2025/03/page/2/index.html")
    assert "/archive/2025/" in _links(march)
    year = build / "archive/2025/index.html"
    assert {"/archive/2025/03/", "/archive/2025/04/"} <= set(_links(year))
    index = (build / "archive/index.html").read_text()
    assert re.search(r'href="/archive/2025/03/">March</a> <span class="count">\(3\)', index)
    assert re.search(r'href="/archive/2025/04/">April</a> <span class="count">\(1\)', index)
    sitemap = (build / "sitemap.xml").read_text()
    assert "https://gulf.test/archive/2025/03/" in sitemap
    assert "https://gulf.test/archive/2025/03/page/2/" in sitemap


def test_a_year_lists_a_large_months_newest_and_links_to_all_of_it(make_site, cli) -> None:
    # 30 articles in March: the year's page (and the archive's front, showing the newest
    # year) lists the newest 25 and links to the month's pages, which hold all 30.
    files = dict(SITE)
    for day in range(1, 31):
        files |= _article(f"march-{day:02d}", f"2025-03-{day:02d}T10:00:00Z")
    files |= _article("april", "2025-04-02T10:00:00Z")
    build = _build(make_site(files, base=False), cli)
    for page in ("archive/2025/index.html", "archive/index.html"):
        links = _links(build / page)
        shown = [link for link in links if link.startswith("/2025/03/")]
        assert shown == [f"/2025/03/{day:02d}/march-{day:02d}/" for day in range(30, 5, -1)]
        assert "/2025/04/02/april/" in links
        html = (build / page).read_text()
        assert re.search(r'href="/archive/2025/03/">March</a> <span class="count">\(30\)', html)
        assert re.search(r'<p class="more-link"><a href="/archive/2025/03/">Every article '
                         r'of March 2025</a></p>', html)
        assert html.count('class="more-link"') == 1  # April is listed whole
    month = {link for number in ("", "page/2/", "page/15/")
             for link in _links(build / f"archive/2025/03/{number}index.html")}
    assert {f"/2025/03/{day:02d}/march-{day:02d}/" for day in (1, 2, 27, 30)} <= month


def test_taxonomies_have_an_index_term_pages_and_feeds(site: Path, cli) -> None:
    build = _build(site, cli)
    index = (build / "regions/index.html").read_text()
    assert re.search(r'href="/regions/gulf/">Gulf</a> <span class="count">\(3\)', index)
    assert re.search(r'href="/regions/levant/">Levant</a> <span class="count">\(1\)', index)
    gulf = build / "regions/gulf/index.html"
    assert "Regions: Gulf" in gulf.read_text()
    assert "/regions/gulf/page/2/" in _links(gulf)
    feed = (build / "regions/gulf/feed.xml").read_text()
    assert feed.count("<entry>") == 3
    assert (build / "regions/gulf/feed.json").is_file()
    assert (build / "regions/gulf/rss.xml").is_file()
    assert (build / "topics/energy/index.html").is_file()
    assert "/topics/energy/" in _links(build / "2025/03/10/two/index.html")
    assert "/regions/" in _links(build / "index.html")  # the footer names every taxonomy
    sitemap = (build / "sitemap.xml").read_text()
    for url in ("regions/", "regions/gulf/", "regions/levant/", "topics/energy/"):
        assert f"https://gulf.test/{url}</loc>" in sitemap
    assert (build / "tags/index.html").is_file()  # tags stay


def test_series_page_parts_and_json_ld(site: Path, cli) -> None:
    build = _build(site, cli)
    series = build / "series/oil-and-power/index.html"
    parts = [link for link in _links(series) if link.startswith("/2025/")]
    assert parts == ["/2025/03/01/one/", "/2025/03/20/three/", "/2025/03/10/two/"]  # by order
    three = build / "2025/03/20/three/index.html"
    text = three.read_text()
    assert "Part 2 of 3" in text
    assert re.search(r'Previous part</span> <a href="/2025/03/01/one/">', text)
    assert re.search(r'Next part</span> <a href="/2025/03/10/two/">', text)
    assert "/series/oil-and-power/" in _links(three)
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text,
                                  re.S).group(1))
    assert jsonld["isPartOf"] == {"@type": "CreativeWorkSeries", "name": "Oil and Power",
                                  "url": "https://gulf.test/series/oil-and-power/"}
    assert "/series/oil-and-power/" in _links(build / "series/index.html")
    assert "series-box" not in (build / "2025/04/02/four/index.html").read_text()
    assert "https://gulf.test/series/oil-and-power/" in (build / "sitemap.xml").read_text()


def test_the_new_pages_have_no_broken_link(site: Path, cli) -> None:
    result = cli("check", "--site", site, "--now", NOW)
    assert result.code == 0 and result.out == "", result.out


@pytest.mark.parametrize(("taxonomies", "message"), [
    ("[tags]", "sitegen.yaml:3:13: error: taxonomy name `tags` is taken by sitegen"),
    ("[news]", "sitegen.yaml:3:13: error: taxonomy name `news` is also a section's."),
    ("[Big Regions]", "taxonomy name `Big Regions` cannot be a URL. Use lowercase letters, "
                      "digits and dashes, such as `big-regions`."),
    ("regions", "`taxonomies` must be a list"),
])
def test_bad_taxonomies_are_configuration_errors(make_site, cli, taxonomies: str,
                                                 message: str) -> None:
    site = make_site({"sitegen.yaml": f"title: T\nbase_url: https://t.test/\n"
                                      f"taxonomies: {taxonomies}\n"})
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 2
    assert message in result.err
    assert not (site / "build").exists()


def test_series_section_is_reserved(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://t.test/\n"
                                      "sections: [news, series]\n"})
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 2
    assert "section name `series` is taken by sitegen's /series/ pages" in result.err


def test_bad_group_fields_are_errors_at_their_line(site: Path, cli) -> None:
    bad = site / "content/articles/bad.md"
    bad.write_text("---\ntitle: Bad\ndate: 2025-01-01\nregions: 3\nseries_order: 2\n"
                   "colors: [red]\n---\nx\n")
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 1
    assert "content/articles/bad.md:4:10: error: `regions` must be a list of text" in result.err
    assert "content/articles/bad.md:5:15: error: `series_order` needs a `series: name`" \
        in result.err
    assert "content/articles/bad.md:6:1: error: unknown field `colors`" in result.err
