"""Which files a source image gets, what they are called, and how pages point to them.

A source photo of width W gets, for each configured width w < W (and W itself when it is
smaller than the widest), a variant in each modern format and in its own format; a
1200 x 630 share crop; the three JSON-LD crops; and a copy of itself, upright and stripped
of its metadata, at its own URL (the file in static/ is never published as it is: it may
hold the photographer's GPS coordinates). Names carry a digest of the source's bytes and the
settings, so a changed photo gets new URLs and no reader's cache shows the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitegen.config_images import ImageSettings
from sitegen.images.model import (
    EXTENSION,
    JSONLD_RATIOS,
    JSONLD_WIDTH,
    MIME,
    SHARE_SIZE,
    Picture,
    PictureSource,
    Rendition,
    ShareImage,
)

VARIANT_FOLDER = "_img"  # output folder of every variant and crop
FALLBACK_WIDTH = 1200  # the `src` for browsers without srcset: the widest up to this


@dataclass(frozen=True)
class SourceImage:
    """A local image file an article shows, as read (its header and digest only)."""

    url: str  # root-relative, as the article gives it
    rel: str  # its output path, where it is published
    path: str  # the file in static/
    digest: str  # of its bytes
    width: int  # upright
    height: int
    kind: str  # jpeg, png or webp


@dataclass(frozen=True)
class Planned:
    """What one source image gives: the picture pages print, the share crop, the JSON-LD
    crops, and every file to make."""

    picture: Picture
    share: ShareImage
    jsonld: tuple[str, ...]
    renditions: tuple[Rendition, ...]


def plan_image(image: SourceImage, settings: ImageSettings, root_path: str,
               digest: Callable[..., str]) -> Planned:
    """Every file `image` gets under `settings`; `digest(*parts)` keys them (its output is
    hex). Files go under root_path + /_img/<digest of source and settings>/."""
    base = digest(image.digest, repr(settings))[:12]
    stem = image.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    folder = f"{VARIANT_FOLDER}/{base}/{stem}"
    made: list[Rendition] = []

    def rendition(width: int, height: int, fmt: str, crop: bool) -> Rendition:
        rel = f"{folder}-{f'{width}x{height}' if crop else width}.{EXTENSION[fmt]}"
        made.append(Rendition(rel, digest(image.digest, rel, str(settings.quality)),
                              width, height, fmt, crop))
        return made[-1]

    made.append(Rendition(image.rel, digest(image.digest, "upright", str(settings.quality)),
                          image.width, image.height, image.kind))
    widths = variant_widths(image.width, settings.widths)
    sources = []
    for fmt in (f for f in settings.formats if f != image.kind):
        files = [rendition(w, _height(image, w), fmt, False) for w in widths]
        sources.append(PictureSource(MIME[fmt], _srcset(files, root_path)))
    own = [rendition(w, _height(image, w), image.kind, False) for w in widths]
    fallback = [r for r in own if r.width <= FALLBACK_WIDTH] or own[:1]
    picture = Picture(root_path + "/" + fallback[-1].rel, _srcset(own, root_path),
                      image.width, image.height, tuple(sources))
    share_fmt = "png" if image.kind == "png" else "jpeg"
    share = rendition(*_fit(image, SHARE_SIZE[0], SHARE_SIZE), share_fmt, True)
    crops = [rendition(*_fit(image, JSONLD_WIDTH, ratio), share_fmt, True)
             for ratio in JSONLD_RATIOS]
    return Planned(picture, ShareImage(root_path + "/" + share.rel, share.width, share.height,
                                       MIME[share_fmt]),
                   tuple(root_path + "/" + c.rel for c in crops), tuple(made))


def variant_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """The configured widths under the original's, and the original's own width when it is
    under the widest configured (never wider than the original: no upscaling)."""
    chosen = [w for w in widths if w < width]
    if width <= widths[-1] and width not in chosen:
        chosen.append(width)
    return chosen or [width]


def _height(image: SourceImage, width: int) -> int:
    return max(1, round(image.height * width / image.width))


def _fit(image: SourceImage, width: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The size of a ratio-shaped crop `width` wide, or the largest the source allows."""
    w_ratio, h_ratio = ratio
    best = min(image.width, image.height * w_ratio // h_ratio, width)
    return best, max(1, best * h_ratio // w_ratio)


def _srcset(files: list[Rendition], root_path: str) -> str:
    return ", ".join(f"{root_path}/{r.rel} {r.width}w" for r in files)
