"""Atom feeds as a feed reader sees them: well-formed, RFC 3339 dates, stable ids, one
author per byline name, categories, summary or full content, and no character XML forbids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import FIXED_NOW
from demo_content import ORIGIN, authors, published_articles

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feeds(build: Path) -> list[Path]:
    return sorted(build.rglob("feed.xml"))


def entries(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_every_demo_feed_is_atom_with_rfc3339_dates(demo_build: Path) -> None:
    paths = feeds(demo_build)
    assert len(paths) > 20
    for path in paths:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        for tag in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{tag}") is not None, (path, tag)
        for node in root.iter():
            if node.tag in (f"{ATOM}updated", f"{ATOM}published"):
                assert RFC3339.match(node.text or ""), (path, node.text)
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}id").text.startswith(ORIGIN + "/")
            assert entry.find(f"{ATOM}link").get("href").startswith(ORIGIN + "/")


def test_one_author_per_byline_name_and_categories(demo_build: Path) -> None:
    names = {i: p["name"] for i, p in authors().items()}
    by_title = {a.title: a for a in published_articles()}
    main = entries(demo_build / "feed.xml")
    assert len(main) == 20  # the newest 20 of 21
    for entry in main:
        article = by_title[entry.find(f"{ATOM}title").text]
        got = [a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")]
        assert got == [names[i] for i in article.author_ids]
        uris = [a.find(f"{ATOM}uri").text for a in entry.findall(f"{ATOM}author")]
        assert uris == [f"{ORIGIN}/authors/{i}/" for i in article.author_ids]
        labels = [c.get("label") for c in entry.findall(f"{ATOM}category")]
        assert labels[:-1] == article.meta.get("tags", [])
        assert labels[-1].lower() == article.meta["section"]
        assert entry.find(f"{ATOM}content") is None  # summary by default
        assert entry.find(f"{ATOM}summary").text


def test_entry_ids_are_stable_and_unique(demo_build: Path, make_site, cli) -> None:
    ids = [e.find(f"{ATOM}id").text for e in entries(demo_build / "feed.xml")]
    assert len(ids) == len(set(ids))
    site = make_site()
    now = FIXED_NOW.isoformat()
    assert cli("build", "--site", site, "--now", now).code == 0
    before = [e.find(f"{ATOM}id").text for e in entries(site / "build/feed.xml")]
    (site / "content/articles/2024/fourth.md").write_text(
        "---\ntitle: Fourth\ndate: 2024-03-04\nauthor: ann-lee\n---\nNew.\n")
    assert cli("build", "--site", site, "--now", now).code == 0
    after = [e.find(f"{ATOM}id").text for e in entries(site / "build/feed.xml")]
    assert after[1:] == before
    assert after[0] == "https://example.test/2024/03/04/fourth/"


def test_full_content_and_forbidden_characters(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                        "feed_content: full\n",
        "content/articles/2024/control.md": "---\ntitle: Control\ndate: 2024-03-04\n"
                                            "author: ann-lee\n---\n"
                                            "Bell\x07 and escape\x1b and form\x0cfeed <3.\n",
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    (entry, *_) = entries(site / "build/feed.xml")
    assert entry.find(f"{ATOM}title").text == "Control"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Bell and escape and formfeed &lt;3." in content.text
    assert entry.find(f"{ATOM}summary").text


def test_unsigned_articles_fall_back_to_the_publisher(make_site, cli) -> None:
    site = make_site({"content/articles/2024/unsigned.md":
                      "---\ntitle: Unsigned\ndate: 2024-03-04\n---\nThe paper's view.\n"})
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    root = ET.parse(site / "build/feed.xml").getroot()
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Test Times"
    unsigned = root.find(f"{ATOM}entry")
    assert unsigned.find(f"{ATOM}title").text == "Unsigned"
    assert unsigned.findall(f"{ATOM}author") == []  # Atom lends it the feed's author
