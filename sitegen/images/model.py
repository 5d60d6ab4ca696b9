"""What the image stage gives the plan and the templates, and what it asks workers to make.

All plain frozen data: a page's key digests its `PageImages` value by value, so a page is
rendered again exactly when the variants it points to (names, sizes) change.
"""

from __future__ import annotations

from dataclasses import dataclass

# The media type of each format a variant can be written in.
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
EXTENSION = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}
SHARE_SIZE = (1200, 630)  # Open Graph's recommended card (1.91:1)
# Google's article structured data asks for images of these aspect ratios, each of at least
# 50,000 pixels; 1200 px wide is what Google Discover asks for large previews:
# https://developers.google.com/search/docs/appearance/structured-data/article
JSONLD_RATIOS = ((16, 9), (4, 3), (1, 1))
JSONLD_WIDTH = 1200


@dataclass(frozen=True)
class PictureSource:
    """One `<source>` of a `<picture>`: every width in one modern format."""

    mime: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    """A responsive image: `src`, `srcset` in the original's format, modern formats as
    `sources`, and the intrinsic (upright) size for `width` and `height`."""

    src: str
    srcset: str
    width: int
    height: int
    sources: tuple[PictureSource, ...] = ()


@dataclass(frozen=True)
class ShareImage:
    """The image a share shows (Open Graph, Twitter): a crop of the lead image or a card."""

    url: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True, slots=True)
class PageImages:
    """An article's images as its page prints them (`images` in the page's context)."""

    lead: Picture | None = None
    body: tuple[tuple[str, Picture], ...] = ()  # (src as the body gives it, its picture)
    share: ShareImage | None = None
    jsonld: tuple[str, ...] = ()  # root-relative URLs: 16x9, 4x3, 1x1

    def body_picture(self, src: str) -> Picture | None:
        for url, picture in self.body:
            if url == src:
                return picture
        return None


@dataclass(frozen=True)
class Rendition:
    """One file made from a source image: resized to `width` x `height` (cropped to that
    shape first when `crop`), in `format`. `rel` is its output path, `key` its digest
    (source bytes, settings, code), which also names it in the cache."""

    rel: str
    key: str
    width: int
    height: int
    format: str
    crop: bool = False


@dataclass(frozen=True)
class PhotoJob:
    """Everything to make of one source image, in one worker: decoded once."""

    source: str  # the file's path
    renditions: tuple[Rendition, ...]
    quality: int


@dataclass(frozen=True)
class CardSpec:
    """What a generated share card shows, and in which colours."""

    headline: str
    label: str  # the section, as its page labels it
    byline: str
    site_name: str
    logo: str  # path of a local logo file, or ""
    language: str
    colours: tuple[tuple[str, str], ...]  # (role, #rrggbb): bg, text, secondary, label, accent


@dataclass(frozen=True)
class CardJob:
    rel: str
    key: str
    spec: CardSpec


@dataclass(frozen=True)
class Made:
    """A file the image stage made (or found in its cache): where it goes, and where it is."""

    rel: str
    key: str
    cached: str  # path of the cache file holding its bytes
