"""The local images each feed shows, read from static/ before feeds are keyed and rendered.

An RSS `enclosure` states the lead image's length in bytes and its type, and a full-content
body gives every image of the site's its width and height. Those come from the files, not
from the articles: they are attached to each Feed of the plan (`Feed.images`), so a feed's
key (a digest of the Feed) changes when an image file does, and rendering reads no file.
"""

from __future__ import annotations

import dataclasses
import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path

from sitegen.config import Config
from sitegen.content import images
from sitegen.model.site import Article
from sitegen.plan.feedbody import absolute
from sitegen.plan.outputs import Feed, FeedImage, Plan

_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                      re.IGNORECASE)
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF8", "image/gif"),
          (b"\xff\xd8", "image/jpeg"))


def image_type(head: bytes, path: Path) -> str:
    """The media type of an image file, from its first bytes, else from its name."""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class Images:
    """Reads each local image once per build: its length, type and pixel size."""

    def __init__(self, config: Config, static_dirs: Sequence[Path],
                 replaced: dict[Path, Path] | None = None) -> None:
        self.config = config
        self.static_dirs = list(static_dirs)
        self.replaced = replaced or {}
        self._read: dict[str, FeedImage | None] = {}
        self._bodies: dict[int, tuple[Article, tuple[str, ...]]] = {}

    def absolute(self, url: str, article: Article) -> str:
        """An image URL of an article as absolute, the way feeds print it."""
        return absolute(url, self.config.origin + article.url)

    def image(self, absolute_url: str) -> FeedImage | None:
        if absolute_url in self._read:
            return self._read[absolute_url]
        found = None
        origin = self.config.origin
        if absolute_url.startswith(origin + "/"):
            path = images.static_file(absolute_url[len(origin):], self.config.root_path,
                                      self.static_dirs)
            if path is not None:
                path = self.replaced.get(path, path)  # as published
                try:
                    with path.open("rb") as handle:
                        head = handle.read(images.HEAD_BYTES)
                    length = path.stat().st_size
                    size = images.read_image_size(path)
                except OSError:
                    size, length, head = None, -1, b""
                if length >= 0:
                    found = FeedImage(absolute_url, length, image_type(head, path),
                                      *(size or (0, 0)))
        self._read[absolute_url] = found
        return found

    def _body_images(self, article: Article) -> tuple[str, ...]:
        hit = self._bodies.get(id(article))
        if hit is None or hit[0] is not article:
            urls = tuple(self.absolute(next(g for g in m.groups() if g is not None), article)
                         for m in _IMG_SRC.finditer(article.body_html))
            hit = self._bodies[id(article)] = (article, urls)
        return hit[1]

    def of_feed(self, feed: Feed) -> tuple[FeedImage, ...]:
        """The local images `feed` shows: lead images, and body images in full content."""
        urls: dict[str, None] = {}
        for article in feed.articles:
            if article.image:
                urls[self.absolute(article.image, article)] = None
            if self.config.feed_content == "full":
                urls.update(dict.fromkeys(self._body_images(article)))
        found = [self.image(url) for url in urls]
        return tuple(image for image in found if image is not None)


def attach(plan: Plan, config: Config, static_dirs: Sequence[Path],
           replaced: dict[Path, Path] | None = None) -> Plan:
    """The plan with every feed's local images attached (see the module's docstring).
    `replaced`: static files published as another file (sitegen.engine.imagework)."""
    reader = Images(config, static_dirs, replaced)
    feeds = []
    for feed in plan.feeds:
        found = reader.of_feed(feed)
        feeds.append(dataclasses.replace(feed, images=found) if found else feed)
    return dataclasses.replace(plan, feeds=tuple(feeds))
