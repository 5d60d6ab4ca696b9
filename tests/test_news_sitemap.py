"""The Google News sitemap, robots.txt and the sitemap index, on fixture sites built at a
fixed time and on plans too large to build in a test."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from conftest import FIXED_NOW

from sitegen.config import Config, Publisher
from sitegen.model.site import Article
from sitegen.plan.outputs import Plan, PlannedPage, SiteInfo
from sitegen.plan.syndication import news_language, news_sitemap, sitemaps

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def article_file(title: str, hours_ago: float, extra: str = "") -> str:
    when = (FIXED_NOW - timedelta(hours=hours_ago)).isoformat()
    return (f"---\ntitle: \"{title}\"\ndate: {when}\nauthor: ann-lee\nsection: news\n"
            f"{extra}---\nBody.\n")


def news_urls(build: Path) -> list[ET.Element]:
    root = ET.parse(build / "news-sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    return root.findall(f"{SM}url")


def test_news_sitemap_lists_only_the_last_48_hours(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\nlanguage: en-GB\n"
                        "publisher:\n  name: Test Times Ltd\n",
        "content/articles/news/fresh.md": article_file("Fresh & New", 1),
        "content/articles/news/yesterday.md": article_file("Yesterday", 47.5),
        "content/articles/news/stale.md": article_file("Stale", 48.5),
        "content/articles/news/later.md": article_file("Later", -2),
        "content/articles/news/copy.md": article_file(
            "Syndicated", 2, "canonical: https://elsewhere.example/x/\n"),
        "content/articles/news/preview.md": article_file("Preview", 3, "draft: true\n"),
    })
    # --future and --drafts publish the later article and the draft; neither is news yet.
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--future",
                 "--drafts")
    assert result.code == 0, result.err
    urls = news_urls(site / "build")
    titles = [u.find(f"{NEWS}news/{NEWS}title").text for u in urls]
    assert titles == ["Fresh & New", "Yesterday"]
    first = urls[0]
    assert first.find(f"{SM}loc").text == "https://example.test/2026/11/25/fresh/"
    publication = first.find(f"{NEWS}news/{NEWS}publication")
    assert publication.find(f"{NEWS}name").text == "Test Times Ltd"
    assert publication.find(f"{NEWS}language").text == "en"
    date = first.find(f"{NEWS}news/{NEWS}publication_date").text
    assert date == "2026-11-25T11:00:00Z"
    # The fixture's 2024 articles are long past: they are in the sitemap, not the news one.
    assert "/2024/03/01/first/" in (site / "build/sitemap.xml").read_text()


def test_a_quiet_site_writes_no_news_sitemap_and_robots_names_none(make_site, cli) -> None:
    """An empty `urlset` fails the sitemaps.org schema (a sitemap holds one URL or more)."""
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    assert not (site / "build/news-sitemap.xml").exists()
    robots = (site / "build/robots.txt").read_text()
    assert "news-sitemap" not in robots
    assert "Sitemap: " in robots  # the full sitemap still


def test_robots_txt_names_the_sitemaps_it_has(demo_build: Path) -> None:
    lines = (demo_build / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://example.org/sitemap.xml" in lines
    news = demo_build / "news-sitemap.xml"
    assert ("Sitemap: https://example.org/news-sitemap.xml" in lines) == news.exists()
    if news.exists():
        assert ET.parse(news).getroot().findall(f"{SM}url")  # never an empty urlset


def test_demo_sitemap_lists_pages_but_not_search_or_404(demo_build: Path) -> None:
    root = ET.parse(demo_build / "sitemap.xml").getroot()
    locs = [u.find(f"{SM}loc").text for u in root.findall(f"{SM}url")]
    assert "https://example.org/corrections/" in locs
    assert "https://example.org/search/" not in locs
    assert not any(loc.endswith("404.html") for loc in locs)
    assert len(locs) == len(set(locs))


# ---------------------------------------------------------------- plans too big to build

CONFIG = Config(title="Big Paper", base_url="https://big.example/", publisher=Publisher("Big"))


def big_plan(count: int, *, articles: bool = False) -> Plan:
    info = SiteInfo("Big Paper", "", CONFIG.base_url, "/", "en", CONFIG.publisher, (), (), {},
                    FIXED_NOW, "/feed.xml")
    pages = []
    for n in range(count):
        url = f"/a/{n}/"
        when = FIXED_NOW - timedelta(seconds=n + 1)
        article = Article(source=f"a/{n}.md", slug=str(n), url=url, title=f"Story {n}",
                          date=when)
        page = PlannedPage(url, f"a/{n}/index.html", "article.html", "article", article.title,
                           {"article": article}, when)
        pages.append(page if articles else replace(page, kind="page", context={}))
    return Plan(info, tuple(pages), ())


def test_news_sitemap_stops_at_1000_newest() -> None:
    root = ET.fromstring(news_sitemap(big_plan(1_005, articles=True), CONFIG))
    locs = [u.find(f"{SM}loc").text for u in root.findall(f"{SM}url")]
    assert len(locs) == 1_000
    assert locs[0] == "https://big.example/a/0/"
    assert locs[-1] == "https://big.example/a/999/"


def test_sitemap_splits_under_an_index_past_50000_urls() -> None:
    files = dict(sitemaps(big_plan(50_001), CONFIG))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    parts = [s.find(f"{SM}loc").text for s in index.findall(f"{SM}sitemap")]
    assert parts == ["https://big.example/sitemap-1.xml", "https://big.example/sitemap-2.xml"]
    first = ET.fromstring(files["sitemap-1.xml"]).findall(f"{SM}url")
    second = ET.fromstring(files["sitemap-2.xml"]).findall(f"{SM}url")
    assert (len(first), len(second)) == (50_000, 1)
    assert second[0].find(f"{SM}loc").text == "https://big.example/a/50000/"


def test_sitemap_of_50000_urls_stays_one_file() -> None:
    files = sitemaps(big_plan(50_000), CONFIG)
    assert [name for name, _ in files] == ["sitemap.xml"]
    assert ET.fromstring(files[0][1]).tag == f"{SM}urlset"


def test_split_sitemaps_are_written_by_the_build(make_site, cli, monkeypatch) -> None:
    import sitegen.plan.syndication

    # Three URLs per file on a real build: the same code path as 50,000 on a real archive.
    monkeypatch.setattr(sitegen.plan.syndication, "SITEMAP_MAX_URLS", 3)
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    index = ET.parse(site / "build/sitemap.xml").getroot()
    parts = [s.find(f"{SM}loc").text.rsplit("/", 1)[1] for s in index.findall(f"{SM}sitemap")]
    assert len(parts) > 3
    total = 0
    for name in parts:
        urls = ET.parse(site / "build" / name).getroot().findall(f"{SM}url")
        assert 1 <= len(urls) <= 3
        total += len(urls)
    assert total == len({u for u in (site / "build").rglob("index.html")}) - 1  # less /search/


def test_news_language_codes() -> None:
    assert news_language("en") == "en"
    assert news_language("en-US") == "en"
    assert news_language("pt_BR") == "pt"
    assert news_language("zh-TW") == "zh-tw"
