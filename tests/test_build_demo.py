"""The repository's own demo site builds into a complete, linked opinion-news site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXED_NOW, demo_copy, tree_bytes
from htmlcheck import read_page, target_file, visible_text

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitegen.engine.build import BuildOptions, build

    out = tmp_path_factory.mktemp("demo") / "build"
    build(BuildOptions(site=demo_copy(out.parent / "site"), output=out, now=FIXED_NOW))
    return out


def html_pages(build: Path) -> list[Path]:
    return sorted(build.rglob("*.html"))


def test_every_page_kind_exists(demo: Path) -> None:
    for rel in ["index.html", "news/page/2/index.html", "authors/index.html",
                "authors/mara-olsen/index.html", "tags/index.html", "news/index.html",
                "opinion/index.html", "analysis/index.html", "editorial/index.html",
                "archive/index.html", "about/index.html", "404.html", "feed.xml",
                "sitemap.xml", "robots.txt", "authors/mara-olsen/feed.xml", "news/feed.xml",
                "css/style.css"]:
        assert (demo / rel).is_file(), rel
    articles = list((demo / "2025").rglob("index.html")) + list((demo / "2026").rglob("index.html"))
    assert len(articles) == 21  # every published demo article, no draft, nothing scheduled
    assert not (demo / "2027").exists()
    assert "(Draft)" not in (demo / "archive/index.html").read_text()


def test_every_page_parses_and_every_internal_link_resolves(demo: Path) -> None:
    broken = []
    for page in html_pages(demo):
        reader = read_page(page)
        assert not reader.errors, (page, reader.errors)
        for link in reader.links:
            target = target_file(demo, page, link)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(demo)} -> {link}")
    assert not broken, broken


def test_feeds_and_sitemap_are_well_formed(demo: Path) -> None:
    feed = ET.parse(demo / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20
    co_authored = [e for e in entries if len(e.findall(f"{ATOM}author")) > 1]
    assert co_authored, "a co-authored entry lists every author"
    urls = {loc.text for loc in ET.parse(demo / "sitemap.xml").getroot().iter(f"{SM}loc")}
    pages = [p for p in html_pages(demo) if p.name == "index.html"
             and p.parent.name != "search"]  # the search page asks not to be indexed
    assert len(urls) == len(pages)
    assert "https://example.org/authors/mara-olsen/" in urls
    assert "Sitemap: https://example.org/sitemap.xml" in (demo / "robots.txt").read_text()


def test_two_builds_are_byte_identical(demo: Path, tmp_path: Path) -> None:
    from sitegen.engine.build import BuildOptions, build

    again = tmp_path / "again"
    build(BuildOptions(site=demo_copy(tmp_path / "site"), output=again, now=FIXED_NOW))
    first, second = tree_bytes(demo), tree_bytes(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_plain_text_demo_article_renders_as_typed(demo: Path) -> None:
    page = next(demo.rglob("geneva-talks-on-ukraine-ceasefire/index.html"))
    html = page.read_text()
    assert "&ldquo;" in html or "“" in html  # straight quotes curled
    assert "<h1" in html and html.count("<h1") == 1
    assert "Ukraine" in visible_text(page)
