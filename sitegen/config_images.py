"""The `images:` settings of sitegen.yaml: the widths, formats and quality of image variants.

Plain data, no Pillow: the configuration stage must not import the image stage (`sitegen
--help` loads no stage).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.content import yamlio
from sitegen.errors import Problem, did_you_mean

# Browsers that show none of these modern formats get the original's format (JPEG, PNG or
# WebP), so every format here is an addition, never the only copy.
IMAGE_FORMATS = ("avif", "webp")
DEFAULT_WIDTHS = (480, 800, 1200, 1600)
KEYS = ("widths", "formats", "quality", "share_cards")
EXAMPLE = "e.g. `images:` then `  widths: [480, 800, 1200, 1600]`, `  formats: [avif, webp]`"


@dataclass(frozen=True)
class ImageSettings:
    """How lead and body images are resized and encoded (see sitegen.images)."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS  # ascending; never wider than the original
    formats: tuple[str, ...] = IMAGE_FORMATS  # besides the original's own format
    quality: int = 80  # 1-100, JPEG, WebP and AVIF (each format's own scale)
    share_cards: bool = True  # a generated 1200 x 630 card for articles without an image


def read_at(value: Any, text: str, path: str, found: list[Problem]) -> ImageSettings:
    """`images:` of sitegen.yaml (`text`), each problem added to `found` at its key's line."""
    problems: list[tuple[str, str]] = []
    settings = read_images(value, problems)
    start, _ = yamlio.key_line(text, "images")
    for key, message in problems:
        line = start if key == "images" else yamlio.value_line(text, f"{key}:", start)
        found.append(Problem(path, line + 1, 1, message))
    return settings


def read_images(value: Any, problems: list[tuple[str, str]]) -> ImageSettings:
    """The `images:` mapping; each problem is (key it is under, message)."""
    if value is None:
        return ImageSettings()
    if not isinstance(value, dict):
        problems.append(("images", f"`images` must be a mapping, {EXAMPLE}."))
        return ImageSettings()
    for key in value:
        if key not in KEYS:
            problems.append((str(key), f"unknown image setting `{key}`."
                             f"{did_you_mean(str(key), list(KEYS))} `images` has "
                             f"{', '.join(KEYS)}."))
    default = ImageSettings()
    return ImageSettings(
        widths=_widths(value.get("widths", list(default.widths)), problems),
        formats=_formats(value.get("formats", list(default.formats)), problems),
        quality=_quality(value.get("quality", default.quality), problems),
        share_cards=_flag(value, "share_cards", problems),
    )


def _widths(value: Any, problems: list[tuple[str, str]]) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in value):
        problems.append(("widths", "`images.widths` must be a list of pixel widths between "
                         "16 and 8192, e.g. [480, 800, 1200, 1600]."))
        return ImageSettings().widths
    return tuple(sorted(set(value)))


def _formats(value: Any, problems: list[tuple[str, str]]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(("formats", "`images.formats` must be a list of "
                         f"{' and '.join(IMAGE_FORMATS)}, or [] for the original's only."))
        return ImageSettings().formats
    formats: list[str] = []
    for item in value:
        name = str(item).strip().lower()
        if name not in IMAGE_FORMATS:
            problems.append(("formats", f"unknown image format `{item}`."
                             f"{did_you_mean(name, list(IMAGE_FORMATS))} Use "
                             f"{' or '.join(IMAGE_FORMATS)}; the original's format is always "
                             "written too."))
        elif name not in formats:
            formats.append(name)
    return tuple(f for f in IMAGE_FORMATS if f in formats)  # the best first, for <source>


def _quality(value: Any, problems: list[tuple[str, str]]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        problems.append(("quality", "`images.quality` must be a whole number from 1 to 100, "
                         "e.g. 80."))
        return ImageSettings().quality
    return value


def _flag(value: dict[str, Any], key: str, problems: list[tuple[str, str]]) -> bool:
    flag = value.get(key, True)
    if not isinstance(flag, bool):
        problems.append((key, f"`images.{key}` must be true or false."))
        return True
    return flag
