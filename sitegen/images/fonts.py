"""The fonts share cards are drawn in: Noto (SIL Open Font License 1.1), from Debian's
`fonts-noto-core` (Latin, Greek, Cyrillic, Arabic script) and `fonts-noto-cjk` (Chinese,
Japanese, Korean), which scripts/setup.sh installs. Each text role has a chain of fonts;
each word is drawn in the first font of its chain that has all its letters.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from PIL import ImageFont, features

FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts",
              str(Path.home() / ".local/share/fonts"))
# Per role, the files tried in order: Latin first, then Arabic script, then CJK.
CHAINS = {
    "headline": ("NotoSerif-Bold.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSerifCJK-Bold.ttc",
                 "NotoSansCJK-Bold.ttc"),
    "label": ("NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf", "NotoSansCJK-Bold.ttc"),
    "text": ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf",
             "NotoSansCJK-Regular.ttc"),
}
# Which face of a CJK collection to use, by the site's language (the collections hold the
# Japanese, Korean, Simplified and Traditional Chinese designs of each character).
CJK_INDEX = {"ja": 0, "ko": 1, "zh": 2, "zh-cn": 2, "zh-hans": 2, "zh-tw": 3, "zh-hant": 3,
             "zh-hk": 4}
MISSING_NOTE = ("share cards are drawn in a fallback font: install the Noto fonts "
                "(Debian: apt-get install fonts-noto-core fonts-noto-cjk) for every script.")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, str]:
    """Font file name -> path, for the font folders of this machine."""
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for folder, _, names in os.walk(root):
            for name in names:
                found.setdefault(name, os.path.join(folder, name))
    return found


def files(role: str) -> list[str]:
    """The font files of `role`'s chain present here."""
    installed = _installed()
    return [installed[name] for name in CHAINS[role] if name in installed]


def identity() -> str:
    """What the cards' pixels depend on of the fonts: their files, sizes and times."""
    parts = []
    for role in sorted(CHAINS):
        for path in files(role):
            st = os.stat(path)
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts) + f"|raqm={features.check('raqm')}"


def complete() -> bool:
    return all(len(files(role)) == len(CHAINS[role]) for role in CHAINS)


@functools.lru_cache(maxsize=64)
def chain(role: str, size: int, language: str) -> tuple[Font, ...]:
    """The fonts of `role` at `size` pixels; Pillow's own font if none is installed."""
    layout = (ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC)
    index = CJK_INDEX.get(language.lower(), CJK_INDEX.get(language.lower()[:2], 2))
    fonts: list[Font] = [
        ImageFont.truetype(path, size, index=index if path.endswith(".ttc") else 0,
                           layout_engine=layout)
        for path in files(role)]
    return tuple(fonts) or (ImageFont.load_default(size),)


@functools.lru_cache(maxsize=8192)
def covers(font: Font, char: str) -> bool:
    """True when `font` has a glyph for `char` (not the empty box drawn for a missing one)."""
    if char.isspace():
        return True
    return _glyph(font, char) != _glyph(font, "\U0010fffd")


@functools.lru_cache(maxsize=8192)
def _glyph(font: Font, char: str) -> tuple[tuple[int, int], bytes]:
    """The glyph's mask as pixels: a missing glyph draws the font's one empty box."""
    mask = font.getmask(char)
    return mask.size, bytes(mask)


def for_word(fonts: tuple[Font, ...], word: str) -> Font:
    """The first font of the chain with every letter of `word`; else the first."""
    for font in fonts:
        if all(covers(font, ch) for ch in word):
            return font
    return fonts[0]
