"""Every feed in Atom, RSS 2.0 and JSON Feed 1.1, as feed readers and email clients see them.

Each feed parses with feedparser (what most readers are built on) without its `bozo` flag;
Atom validates against RFC 4287's own RELAX NG schema (Appendix B, in tests/atom-rfc4287.rng);
JSON Feed is checked against the text of its specification; full-content bodies stand on
their own (absolute URLs, image sizes, nothing that needs the site's CSS or JavaScript).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from conftest import FIXED_NOW
from lxml import etree
from test_images import png

from sitegen.engine.build import BuildOptions, build

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
ORIGIN = "https://example.test"
SCHEMA = Path(__file__).resolve().parent / "atom-rfc4287.rng"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = ("feed.xml", "rss.xml", "feed.json")


def feed_folders(build_dir: Path) -> list[Path]:
    return sorted(p.parent for p in build_dir.rglob("feed.xml"))


def build_site(cli, site: Path, *extra: str) -> None:
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *extra)
    assert result.code == 0, result.err


# The type each file is linked with (`<link rel="alternate" type=...>`), as a server sends it.
MEDIA_TYPES = {"feed.xml": "application/atom+xml", "rss.xml": "application/rss+xml"}


def parsed(path: Path) -> feedparser.FeedParserDict:
    """The feed as feedparser reads it. Its releases (6.0.x) read Atom and RSS, not JSON
    Feed: `feed.json` files are checked against the JSON Feed spec instead (below)."""
    headers = {"content-type": MEDIA_TYPES[path.name] + "; charset=utf-8"}
    return feedparser.parse(path.read_bytes(), response_headers=headers)


# ---------------------------------------------------------------- all three formats


def test_every_feed_parses_in_all_three_formats_without_bozo(demo_build: Path) -> None:
    folders = feed_folders(demo_build)
    assert len(folders) > 20
    versions = {"feed.xml": "atom10", "rss.xml": "rss20"}
    for folder in folders:
        links = {}
        for name, version in versions.items():
            feed = parsed(folder / name)
            assert not feed.bozo, (folder / name, feed.get("bozo_exception"))
            assert feed.version == version, folder / name
            links[name] = [(entry.link, entry.title) for entry in feed.entries]
            assert feed.feed.title
        data = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
        links["feed.json"] = [(item["url"], item["title"]) for item in data["items"]]
        # The same entries, in the same order (newest first), whatever the format.
        assert links["feed.xml"] == links["rss.xml"] == links["feed.json"], folder


def test_the_build_counts_every_feed_file(make_site, cli) -> None:
    site = make_site()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    files = [p for name in FORMATS for p in (site / "build").rglob(name)]
    assert len(files) == 3 * len(list((site / "build").rglob("feed.xml")))
    assert re.search(rf"^\s+feeds\s+{len(files)}$", result.out, re.M), result.out


def test_atom_feeds_validate_against_the_rfc4287_schema(demo_build: Path, make_site,
                                                        cli) -> None:
    """RELAX NG from RFC 4287 Appendix B; its two Schematron rules by hand: an entry has an
    alternate link or content (section 4.1.2), and an author unless its feed has one (4.1.1,
    4.1.2)."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    full = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      "feed_content: full\n"})
    build_site(cli, full)
    paths = [*demo_build.rglob("feed.xml"), *(full / "build").rglob("feed.xml")]
    for path in paths:
        doc = etree.parse(str(path))
        assert schema.validate(doc), (path, schema.error_log)
        root = doc.getroot()
        for entry in root.iter(f"{ATOM}entry"):
            alternates = [link for link in entry.iter(f"{ATOM}link")
                          if link.get("rel", "alternate") == "alternate"]
            assert alternates or entry.find(f"{ATOM}content") is not None, path
            assert (entry.find(f"{ATOM}author") is not None
                    or root.find(f"{ATOM}author") is not None), path


