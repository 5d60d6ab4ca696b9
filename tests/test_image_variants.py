"""Responsive images: variants of real photos (made here with Pillow), their markup, their
metadata stripped, orientation and colour, the cache, and what a rebuild does to them."""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

import image_fixtures as fx
import pytest
from conftest import FIXED_NOW, write_files
from PIL import Image

from sitegen.engine.build import BuildOptions, build

ARTICLE = """
    ---
    title: {title}
    date: 2024-03-0{day}T10:00:00Z
    author: ann-lee
    section: news
    image: /images/{image}
    image_alt: {alt}
    ---
    {body}
"""


def article(title: str, day: int, image: str, body: str = "The story.",
            alt: str = "What the picture shows.") -> str:
    return textwrap.dedent(ARTICLE).lstrip().format(title=title, day=day, image=image,
                                                      body=body, alt=alt)


def photo_files() -> dict[str, str | bytes]:
    return {
        "content/articles/2024/large.md": article(
            "Large", 4, "large.jpg", "Intro.\n\n![A chart of trade](/images/chart.png)\n\nMore."),
        "content/articles/2024/rotated.md": article("Rotated", 5, "rotated.jpg"),
        "content/articles/2024/located.md": article("Located", 6, "located.jpg"),
        "content/articles/2024/cmyk.md": article("Printed", 7, "cmyk.jpg"),
        "static/images/large.jpg": fx.large_jpeg(),
        "static/images/rotated.jpg": fx.rotated_jpeg(),
        "static/images/located.jpg": fx.gps_jpeg(),
        "static/images/cmyk.jpg": fx.cmyk_jpeg(),
        "static/images/chart.png": fx.alpha_png(),
    }


