"""JSON-LD on every page kind where it fits, with a BreadcrumbList from the home page, and
no text that can break out of its script element."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXED_NOW
from pagehead import read_head

HOSTILE = '</script><script>alert(1)</script> & <!-- "q" \\u2028'


def test_every_page_but_404_carries_jsonld_with_breadcrumbs(make_site, cli) -> None:
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    build = site / "build"
    pages = sorted(build.rglob("*.html"))
    missing = []
    for page in pages:
        rel = page.relative_to(build).as_posix()
        data = read_head(page).jsonld
        if rel == "404.html":
            assert data == []
            continue
        if not data:
            missing.append(rel)
            continue
        (item,) = data
        assert item["@context"] == "https://schema.org"
        if rel == "index.html":
            assert [g["@type"] for g in item["@graph"]] == ["WebSite", "Organization"]
            continue
        crumbs = (item.get("breadcrumb") or item["mainEntityOfPage"]["breadcrumb"])
        elements = crumbs["itemListElement"]
        assert crumbs["@type"] == "BreadcrumbList" and len(elements) >= 2, rel
        assert elements[0]["item"] == "https://example.test/"
        assert [e["position"] for e in elements] == list(range(1, len(elements) + 1))
        assert all(e["item"].startswith("https://example.test/") for e in elements)
    assert missing == []
    tag = read_head(build / "tags/iran/index.html").jsonld[0]
    assert [e["name"] for e in tag["breadcrumb"]["itemListElement"]][:2] == ["Test Times",
                                                                             "Tags"]
    author = read_head(build / "authors/ann-lee/index.html").jsonld[0]
    assert author["@type"] == "ProfilePage" and author["mainEntity"]["name"] == "Ann Lee"


def test_a_hostile_headline_and_byline_stay_inside_the_jsonld(make_site, cli) -> None:
    site = make_site({
        "content/authors/ann-lee.yaml": f"name: {json.dumps(HOSTILE)}\n",
        "content/articles/2024/first.md": f"---\ntitle: {json.dumps(HOSTILE)}\n"
                                          f"date: 2024-03-01\nauthor: ann-lee\n"
                                          f"tags: [{json.dumps(HOSTILE)}]\nsection: news\n---\n"
                                          "Body.\n",
        "content/pages/about.md": f"---\ntitle: {json.dumps(HOSTILE)}\n---\nWho.\n",
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    for page in (site / "build").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, page
        head = read_head(page)
        for item in head.jsonld:  # parses: nothing closed the script element early
            assert isinstance(item, dict)
    article = read_head(site / "build/2024/03/01/first/index.html").jsonld[0]
    assert article["headline"] == HOSTILE
    assert article["mainEntityOfPage"]["breadcrumb"]["itemListElement"][-1]["name"] == \
        article["headline"]


def test_breadcrumbs_follow_a_base_path(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://example.test/news/\n"})
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    data = read_head(Path(site / "build/tags/iran/index.html")).jsonld[0]
    items = [e["item"] for e in data["breadcrumb"]["itemListElement"]]
    assert items == ["https://example.test/news/", "https://example.test/news/tags/",
                     "https://example.test/news/tags/iran/"]