def test_the_schema_check_catches_a_broken_feed() -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    good = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>T</title>'
            b"<updated>2024-03-01T10:00:00Z</updated></feed>")
    assert schema.validate(etree.fromstring(good))
    for broken in (good.replace(b"<id>x</id>", b""),  # atom:id is required (4.1.1)
                   good.replace(b"2024-03-01T10:00:00Z", b"March 1, 2024")):  # 3.3
        assert not schema.validate(etree.fromstring(broken))


# ---------------------------------------------------------------- RSS 2.0


PICTURED = """\
---
title: Pictured Story
subtitle: A dek with a picture
date: 2024-03-05T09:00:00Z
authors: [ann-lee, bo-chen]
tags: [Iran]
section: news
image: /images/lead.png
image_alt: A grey square.
---
Text of the pictured story.
"""


def test_rss_items_carry_every_coauthor_categories_guid_and_enclosure(make_site, cli) -> None:
    image = png(40, 30)
    site = make_site({"content/articles/2024/pictured.md": PICTURED,
                      "static/images/lead.png": image})
    build_site(cli, site)
    channel = ET.parse(site / "build/rss.xml").getroot().find("channel")
    assert channel.find("title").text == "Test Times"
    assert channel.find("link").text == f"{ORIGIN}/"
    assert channel.find("description").text
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == f"{ORIGIN}/rss.xml"
    assert self_link.get("type") == "application/rss+xml"
    items = channel.findall("item")
    assert [i.find("title").text for i in items] == [
        "Pictured Story", "Third Story", "Second Story", "First Story"]
    pictured = items[0]
    assert [c.text for c in pictured.findall(f"{DC}creator")] == ["Ann Lee", "Bo Chen"]
    assert [c.text for c in pictured.findall("category")] == ["Iran", "News"]
    guid = pictured.find("guid")
    assert guid.get("isPermaLink") == "true"
    assert guid.text == pictured.find("link").text == f"{ORIGIN}/2024/03/05/pictured/"
    assert pictured.find("pubDate").text == "Tue, 05 Mar 2024 09:00:00 GMT"
    assert pictured.find("description").text == "A dek with a picture"
    enclosure = pictured.find("enclosure")
    # The length of the file published there: the photo upright and without its metadata.
    published = (site / "build/images/lead.png").read_bytes()
    assert published[:8] == image[:8]  # a PNG still
    assert enclosure.attrib == {"url": f"{ORIGIN}/images/lead.png",
                                "length": str(len(published)), "type": "image/png"}
    assert pictured.find(f"{CONTENT}encoded") is None  # summary by default
    assert items[1].find("enclosure") is None  # no image, no enclosure
    # The enclosure's length follows the file: a new image rewrites the feed.
    bigger = png(400, 300)
    (site / "static/images/lead.png").write_bytes(bigger)
    build_site(cli, site)
    channel = ET.parse(site / "build/rss.xml").getroot().find("channel")
    length = (site / "build/images/lead.png").stat().st_size
    assert length != len(published)
    assert channel.find("item/enclosure").get("length") == str(length)


def test_unsigned_rss_items_name_the_publisher(make_site, cli) -> None:
    site = make_site({"content/articles/2024/unsigned.md":
                      "---\ntitle: Unsigned\ndate: 2024-03-04\n---\nThe paper's view.\n"})
    build_site(cli, site)
    item = ET.parse(site / "build/rss.xml").getroot().find("channel/item")
    assert item.find("title").text == "Unsigned"
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Test Times"]


# ---------------------------------------------------------------- JSON Feed 1.1


