"""Pillow's part: a source photo decoded once, turned upright, converted to sRGB, stripped of
its metadata, then resized, cropped and encoded into each rendition a PhotoJob asks for.

Nothing of the source's metadata reaches a published file: EXIF (camera, time, GPS
coordinates), XMP, IPTC, comments and text chunks are dropped, because every file is encoded
from pixels alone. The orientation EXIF gives is applied to the pixels first, and the colour
profile converted to sRGB (what browsers assume for an image with none), CMYK included.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from sitegen.images.model import PhotoJob, Rendition

Image.MAX_IMAGE_PIXELS = 120_000_000  # a 12,000 x 10,000 scan; larger is a decompression bomb
# Formats we make variants of. GIF (maybe animated) and SVG (vector) are published as they are.
SOURCE_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
_SRGB = ImageCms.createProfile("sRGB")
_ALPHA = {"RGBA", "LA", "PA"}


class NotAnImage(Exception):
    """The file is not an image Pillow can read, or not one of SOURCE_FORMATS."""


def probe(path: Path) -> tuple[int, int, str]:
    """(width, height, format) of a source image as it will be shown: upright (EXIF
    orientations 5 to 8 swap the sides). Reads the header only."""
    try:
        with Image.open(path) as im:
            kind = SOURCE_FORMATS.get(im.format or "")
            if kind is None:
                raise NotAnImage(f"a {im.format} image, which sitegen does not resize")
            width, height = im.size
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            return width, height, kind
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, NotAnImage):
            raise
        raise NotAnImage("not an image file sitegen can read") from None


def upright_srgb(path: Path) -> Image.Image:
    """The source's pixels, upright, in sRGB (with its alpha, if any), with no metadata."""
    with Image.open(path) as opened:
        opened.load()
        im = ImageOps.exif_transpose(opened)
    im = _to_srgb(im)
    im.info = {}  # nothing of the source's metadata goes on into the files made from it
    return im


def _to_srgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if im.mode == "P" or im.mode.startswith("I") or im.mode == "F":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if icc:
        out = "RGBA" if im.mode in _ALPHA else ("L" if im.mode == "L" else "RGB")
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode=out)
            if converted is not None:
                im = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: read the numbers as they are
    if im.mode == "CMYK":
        im = im.convert("RGB")
    elif im.mode in ("LA", "PA"):
        im = im.convert("RGBA")
    return im


def cover(im: Image.Image, width: int, height: int) -> Image.Image:
    """The largest centred part of `im` of the shape width:height, resized to that size."""
    return ImageOps.fit(im, (width, height), Image.Resampling.LANCZOS)


def render(im: Image.Image, rendition: Rendition, quality: int) -> bytes:
    """One rendition of the upright sRGB image `im`, encoded."""
    size = (rendition.width, rendition.height)
    if rendition.crop:
        out = cover(im, *size)
    elif size != im.size:
        out = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    else:
        out = im
    return encode(out, rendition.format, quality)


def encode(im: Image.Image, fmt: str, quality: int) -> bytes:
    """`im` in `fmt` (jpeg, png, webp, avif), with no metadata at all."""
    buffer = io.BytesIO()
    if fmt == "jpeg":
        if im.mode not in ("RGB", "L"):
            im = _on_white(im)
        im.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "png":
        im.save(buffer, "PNG", compress_level=7)
    elif fmt == "webp":
        im.save(buffer, "WEBP", quality=quality, method=4)
    elif fmt == "avif":
        im.save(buffer, "AVIF", quality=quality, speed=7)
    else:
        raise ValueError(f"unknown format {fmt}")
    return buffer.getvalue()


def _on_white(im: Image.Image) -> Image.Image:
    """A transparent image flattened on white, for a format without alpha."""
    rgba = im.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def make_photo(job: PhotoJob, missing: list[Rendition]) -> list[tuple[Rendition, bytes]]:
    """The `missing` renditions of `job`'s source, from one decoding of it."""
    if not missing:
        return []
    im = upright_srgb(Path(job.source))
    return [(rendition, render(im, rendition, job.quality)) for rendition in missing]
