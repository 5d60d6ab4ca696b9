"""In real headless Chromium: the lead picture loads the variant its layout needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import image_fixtures as fx
import pytest
from conftest import FIXED_NOW

from scripts.demo_site import serve
from sitegen.engine.build import BuildOptions, build


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
    with serve(photo_build) as origin:
        context = chromium_browser.new_context(viewport={"width": width, "height": 800},
                                               device_scale_factor=scale)
        page = context.new_page()
        try:
            page.goto(origin + "/2024/03/04/photo/", wait_until="load")
            found = page.eval_on_selector(
                ".lead-figure img",
                "img => [img.currentSrc, img.complete && img.naturalWidth > 0,"
                " img.getBoundingClientRect().width]")
        finally:
            context.close()
    src, decoded, shown = found
    assert src.endswith(variant), src
    assert decoded  # Chromium decoded the AVIF file
    assert shown == pytest.approx(min(width - 32, 896), abs=1)