def _rfc3339(value: str) -> datetime:
    assert RFC3339.match(value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_json_feed(data: dict, where: Path) -> None:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), from the spec's text:

    - top level: `version` (required) is the URL https://jsonfeed.org/version/1.1; `title`
      (required) a string; `items` (required) an array; `home_page_url` and `feed_url` are
      URLs; `authors` (optional) an array of author objects; `language` a language tag.
    - items: `id` (required) a string, unique in the feed; `content_html` or `content_text`,
      one of them at least (both optional on their own, one required); `url` a URL;
      `date_published` and `date_modified` in RFC 3339 format; `authors` an array of author
      objects; `tags` an array of strings.
    - an author object has at least one of `name`, `url` and `avatar`.
    """
    assert data["version"] == "https://jsonfeed.org/version/1.1", where
    assert isinstance(data["title"], str) and data["title"], where
    assert isinstance(data["items"], list), where
    for key in ("home_page_url", "feed_url"):
        assert data[key].startswith(ORIGIN + "/") or data[key].startswith("https://"), where
    assert re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", data["language"]), where
    people = list(data.get("authors", []))
    ids = []
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"], where
        ids.append(item["id"])
        assert isinstance(item.get("content_html", item.get("content_text")), str), where
        assert item["url"].startswith("https://"), where
        published = _rfc3339(item["date_published"])
        assert _rfc3339(item["date_modified"]) >= published
        people += item.get("authors", [])
        assert all(isinstance(t, str) for t in item.get("tags", [])), where
    assert len(ids) == len(set(ids)), where
    for person in people:
        assert isinstance(person, dict), where
        assert {"name", "url", "avatar"} & person.keys(), where


def test_json_feeds_follow_the_1_1_spec(demo_build: Path) -> None:
    paths = sorted(demo_build.rglob("feed.json"))
    assert len(paths) > 20
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        check_json_feed(data, path)
        assert data["feed_url"] == ORIGIN.replace("example.test", "example.org") + "/" + (
            path.relative_to(demo_build).as_posix())
        assert data["language"] == "en"


def test_json_items_name_every_coauthor(make_site, cli) -> None:
    site = make_site({"content/articles/2024/pictured.md": PICTURED,
                      "static/images/lead.png": png(40, 30)})
    build_site(cli, site)
    data = json.loads((site / "build/feed.json").read_text())
    check_json_feed(data, site / "build/feed.json")
    first = data["items"][0]
    assert first["title"] == "Pictured Story"
    assert first["authors"] == [{"name": "Ann Lee", "url": f"{ORIGIN}/authors/ann-lee/"},
                                {"name": "Bo Chen", "url": f"{ORIGIN}/authors/bo-chen/"}]
    assert first["tags"] == ["Iran", "News"]
    assert first["image"] == f"{ORIGIN}/images/lead.png"
    assert first["content_text"] == first["summary"] == "A dek with a picture"
    assert "content_html" not in first
    assert first["date_published"] == "2024-03-05T09:00:00Z"
    assert data["authors"] == [{"name": "Test Times", "url": f"{ORIGIN}/"}]


# ---------------------------------------------------------------- full content


FULL_BODY = """\
---
title: Full Story
date: 2024-03-06T09:00:00Z
author: ann-lee
section: news
image: /images/lead.png
image_alt: A grey square.
---
See [the archive](/archive/), [a note](notes/) and the chart:[^1]

![A chart](/images/chart.png)

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="The interview"></iframe>

[^1]: Figures from the ministry.
"""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def full_bodies(build_dir: Path, url: str) -> dict[str, str]:
    """The body of the article at `url` in each format of the site's feed."""
    atom = next(e for e in ET.parse(build_dir / "feed.xml").getroot().iter(f"{ATOM}entry")
                if e.find(f"{ATOM}id").text == url)
    rss = next(i for i in ET.parse(build_dir / "rss.xml").getroot().iter("item")
               if i.find("link").text == url)
    feed = json.loads((build_dir / "feed.json").read_text())
    item = next(i for i in feed["items"] if i["id"] == url)
    return {"atom": atom.find(f"{ATOM}content").text, "rss": rss.find(f"{CONTENT}encoded").text,
            "json": item["content_html"]}


