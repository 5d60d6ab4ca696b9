"""Structured data and social tags, checked on the demo build against what the writers wrote,
and on fixture sites for canonical overrides, per-section schema types and hostile headlines."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXED_NOW
from demo_content import (
    ORIGIN,
    SECTION_TITLES,
    SITE,
    DemoArticle,
    authors,
    published_articles,
)
from pagehead import PageHead, read_head

TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle",
         "editorial": "OpinionNewsArticle", "analysis": "AnalysisNewsArticle"}
LOGO = ORIGIN + SITE["publisher"]["logo"]


CARD_LABEL = re.compile(r"^(Opinion|Editorial|Analysis): ")  # what each card says it is


def article_pages(build: Path) -> dict[str, tuple[Path, PageHead]]:
    """Every page whose og:type is article, by its headline (og:title without its label)."""
    pages = {}
    for path in sorted(build.rglob("*.html")):
        head = read_head(path)
        if head.meta("og:type") == ["article"]:
            pages[CARD_LABEL.sub("", head.one("og:title"))] = (path, head)
    return pages


@pytest.fixture(scope="module")
def demo_articles(demo_build: Path) -> list[tuple[DemoArticle, Path, PageHead]]:
    pages = article_pages(demo_build)
    sources = published_articles()
    assert len(pages) == len(sources) == 21
    return [(a, *pages[a.title]) for a in sources]


def page_url(build: Path, path: Path) -> str:
    return ORIGIN + "/" + path.parent.relative_to(build).as_posix() + "/"


def test_every_article_has_one_jsonld_of_its_sections_type(demo_articles) -> None:
    seen = set()
    for article, _, head in demo_articles:
        (data,) = head.jsonld
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == TYPES[article.meta["section"]], article.path
        seen.add(data["@type"])
    assert seen == {"NewsArticle", "OpinionNewsArticle", "AnalysisNewsArticle"}


def test_article_jsonld_matches_front_matter(demo_build: Path, demo_articles) -> None:
    for article, path, head in demo_articles:
        (data,) = head.jsonld
        meta = article.meta
        url = page_url(demo_build, path)
        assert data["headline"] == meta["title"]
        assert data.get("alternativeHeadline") == meta.get("subtitle"), article.path
        assert data["description"]
        if "summary" in meta:
            assert data["description"] == meta["summary"]
        assert datetime.fromisoformat(data["datePublished"]) == article.published
        assert datetime.fromisoformat(data["dateModified"]) == article.modified, article.path
        page = data["mainEntityOfPage"]
        assert {k: page[k] for k in ("@type", "@id")} == {"@type": "WebPage", "@id": url}
        crumbs = [(i["name"], i["item"]) for i in page["breadcrumb"]["itemListElement"]]
        assert crumbs[0] == (SITE["title"], ORIGIN + "/")
        assert crumbs[-1] == (meta["title"], url) and len(crumbs) == 3  # home, section, it
        assert data["url"] == url
        assert data["articleSection"] == SECTION_TITLES[meta["section"]]
        assert data.get("keywords", []) == meta.get("tags", [])
        assert data["inLanguage"] == SITE["language"]
        # Crops of the lead image in Google's three ratios, or the article's share card.
        if "image" in meta:
            stem = meta["image"].rsplit("/", 1)[1].rsplit(".", 1)[0]
            assert [u.rsplit("-", 1)[1] for u in data["image"]] == [
                "1200x675.png", "900x675.png", "675x675.png"], article.path  # 1200 x 675 source
            assert all(u.startswith(f"{ORIGIN}/_img/") and f"/{stem}-" in u
                       for u in data["image"])
            assert all((demo_build / u.split("/", 3)[3]).is_file() for u in data["image"])
        else:
            assert data["image"] == [url + "share.png"]
        publisher = data["publisher"]
        assert publisher["@type"] == "Organization"
        assert publisher["name"] == SITE["publisher"]["name"]
        assert publisher["logo"]["url"] == LOGO


def test_article_jsonld_word_count_counts_the_body(demo_articles) -> None:
    for article, path, head in demo_articles:
        (data,) = head.jsonld
        html = path.read_text(encoding="utf-8")
        body = html.split("data-pagefind-body>", 1)[1].split("\n  </div>", 1)[0]
        words = len(re.sub(r"<[^>]+>", " ", body).split())
        assert isinstance(data["wordCount"], int)
        assert abs(data["wordCount"] - words) <= max(3, words * 0.05), article.path


def schema_type(profile: dict[str, Any]) -> str:
    """What a profile is in schema.org terms: `type: organization` (the editorial board)."""
    return "Organization" if profile.get("type") == "organization" else "Person"


def test_every_byline_author_is_a_person_with_page_and_links(demo_articles) -> None:
    profiles = authors()
    co_authored = 0
    for article, _, head in demo_articles:
        (data,) = head.jsonld
        people = data["author"]
        assert [p["name"] for p in people] == [profiles[i]["name"] for i in article.author_ids]
        for person, author_id in zip(people, article.author_ids, strict=True):
            assert person["@type"] == schema_type(profiles[author_id])
            assert person["url"] == f"{ORIGIN}/authors/{author_id}/"
            links = list((profiles[author_id].get("links") or {}).values())
            assert person.get("sameAs", []) == links
        co_authored += len(people) > 1
    assert co_authored >= 2  # the demo has two- and three-author bylines


def test_open_graph_and_twitter_tags_on_articles(demo_build: Path, demo_articles) -> None:
    for article, path, head in demo_articles:
        meta = article.meta
        url = page_url(demo_build, path)
        # The card says what the piece is before its headline, as teasers do (issue 17).
        label = {"opinion": "Opinion: ", "editorial": "Editorial: ", "analysis": "Analysis: "}
        card = label.get(meta.get("section", ""), "") + meta["title"]
        assert head.one("og:title") == card == head.one("twitter:title")
        assert head.one("og:url") == url
        assert head.link_hrefs("canonical") == [url]
        description = head.one("description")
        assert head.one("og:description") == description == head.one("twitter:description")
        if "subtitle" in meta:
            assert description == meta["subtitle"]
        else:
            assert description
        # A 1200 x 630 crop of the lead image, or the share card drawn for the article.
        image = head.one("og:image")
        if "image" in meta:
            assert image.startswith(f"{ORIGIN}/_img/") and image.endswith("-1200x630.png")
        else:
            assert image == url + "share.png"
        assert (demo_build / image.split("/", 3)[3]).is_file()
        assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
        assert head.one("og:image:alt") == meta.get("image_alt", meta["title"])
        assert head.one("twitter:image") == image
        assert head.one("twitter:card") == "summary_large_image"
        published = datetime.fromisoformat(head.one("article:published_time"))
        assert published == article.published
        modified = datetime.fromisoformat(head.one("article:modified_time"))
        assert modified == article.modified
        assert head.meta("article:author") == [f"{ORIGIN}/authors/{a}/"
                                               for a in article.author_ids]
        assert head.one("article:section") == SECTION_TITLES[meta["section"]]
        assert head.meta("article:tag") == meta.get("tags", [])


def test_author_pages_are_profile_pages(demo_build: Path) -> None:
    profiles = authors()
    for author_id, profile in profiles.items():
        head = read_head(demo_build / "authors" / author_id / "index.html")
        (data,) = head.jsonld
        assert data["@type"] == "ProfilePage"
        person = data["mainEntity"]
        assert person["@type"] == schema_type(profile)
        assert ("jobTitle" in person) == (schema_type(profile) == "Person" and "role" in profile)
        assert person["name"] == profile["name"]
        assert person["url"] == f"{ORIGIN}/authors/{author_id}/"
        assert person.get("sameAs", []) == list((profile.get("links") or {}).values())
        assert head.one("og:type") == "profile"


def test_the_editorial_board_is_an_organization(demo_build: Path, demo_articles) -> None:
    assert schema_type(authors()["the-editors"]) == "Organization"
    bylined = [head.jsonld[0]["author"] for article, _, head in demo_articles
               if "the-editors" in article.author_ids]
    assert bylined and all({"@type": "Organization"}.items() <= entry.items()
                           for people in bylined for entry in people
                           if entry["name"] == "The Editors")


def test_an_unknown_author_type_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site({"content/authors/desk.yaml": "name: The Desk\ntype: robot\n"})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert "content/authors/desk.yaml:2:7: error: `type` must be `person` or `organization`" \
        in result.err


def test_home_page_has_website_and_publisher(demo_build: Path) -> None:
    head = read_head(demo_build / "index.html")
    (data,) = head.jsonld
    graph = {node["@type"]: node for node in data["@graph"]}
    assert graph["WebSite"]["name"] == SITE["title"]
    assert graph["WebSite"]["url"] == ORIGIN + "/"
    assert graph["WebSite"]["publisher"] == {"@id": graph["Organization"]["@id"]}
    assert graph["Organization"]["name"] == SITE["publisher"]["name"]
    assert graph["Organization"]["logo"]["url"] == LOGO
    assert head.one("description") == SITE["description"]
    assert head.one("og:type") == "website"


def test_every_page_has_description_canonical_and_existing_feeds(demo_build: Path) -> None:
    pages = sorted(demo_build.rglob("*.html"))
    pages = [p for p in pages if "pagefind" not in p.parts]
    assert len(pages) > 50
    for path in pages:
        head = read_head(path)
        assert head.one("description"), path
        # The 404 page answers at any missing address: it has no canonical URL of its own.
        assert len(head.link_hrefs("canonical")) == (0 if path.name == "404.html" else 1), path
        alternates = [link for link in head.links if link.get("rel") == "alternate"]
        assert alternates, path
        assert {link["type"] for link in alternates} == {
            "application/atom+xml", "application/rss+xml", "application/feed+json"}, path
        for link in alternates:
            assert (demo_build / link["href"].lstrip("/")).is_file(), (path, link["href"])


def test_articles_link_their_section_and_author_feeds(demo_build: Path, demo_articles) -> None:
    for article, _, head in demo_articles:
        feeds = head.link_hrefs("alternate")
        assert "/feed.xml" in feeds
        assert f"/{article.meta['section']}/feed.xml" in feeds
        for author_id in article.author_ids:
            assert f"/authors/{author_id}/feed.xml" in feeds


def test_paginated_listings_have_prev_and_next(demo_build: Path) -> None:
    first = read_head(demo_build / "news/index.html")
    second = read_head(demo_build / "news/page/2/index.html")
    assert first.link_hrefs("prev") == []
    assert first.link_hrefs("next") == ["/news/page/2/"]
    assert second.link_hrefs("prev") == ["/news/"]
    assert second.link_hrefs("next") == []
    assert second.link_hrefs("canonical") == [ORIGIN + "/news/page/2/"]
    assert read_head(demo_build / "index.html").link_hrefs("next") == []  # a front page


# ---------------------------------------------------------------- fixture sites


def test_canonical_front_matter_overrides_and_leaves_the_sitemap(make_site, cli) -> None:
    site = make_site({"content/articles/2024/syndicated.md": """
        ---
        title: First Published Elsewhere
        date: 2024-03-04T10:00:00Z
        author: ann-lee
        section: opinion
        canonical: https://elsewhere.example/2024/original/
        ---
        A syndicated column.
    """})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    head = read_head(site / "build/2024/03/04/syndicated/index.html")
    original = "https://elsewhere.example/2024/original/"
    assert head.link_hrefs("canonical") == [original]
    assert head.one("og:url") == original
    assert head.jsonld[0]["mainEntityOfPage"]["@id"] == original
    sitemap = (site / "build/sitemap.xml").read_text()
    assert "/2024/03/04/syndicated/" not in sitemap
    assert "/2024/03/01/first/" in sitemap


def test_canonical_that_is_not_a_url_is_an_error(make_site, cli) -> None:
    site = make_site({"content/articles/2024/bad.md": """
        ---
        title: Bad Canonical
        date: 2024-03-04T10:00:00Z
        author: ann-lee
        canonical: elsewhere dot example
        ---
        Body.
    """})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert "content/articles/2024/bad.md:5:" in result.err
    assert "`canonical`" in result.err or "is not a URL" in result.err
    assert not (site / "build").exists()


def test_schema_type_is_configurable_per_section(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": """
        title: Test Times
        base_url: https://example.test/
        sections:
          - name: news
            schema_type: ReportageNewsArticle
          - name: opinion
    """})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    news = read_head(site / "build/2024/03/01/first/index.html").jsonld[0]
    opinion = read_head(site / "build/2024/03/02/second/index.html").jsonld[0]
    assert news["@type"] == "ReportageNewsArticle"
    assert opinion["@type"] == "OpinionNewsArticle"
    assert [p["name"] for p in opinion["author"]] == ["Ann Lee", "Bo Chen"]


def test_unknown_schema_type_is_a_config_error(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": """
        title: Test Times
        base_url: https://example.test/
        sections:
          - name: news
            schema_type: NewsArticel
    """})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 2
    assert "sitegen.yaml:3:" in result.err
    assert "Did you mean `NewsArticle`?" in result.err


HOSTILE = "</script><script>alert(1)</script>"


@pytest.fixture
def hostile_site(make_site, cli) -> Path:
    site = make_site({"content/articles/2024/hostile.md": f"""
        ---
        title: "{HOSTILE}"
        subtitle: "A dek with \\"quotes\\" & <b>tags</b>"
        date: 2024-03-05T10:00:00Z
        author: ann-lee
        tags: ["{HOSTILE}"]
        section: news
        ---
        Body.
    """})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    return site / "build/2024/03/05/hostile/index.html"


def test_hostile_headline_stays_inside_jsonld_and_meta_tags(hostile_site: Path) -> None:
    html = hostile_site.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    head = read_head(hostile_site)
    # The only scripts on the page are the JSON-LD block: nothing broke out of it.
    assert [attrs.get("type") for attrs, _ in head.scripts] == ["application/ld+json"]
    (data,) = head.jsonld
    assert data["headline"] == HOSTILE
    assert data["keywords"] == [HOSTILE]
    assert data["alternativeHeadline"] == 'A dek with "quotes" & <b>tags</b>'
    assert head.one("og:title") == HOSTILE
    assert head.one("twitter:title") == HOSTILE
    assert head.meta("article:tag") == [HOSTILE]
    assert head.one("description") == 'A dek with "quotes" & <b>tags</b>'


def test_hostile_headline_runs_no_script_in_chromium(hostile_site: Path, chromium_browser):
    page = chromium_browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(hostile_site.as_uri())
        assert page.title().startswith(HOSTILE)
        scripts = page.eval_on_selector_all("script", "els => els.map(e => e.type)")
        assert scripts == ["application/ld+json"]
        text = page.eval_on_selector('script[type="application/ld+json"]', "e => e.textContent")
        assert json.loads(text)["headline"] == HOSTILE
    finally:
        page.close()
    assert dialogs == []
