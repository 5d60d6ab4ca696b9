"""In real headless Chromium: the lead picture loads the variant its layout needs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import image_fixtures as fx
import pytest
from conftest import FIXED_NOW

from scripts.demo_site import serve
from sitegen.engine.build import BuildOptions, build


@contextmanager
def page_of(browser: Any, build_dir: Path, path: str, width: int, height: int,
            scale: int) -> Iterator[Any]:
    """A Chromium page at this viewport, loaded from `build_dir` served over loopback."""
    with serve(build_dir) as origin:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      device_scale_factor=scale)
        try:
            page = context.new_page()
            page.goto(origin + path, wait_until="load")
            yield page
        finally:
            context.close()


@pytest.fixture
def photo_build(make_site) -> Path:
    site = make_site({
        "content/articles/2024/photo.md": """
            ---
            title: Pictured
            date: 2024-03-04T10:00:00Z
            author: ann-lee
            section: news
            image: /images/large.jpg
            image_alt: A gradient.
            ---
            A story with a picture.
        """,
        "static/images/large.jpg": fx.large_jpeg(),
    })
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=1))
    return site / "build"


@pytest.mark.parametrize(("width", "scale", "variant"), [
    (360, 1, "-480.avif"),  # a 328 px column
    (360, 2, "-800.avif"),  # 656 device pixels
    (1280, 1, "-1200.avif"),  # the 56rem (896 px) figure
])
def test_the_picture_loads_the_variant_its_width_needs(chromium_browser: Any,
                                                       photo_build: Path, width: int,
                                                       scale: int, variant: str) -> None:
    with page_of(chromium_browser, photo_build, "/2024/03/04/photo/", width, 800,
                 scale) as page:
        found = page.eval_on_selector(
            ".lead-figure img",
            "img => [img.currentSrc, img.complete && img.naturalWidth > 0,"
            " img.getBoundingClientRect().width]")
    src, decoded, shown = found
    assert src.endswith(variant), src
    assert decoded  # Chromium decoded the AVIF file
    assert shown == pytest.approx(min(width - 32, 896), abs=1)


FRONT_SLOTS = ["lead", "top", "top", "top", "block"]  # newest first; the oldest is analysis


@pytest.fixture(scope="module")
def front_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A front page whose lead, three top stories and a desk's first teaser have photos."""
    from conftest import write_files

    site = tmp_path_factory.mktemp("front") / "site"
    files: dict[str, str | bytes] = {
        "sitegen.yaml": "title: T\nbase_url: https://example.test/\n"
                        "images: {formats: [webp], share_cards: false}\n",
        "content/authors/ann-lee.yaml": "name: Ann Lee\n"}
    for n, slot in enumerate(FRONT_SLOTS):
        section = "analysis" if slot == "block" else "news"
        files[f"content/articles/2024/story-{n}.md"] = (
            f"---\ntitle: Story {n}\nsubtitle: The dek of story {n}.\n"
            f"date: 2024-03-{20 - n:02d}T10:00:00Z\nauthor: ann-lee\nsection: {section}\n"
            f"image: /images/photo-{n}.jpg\nimage_alt: Photo {n}.\n---\nBody {n}.\n")
        files[f"static/images/photo-{n}.jpg"] = fx.jpeg_bytes(fx.photo(1800 + n, 1200))
    write_files(site, files)
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=1))
    return site / "build"


def test_every_front_page_photo_is_a_picture_and_only_the_lead_is_fetched_first(
        front_build: Path) -> None:
    html = (front_build / "index.html").read_text()
    pictures = html.split('<picture class="teaser-image">')[1:]
    assert len(pictures) == len(FRONT_SLOTS)
    for n, (slot, picture) in enumerate(zip(FRONT_SLOTS, pictures, strict=True)):
        picture = picture.split("</picture>", 1)[0]
        assert re.search(f'<source type="image/webp" srcset="/_img/[0-9a-f]+/photo-{n}-480.webp '
                         '480w', picture), picture
        assert f'width="{1800 + n}" height="1200"' in picture
        if slot == "lead":
            assert 'fetchpriority="high"' in picture and "loading=" not in picture
        else:
            assert 'loading="lazy"' in picture and "fetchpriority" not in picture
    assert '<img class="teaser-image"' not in html  # no plain image left


@pytest.mark.parametrize(("width", "scale"), [(360, 1), (360, 3), (800, 1), (1000, 1),
                                              (1280, 1), (1280, 2), (1600, 1)])
def test_front_page_pictures_load_the_smallest_variant_that_fills_their_box(
        chromium_browser: Any, front_build: Path, width: int, scale: int) -> None:
    """`sizes` matches the grid: each picture loads the narrowest variant at least as wide
    as it is shown (in device pixels), never one a step wider."""
    with page_of(chromium_browser, front_build, "/", width, 900, scale) as page:
        page.mouse.wheel(0, 100_000)
        page.wait_for_load_state("networkidle")
        shown = page.eval_on_selector_all(
            ".teaser-image img",
            "imgs => imgs.map(img => [img.currentSrc, img.getBoundingClientRect().width])")
    assert len(shown) == len(FRONT_SLOTS)
    for n, (src, box) in enumerate(shown):
        chosen = int(src.rsplit("-", 1)[1].split(".")[0])
        widths = [w for w in (480, 800, 1200, 1600) if w <= 1800 + n]
        needed = box * scale
        fits = [w for w in widths if w >= needed - 1]
        assert chosen == (min(fits) if fits else max(widths)), (n, src, box)
