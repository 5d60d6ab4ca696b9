"""Pixel sizes of the site's own images, read from their file headers (stdlib only).

Templates print `width` and `height` on every `img` so the browser reserves the space before
the image arrives and nothing below it jumps (layout shift). Only the header is parsed:
PNG, GIF, JPEG and WebP, the formats browsers show everywhere.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

# Files whose name says they are bitmaps: one whose bytes are none is a broken upload.
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}

# Enough for every header but a JPEG whose size follows a large EXIF or ICC block.
HEAD_BYTES = 64 * 1024

# JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG, GIF, JPEG or WebP file; None if unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return _positive(*struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return _positive(*struct.unpack("<HH", data[6:10]))
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    return None


def _positive(width: int, height: int) -> tuple[int, int] | None:
    return (width, height) if width > 0 and height > 0 else None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the first start-of-frame, which holds height then width."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return _positive(width, height)
        if marker == 0xDA or length < 2:  # image data began with no frame header: broken
            return None
        pos += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return _positive(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _positive(width, height)
    return None


def read_image_size(path: Path) -> tuple[int, int] | None:
    """The size of the image file at `path`, or None if it is not an image we can read."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        size = image_size(head)
        if size is None and head.startswith(b"\xff\xd8") and len(head) == HEAD_BYTES:
            size = image_size(head + handle.read())
    return size


def static_file(url: str, root_path: str, static_dirs: Sequence[Path]) -> Path | None:
    """The file that will be published at a root-relative `url`, or None if none will be.

    `static_dirs` are in copy order, so the last folder holding the file wins, as in the build.
    URLs on other hosts (`https://...`, `//cdn...`) and relative ones are not ours to read.
    """
    if not url.startswith("/") or url.startswith("//"):
        return None
    rel = url.split("?", 1)[0].split("#", 1)[0]
    if root_path and rel.startswith(root_path + "/"):
        rel = rel[len(root_path):]
    parts = [p for p in rel.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        return None
    for folder in reversed(static_dirs):
        candidate = folder.joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None
