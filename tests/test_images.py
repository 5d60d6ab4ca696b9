"""Image sizes read from file headers, and the lead image's width and height on the page."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import FIXED_NOW

from sitegen.content.images import image_size, read_image_size, static_file


def png(width: int, height: int) -> bytes:
    """A real, decodable grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x3b"


def jpeg(width: int, height: int, *, exif_bytes: int = 0, frame: int = 0xC0) -> bytes:
    """SOI, a JFIF APP0, an optional APP1 of `exif_bytes`, then the frame header."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    parts = [b"\xff\xd8", b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0]
    while exif_bytes > 0:  # a segment holds at most 65533 bytes, as in a real file
        size = min(exif_bytes, 65000)
        parts.append(b"\xff\xe1" + struct.pack(">H", size + 2) + b"\x00" * size)
        exif_bytes -= size
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    parts.append(b"\xff" + bytes([frame]) + struct.pack(">H", len(sof) + 2) + sof)
    parts.append(b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x00" * 16 + b"\xff\xd9")
    return b"".join(parts)


def webp(kind: bytes, payload: bytes) -> bytes:
    body = b"WEBP" + kind + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_lossy(width: int, height: int) -> bytes:
    return webp(b"VP8 ", b"\x00" * 3 + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
                + b"\x00" * 8)


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    return webp(b"VP8L", b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 8)


def webp_extended(width: int, height: int) -> bytes:
    return webp(b"VP8X", b"\x10\x00\x00\x00" + (width - 1).to_bytes(3, "little")
                + (height - 1).to_bytes(3, "little"))


@pytest.mark.parametrize(("data", "size"), [
    (png(3, 2), (3, 2)),
    (png(1200, 675), (1200, 675)),
    (gif(5, 7), (5, 7)),
    (jpeg(640, 480), (640, 480)),
    (jpeg(300, 200, frame=0xC2), (300, 200)),  # progressive
    (webp_lossy(800, 450), (800, 450)),
    (webp_lossless(33, 17), (33, 17)),
    (webp_extended(4000, 3000), (4000, 3000)),
], ids=["png", "png-large", "gif", "jpeg", "jpeg-progressive", "webp-lossy",
        "webp-lossless", "webp-extended"])
def test_image_size_reads_each_format(data: bytes, size: tuple[int, int]) -> None:
    assert image_size(data) == size


@pytest.mark.parametrize("data", [
    b"", b"plain text", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    png(3, 2)[:20],  # cut inside the header
    jpeg(640, 480)[:26],  # cut inside the frame header
    gif(0, 7),  # zero width
    b"\xff\xd8\xff\xda\x00\x08" + b"\x00" * 20,  # image data with no frame header
], ids=["empty", "text", "svg", "short-png", "short-jpeg", "zero-gif", "jpeg-no-frame"])
def test_image_size_is_none_when_it_cannot_tell(data: bytes) -> None:
    assert image_size(data) is None


def test_read_image_size_reads_past_a_large_exif_block(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg(2048, 1536, exif_bytes=150_000))
    assert path.stat().st_size > 128 * 1024
    assert read_image_size(path) == (2048, 1536)


def test_static_file_finds_the_copy_that_will_be_published(tmp_path: Path) -> None:
    theme, site = tmp_path / "theme-static", tmp_path / "static"
    for folder in (theme, site):
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "a.png").write_bytes(png(1, 1))
    (theme / "images" / "only-theme.png").write_bytes(png(1, 1))
    dirs = [theme, site]  # copy order: the site's own folder wins
    assert static_file("/images/a.png", "", dirs) == site / "images" / "a.png"
    assert static_file("/images/only-theme.png", "", dirs) == theme / "images" / "only-theme.png"
    assert static_file("/sub/images/a.png", "/sub", dirs) == site / "images" / "a.png"
    assert static_file("/images/a.png?v=2", "", dirs) == site / "images" / "a.png"
    for outside in ("https://cdn.example/a.png", "//cdn.example/a.png", "images/a.png",
                    "/images/missing.png", "/images/../../etc/passwd", "/"):
        assert static_file(outside, "", dirs) is None, outside


ARTICLE = """
    ---
    title: Pictured Story
    date: 2024-03-04T10:00:00Z
    author: ann-lee
    section: news
    image: {image}
    image_alt: A grey square.
    ---
    A story with a picture.
"""


def _img_tags(page: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", page)


def test_the_lead_image_carries_its_pixel_size(make_site, cli) -> None:
    site = make_site({
        "content/articles/2024/pictured.md": ARTICLE.format(image="/images/lead.png"),
        "static/images/lead.png": png(40, 30),
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert "image `/images/lead.png` is 40 x 30 pixels" in result.err  # too small to share
    page = (site / "build/2024/03/04/pictured/index.html").read_text()
    lead = [tag for tag in _img_tags(page) if 'alt="A grey square."' in tag]
    assert len(lead) == 1
    assert 'src="/_img/' in lead[0] and 'srcset="/_img/' in lead[0]  # never the raw file
    assert 'width="40"' in lead[0] and 'height="30"' in lead[0]
    assert 'loading="lazy"' not in lead[0]  # the lead image is above the fold


def test_a_missing_image_is_a_warning_at_its_line(make_site, cli) -> None:
    site = make_site({
        "content/articles/2024/pictured.md": ARTICLE.format(image="/images/missing.png"),
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert ("content/articles/2024/pictured.md:6:8: warning: image `/images/missing.png` is "
            "not in static/") in result.err
    page = (site / "build/2024/03/04/pictured/index.html").read_text()
    lead = [tag for tag in _img_tags(page) if "missing.png" in tag]
    assert lead and "width=" not in lead[0]


def test_an_image_on_another_host_is_left_alone(make_site, cli) -> None:
    site = make_site({
        "content/articles/2024/pictured.md": ARTICLE.format(
            image="https://images.example/lead.jpg"),
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert "warning" not in result.err
