"""The plan's data: every output as plain values (URL, file, template, context), the
feeds, and the site-wide values every template sees. Made by sitegen.plan.pages, read by
the render stage, the sitemaps, the page keys and the dev server's incremental steps.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sitegen import __version__
from sitegen.config import Config, Publisher
from sitegen.config_taxonomies import TaxonomyConfig
from sitegen.locale.catalogue import Strings
from sitegen.model.site import Article, Page, Section

# What a listing's pages were made from (its articles, its other inputs): see Listings.
MadeFrom = tuple[tuple[Any, ...], tuple[Any, ...]]


@dataclass(frozen=True)
class SiteInfo:
    """What every template may read about the site as a whole, as `site`."""

    title: str
    description: str
    base_url: str
    root: str  # root-relative URL of the home page, "/" or "/sub/"
    language: str
    publisher: Publisher
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    extra: dict[str, Any]
    build_time: datetime
    feed_url: str
    generator: str = f"sitegen {__version__}"
    feed_files: tuple[FeedFile, ...] = ()  # the site's feed in every format, for links
    taxonomies: tuple[TaxonomyConfig, ...] = ()  # sitegen.yaml's, besides tags
    direction: str = "ltr"  # of `language`: rtl for Arabic, Persian, Hebrew...
    assets: str = ""  # root-relative URL of the site's stylesheet, icon and search index
    strings: Strings | None = None  # the theme's strings in `language`
    default: bool = True  # the site's default language (a multilingual site has others)
    logo_size: tuple[int, int] = (0, 0)  # publisher.logo's width and height, when read


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a paginated listing; URLs are root-relative, None where there is none."""

    number: int
    total: int
    items: tuple[Article, ...]
    urls: tuple[str, ...]  # the URL of every page of this listing, page 1 first

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show: first, last and `size` around the current; None is a gap."""
        keep = {1, self.total, *range(self.number - size, self.number + size + 1)}
        shown: list[int | None] = []
        for n in range(1, self.total + 1):
            if n in keep:
                shown.append(n)
            elif shown and shown[-1] is not None:
                shown.append(None)
        return shown




@dataclass(frozen=True, slots=True)
class FeedFile:
    """One format a feed is written in (sitegen.yaml's `feed_formats`): its file and type."""

    format: str  # atom, rss or json
    label: str  # what a reader sees: "Atom", "RSS", "JSON Feed"
    mime: str
    path: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed as a page links to it (`<link rel="alternate">`): not its entries, so that a
    page's key does not change when an article it does not show changes. `url` is its
    first format's; `files` are all of them, in the order of `feed_formats`."""

    path: str
    url: str
    html_url: str
    title: str
    files: tuple[FeedFile, ...] = ()


# Every feed format sitegen writes: file name beside the others, media type, label.
FEED_FORMATS: dict[str, tuple[str, str, str]] = {
    "atom": ("feed.xml", "application/atom+xml", "Atom"),
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "json": ("feed.json", "application/feed+json", "JSON Feed"),
}


def feed_files(config: Config, folder_url: str) -> tuple[FeedFile, ...]:
    """The files of the feed of the page at `folder_url`, one per configured format."""
    return feed_files_at(config.site_path, config.feed_formats, folder_url)


def feed_files_at(root_path: str, formats: tuple[str, ...],
                  folder_url: str) -> tuple[FeedFile, ...]:
    """`feed_files` from the two settings it depends on (`root_path`: the site's path,
    `Config.site_path`)."""
    files = []
    for name in formats:
        file, mime, label = FEED_FORMATS[name]
        files.append(FeedFile(name, label, mime, _output_path(root_path, folder_url + file),
                              folder_url + file))
    return tuple(files)


@dataclass(frozen=True, slots=True)
class FeedImage:
    """A local image a feed shows (a lead image, or one in a full-content body), as read
    from static/ before rendering, so that the feed's key changes with the file."""

    url: str  # as the article gives it
    length: int  # bytes
    mime: str
    width: int = 0
    height: int = 0


@dataclass(frozen=True, slots=True)
class CorrectionNotice:
    """One published correction with the article it corrects, for /corrections/ and its feed."""

    article: Article
    date: datetime
    text_html: str
    number: int  # 1 for the article's first correction, so it stays put as more are added

    @property
    def anchor(self) -> str:
        return f"correction-{self.number}"


@dataclass(frozen=True)
class Feed:
    """A feed in one format (`format`: atom, rss or json): its file, the page it belongs
    to, and its newest entries. The plan holds one Feed per format of each feed; `files`
    names all of them, for links.

    Most feeds list articles; the corrections feed (`kind` "corrections") lists corrections.
    `empty_updated` dates a feed with no entries (the site's newest article, else the
    build's time), so that no feed says 1970. `images` are the local images it shows
    (see sitegen.engine.feedmedia).
    """

    path: str
    url: str
    html_url: str
    title: str
    articles: tuple[Article, ...]
    kind: str = "articles"
    corrections: tuple[CorrectionNotice, ...] = ()
    format: str = "atom"
    files: tuple[FeedFile, ...] = ()
    empty_updated: datetime | None = None
    images: tuple[FeedImage, ...] = ()
    site: SiteInfo | None = None  # a language's own, on a multilingual site's other languages

    @cached_property  # one object per feed: every page's key digests it once, not anew
    def link(self) -> FeedLink:
        """How pages link to it: not its entries (see FeedLink)."""
        if not self.files:
            return FeedLink(self.path, self.url, self.html_url, self.title)
        first = self.files[0]
        return FeedLink(first.path, first.url, self.html_url, self.title, self.files)


def in_every_format(feeds: Sequence[Feed], empty_updated: datetime) -> list[Feed]:
    """Each feed once per format of its `files`; an empty one dated `empty_updated`."""
    made = []
    for feed in feeds:
        empty = not feed.articles and not feed.corrections
        for file in feed.files:
            made.append(dataclasses.replace(feed, path=file.path, url=file.url,
                                            format=file.format,
                                            empty_updated=empty_updated if empty else None))
    return made


def feed_links(feeds: Sequence[Feed]) -> tuple[FeedLink, ...]:
    return tuple(f.link for f in feeds)


@dataclass(frozen=True, slots=True)
class PlannedPage:
    url: str
    path: str  # inside the output folder
    template: str
    kind: str
    title: str
    context: dict[str, Any] = field(hash=False)
    lastmod: datetime | None = None
    feeds: tuple[FeedLink, ...] = ()
    in_sitemap: bool = True


@dataclass(frozen=True)
class Plan:
    site: SiteInfo
    pages: tuple[PlannedPage, ...]
    feeds: tuple[Feed, ...]
    # Each listing's pages by its first URL, with what they were made from: the dev
    # server's next plan takes them as they are when that is the same (see Listings).
    listings: dict[str, tuple[MadeFrom, list[PlannedPage]]] = field(
        default_factory=dict, compare=False, repr=False)
    # Aliases with a query (`/?p=12`): no file answers them, `_redirects` does (alias, URL).
    query_redirects: tuple[tuple[str, str], ...] = ()


def output_path(config: Config, url: str) -> str:
    """The file inside the output folder that serves a root-relative URL."""
    return _output_path(config.site_path, url)


def _output_path(root_path: str, url: str) -> str:
    rel = url[len(root_path):] if url.startswith(root_path) else url
    rel = rel.lstrip("/")
    # Interned: each page's path is also a key of the writer's manifest and of the records
    # of reads, which arrive from the render workers as copies (sitegen.engine.produce).
    return sys.intern(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