@pytest.fixture
def photo_site(make_site):
    """Two of the photos (and the body image), to build and change."""
    keep = ("large", "located", "chart")
    return make_site({rel: data for rel, data in photo_files().items()
                      if any(name in rel for name in keep)})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The photo site built once, for the tests that only read its output."""
    site = write_files(tmp_path_factory.mktemp("photos") / "site", {
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n",
        "content/authors/ann-lee.yaml": "name: Ann Lee\n",
        "content/articles/2024/plain.md": "---\ntitle: Plain\ndate: 2024-03-01\n"
                                          "author: ann-lee\n---\nNo picture.\n",
        **photo_files()})
    assert run(site).images > 40
    return site


def run(site: Path, **kw: object):
    return build(BuildOptions(site=site, now=FIXED_NOW, jobs=2, **kw))  # type: ignore[arg-type]


def page(site: Path, day: int, slug: str) -> str:
    return (site / f"build/2024/03/0{day}/{slug}/index.html").read_text()


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def srcset_files(site: Path, srcset: str) -> list[tuple[Path, int]]:
    found = []
    for item in srcset.split(", "):
        url, width = item.split(" ")
        found.append((site / "build" / url.lstrip("/"), int(width[:-1])))
    return found


def opened(path: Path) -> Image.Image:
    im = Image.open(path)
    im.load()
    return im


def test_a_large_photo_gets_every_width_in_every_format(built: Path) -> None:
    html = page(built, 4, "large")
    lead = pictures(html)[0]
    sources = dict(re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', lead))
    assert list(sources) == ["image/avif", "image/webp"]
    img = re.search(r"<img [^>]*>", lead).group(0)
    assert 'width="3000" height="2000"' in img and 'fetchpriority="high"' in img
    assert 'loading="lazy"' not in img
    assert 'sizes="(min-width: 58rem) 56rem, calc(100vw - 2rem)"' in img
    own = re.search(r'srcset="([^"]+)"', img).group(1)
    for srcset, fmt in [(sources["image/avif"], "AVIF"), (sources["image/webp"], "WEBP"),
                        (own, "JPEG")]:
        files = srcset_files(built, srcset)
        assert [w for _, w in files] == [480, 800, 1200, 1600]
        for path, width in files:
            im = opened(path)
            assert im.format == fmt and im.size == (width, round(width * 2 / 3))
    sizes = [p.stat().st_size for p, _ in srcset_files(built, own)]
    assert sizes == sorted(sizes) and sizes[0] < 60_000  # a phone's file is small


def test_body_images_become_lazy_pictures_never_wider_than_the_original(built: Path) -> None:
    html = page(built, 4, "large")
    body = pictures(html)[1]
    img = re.search(r"<img [^>]*>", body).group(0)
    assert 'alt="A chart of trade"' in img and 'loading="lazy"' in img
    assert 'width="1400" height="900"' in img and "fetchpriority" not in img
    files = srcset_files(built, re.search(r'srcset="([^"]+)"', img).group(1))
    assert [w for _, w in files] == [480, 800, 1200, 1400]
    for path, _ in files:  # the PNG with alpha keeps its transparency in every format
        assert opened(path).mode == "RGBA"
    webp = re.search(r'type="image/webp" srcset="([^ ]+)', body).group(1)
    im = opened(built / "build" / webp.lstrip("/"))
    assert im.mode == "RGBA" and im.getpixel((im.width - 5, 5))[3] == 0


def _every_image(site: Path) -> list[Path]:
    return [p for p in (site / "build").rglob("*")
            if p.suffix in {".jpg", ".png", ".webp", ".avif"}]


def test_no_published_image_keeps_the_photographers_metadata(built: Path) -> None:
    source = built / "static/images/located.jpg"
    assert Image.open(source).getexif().get_ifd(fx.GPS_IFD)  # the source has GPS data
    published = _every_image(built)
    assert built / "build/images/located.jpg" in published
    for path in published:
        im = Image.open(path)
        assert not im.getexif(), path
        assert "exif" not in im.info and "xmp" not in im.info, path
        data = path.read_bytes()
        assert b"Spyglass" not in data and b"Exif\x00\x00" not in data, path


def test_exif_orientation_is_applied(built: Path) -> None:
    lead = pictures(page(built, 5, "rotated"))[0]
    assert 'width="1000" height="1600"' in lead
    src = re.search(r'<img src="([^"]+)"', lead).group(1)
    im = opened(built / "build" / src.lstrip("/")).convert("RGB")
    assert im.height > im.width
    r, g, b = im.getpixel((im.width - 10, 10))  # the marker, now top right
    assert r > 200 and g < 60 and b < 60
    original = opened(built / "build/images/rotated.jpg")
    assert original.size == (1000, 1600) and not original.getexif()


def test_a_cmyk_photo_is_published_in_rgb(built: Path) -> None:
    for path in [built / "build/images/cmyk.jpg",
                 *(p for p in _every_image(built) if "/cmyk-" in str(p))]:
        im = opened(path).convert("RGBA")
        assert opened(path).mode in ("RGB", "RGBA"), path
        r, g, b, _ = im.getpixel((10, im.height // 2))  # cyan stays cyan
        assert r < 90 and g > 140 and b > 170, (path, (r, g, b))


def test_share_image_and_json_ld_crops(built: Path) -> None:
    html = page(built, 4, "large")
    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', html))
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["og:image:alt"] == "What the picture shows."
    card = opened(built / "build" / og["og:image"].split("/", 3)[3])
    assert card.size == (1200, 630) and card.format == "JPEG"
    twitter = re.search(r'<meta name="twitter:image" content="([^"]+)"', html).group(1)
    assert twitter == og["og:image"]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html, re.S).group(1))
    sizes = [opened(built / "build" / url.split("/", 3)[3]).size for url in data["image"]]
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]


def _image_files(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site / "build").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in _every_image(site)}


def test_a_text_edit_processes_no_image(photo_site: Path) -> None:
    first = run(photo_site)
    assert first.images > 40
    before = _image_files(photo_site)
    path = photo_site / "content/articles/2024/large.md"
    path.write_text(path.read_text().replace("More.", "More, edited."))
    again = run(photo_site)
    assert again.images == 0
    assert "More, edited." in page(photo_site, 4, "large")
    assert _image_files(photo_site) == before  # not one image file written again
    # A build from scratch (the output deleted) takes the variants from the cache.
    import shutil

    shutil.rmtree(photo_site / "build")
    assert run(photo_site).images == 0


def test_the_variants_of_a_deleted_image_leave_the_output(photo_site: Path) -> None:
    run(photo_site)
    lead = pictures(page(photo_site, 6, "located"))[0]
    variants = [photo_site / "build" / u.lstrip("/")
                for u in re.findall(r'(/_img/[^ "]+)', lead)]
    assert variants and all(p.exists() for p in variants)
    (photo_site / "static/images/located.jpg").unlink()
    (photo_site / "content/articles/2024/located.md").unlink()
    run(photo_site)
    assert not any(p.exists() for p in variants)
    assert not (photo_site / "build/images/located.jpg").exists()
    cached = {p.name for p in (photo_site / ".sitegen-cache/images").iterdir()}
    assert len(cached) == len(_every_image(photo_site))  # its cache files went too


def test_a_changed_photo_gets_new_files(photo_site: Path) -> None:
    run(photo_site)
    old = pictures(page(photo_site, 4, "large"))[0]
    (photo_site / "static/images/large.jpg").write_bytes(fx.jpeg_bytes(fx.photo(2400, 1600)))
    result = run(photo_site)
    new = pictures(page(photo_site, 4, "large"))[0]
    assert result.images > 0 and new != old and 'width="2400"' in new


def test_image_settings_shape_the_variants(photo_site: Path) -> None:
    config = photo_site / "sitegen.yaml"
    config.write_text(config.read_text() + "images:\n  widths: [640, 1024]\n  formats: [webp]\n"
                      "  quality: 60\n")
    run(photo_site)
    lead = pictures(page(photo_site, 4, "large"))[0]
    assert "image/avif" not in lead and "image/webp" in lead
    assert "-640.webp 640w" in lead and "-1024.jpg 1024w" in lead and "-1600" not in lead


def test_bad_image_settings_are_errors_at_their_line(make_site, cli) -> None:
    site = make_site()
    config = site / "sitegen.yaml"
    config.write_text(config.read_text() + "images:\n  widths: [0]\n  formats: [jxl]\n"
                      "  qualty: 9\n")
    result = cli("build", "--site", site)
    assert result.code == 2
    assert "sitegen.yaml:5:1: error: `images.widths` must be a list of pixel widths" in result.err
    assert "sitegen.yaml:6:1: error: unknown image format `jxl`." in result.err
    assert "sitegen.yaml:7:1: error: unknown image setting `qualty`. Did you mean `quality`?" \
        in result.err
    assert not (site / "build").exists()


def test_lead_image_problems_at_the_front_matter_line(make_site, cli) -> None:
    small = io.BytesIO()
    fx.photo(600, 400).save(small, "JPEG")
    site = make_site({
        "content/articles/2024/small.md": article("Small", 4, "small.jpg"),
        "content/articles/2024/no-alt.md": article("No alt", 5, "large.jpg").replace(
            "image_alt: What the picture shows.\n", ""),
        "static/images/small.jpg": small.getvalue(),
        "static/images/large.jpg": fx.large_jpeg(),
    })
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert ("content/articles/2024/small.md:6:8: warning: image `/images/small.jpg` is 600 x "
            "400 pixels; share cards and search previews want at least 1200 pixels wide.") \
        in result.err
    assert ("content/articles/2024/no-alt.md:6:8: warning: image `/images/large.jpg` has no "
            "`image_alt`.") in result.err
    (site / "static/images/broken.jpg").write_text("this is a text file, not a photo")
    (site / "content/articles/2024/broken.md").write_text(
        (site / "content/articles/2024/small.md").read_text().replace("small.jpg",
                                                                      "broken.jpg"))
    before = (site / "build/index.html").read_bytes()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert ("content/articles/2024/broken.md:6:8: error: image `/images/broken.jpg` is not an "
            "image file") in result.err
    assert (site / "build/index.html").read_bytes() == before