def test_full_content_reads_without_the_site(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                        "feed_content: full\nembed_hosts: [www.youtube-nocookie.com]\n",
        "content/articles/2024/full.md": FULL_BODY,
        "static/images/lead.png": png(40, 30),
        "static/images/chart.png": png(64, 48),
    })
    build_site(cli, site)
    url = f"{ORIGIN}/2024/03/06/full/"
    page = (site / "build/2024/03/06/full/index.html").read_text()
    assert "<iframe" in page and 'class="footnote' in page  # what the page itself has
    for name, body in full_bodies(site / "build", url).items():
        found = tags_of(body)
        names = [tag for tag, _ in found]
        assert "iframe" not in names and "script" not in names and "style" not in names, name
        for tag, attrs in found:
            assert "class" not in attrs and not any(a.startswith("on") for a in attrs), name
            for key in ("href", "src"):
                if key in attrs:
                    assert attrs[key].startswith("https://"), (name, tag, attrs)
        hrefs = [a["href"] for t, a in found if t == "a"]
        assert f"{ORIGIN}/archive/" in hrefs and f"{url}notes/" in hrefs, name
        assert f"{url}#fn:1" in hrefs, name  # the footnote, on the article's page
        # The embed is a link to what it shows, named by its title.
        assert '<a href="https://www.youtube-nocookie.com/embed/abc">The interview</a>' in body
        images = [a for t, a in found if t == "img"]
        assert [(i["src"], i["width"], i["height"]) for i in images] == [
            (f"{ORIGIN}/images/lead.png", "40", "30"),  # the lead image comes first
            (f"{ORIGIN}/images/chart.png", "64", "48")], name
        assert "Figures from the ministry." in body


def test_srcset_and_relative_images_become_absolute(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/news-site/\n"
                        "feed_content: full\ntrusted_html: true\n",
        "content/articles/2024/pics.md": (
            "---\ntitle: Pics\ndate: 2024-03-06\nauthor: ann-lee\n---\n"
            '<p><img src="/news-site/images/a.png" srcset="/news-site/images/a.png 1x, '
            'big.png 2x" alt="A" class="wide" onclick="zoom()"><script>zoom()</script></p>\n'),
        "static/images/a.png": png(10, 20),
    })
    build_site(cli, site)
    url = f"{ORIGIN}/news-site/2024/03/06/pics/"
    for name, body in full_bodies(site / "build/", url).items():
        (img,) = [a for t, a in tags_of(body) if t == "img"]
        assert img["src"] == f"{ORIGIN}/news-site/images/a.png", name
        assert img["srcset"] == f"{ORIGIN}/news-site/images/a.png 1x, {url}big.png 2x", name
        assert (img["width"], img["height"]) == ("10", "20"), name
        assert "class" not in img and "onclick" not in img and "zoom()" not in body, name


# ---------------------------------------------------------------- dates


def _updated(build_dir: Path, folder: str) -> dict[str, str]:
    atom = ET.parse(build_dir / folder / "feed.xml").getroot().find(f"{ATOM}updated").text
    rss = ET.parse(build_dir / folder / "rss.xml").getroot().find("channel/lastBuildDate").text
    return {"atom": atom, "rss": rss}


def test_no_feed_is_dated_1970(make_site, cli) -> None:
    site = make_site()  # no analysis or editorial articles, and no corrections
    build_site(cli, site)
    newest = {"atom": "2024-03-03T00:00:00Z", "rss": "Sun, 03 Mar 2024 00:00:00 GMT"}
    for folder in ("analysis", "editorial", "corrections"):
        assert _updated(site / "build", folder) == newest, folder
    for path in (site / "build").rglob("*"):
        if path.name in FORMATS:
            assert "1970" not in path.read_text(), path


def test_a_site_without_articles_dates_its_feeds_by_the_build(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: Empty Times\nbase_url: https://example.test/\n",
                      "content/pages/about.md": "---\ntitle: About\n---\nSoon.\n"}, base=False)
    build_site(cli, site)
    assert _updated(site / "build", "") == {"atom": "2026-11-25T12:00:00Z",
                                            "rss": "Wed, 25 Nov 2026 12:00:00 GMT"}
    for name in MEDIA_TYPES:
        assert not parsed(site / "build" / name).bozo, name
    check_json_feed(json.loads((site / "build/feed.json").read_text()), site / "build")


# ---------------------------------------------------------------- configuration


def test_feed_formats_chooses_what_is_written_and_linked(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      "feed_formats: [rss, json]\n"})
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    out = site / "build"
    assert not list(out.rglob("feed.xml"))
    assert (out / "rss.xml").is_file() and (out / "tags/iran/feed.json").is_file()
    feeds = len(list(out.rglob("rss.xml"))) + len(list(out.rglob("feed.json")))
    assert re.search(rf"^\s+feeds\s+{feeds}$", result.out, re.M)
    page = (out / "tags/iran/index.html").read_text()
    alternates = re.findall(r'<link rel="alternate" type="([^"]+)"[^>]* href="([^"]+)"', page)
    assert alternates == [("application/rss+xml", "/tags/iran/rss.xml"),
                          ("application/feed+json", "/tags/iran/feed.json"),
                          ("application/rss+xml", "/rss.xml"),
                          ("application/feed+json", "/feed.json")]
    assert '<a href="/tags/iran/rss.xml" type="application/rss+xml">RSS</a>' in page
    assert "feed.xml" not in page


@pytest.mark.parametrize(("value", "message"), [
    ("[atom, rs]", "sitegen.yaml:3:15: error: unknown feed format `rs`. Did you mean `rss`?"),
    ("[jsn]", "sitegen.yaml:3:15: error: unknown feed format `jsn`. Did you mean `json`?"),
    ("[]", "sitegen.yaml:3:15: error: `feed_formats` must be a list of one or more of"),
])
def test_unknown_feed_formats_are_config_errors(make_site, cli, value: str,
                                                message: str) -> None:
    site = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      f"feed_formats: {value}\n"})
    result = cli("build", "--site", site)
    assert result.code == 2
    assert message in result.err
    assert not (site / "build").exists()


# ---------------------------------------------------------------- incremental


def test_an_unchanged_feed_is_not_rewritten_in_any_format(make_site) -> None:
    site = make_site()
    options = BuildOptions(site=site, now=FIXED_NOW, jobs=1)
    build(options)
    out = site / "build"
    before = {p.relative_to(out).as_posix(): p.stat().st_ino
              for name in FORMATS for p in out.rglob(name)}
    first = site / "content/articles/2024/first.md"
    first.write_text(first.read_text().replace("title: First Story", "title: First, Renamed"))
    result = build(options)
    showing = {"", "news/", "authors/ann-lee/", "tags/iran/", "tags/sanctions/"}
    expected = {folder + name for folder in showing for name in FORMATS}
    changed = {p for p in result.changed if p.rsplit("/", 1)[-1] in FORMATS}
    assert changed == expected
    for rel, inode in before.items():
        if rel not in expected:
            assert (out / rel).stat().st_ino == inode, rel  # the very same file
    assert "First, Renamed" in (out / "news/feed.json").read_text()
    assert "First, Renamed" in (out / "tags/iran/rss.xml").read_text()


def test_feeds_dated_by_the_build_are_not_up_to_date_later(make_site, cli) -> None:
    site = make_site({"sitegen.yaml": "title: Empty Times\nbase_url: https://example.test/\n"},
                     base=False)
    build_site(cli, site)
    later = cli("build", "--site", site, "--now", "2026-11-26T08:00:00+00:00")
    assert later.code == 0, later.err
    assert "Up to date" not in later.out
    assert _updated(site / "build", "")["atom"] == "2026-11-26T08:00:00Z"
