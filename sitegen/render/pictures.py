"""Body images as pictures: an article body's `<img>` of the site's own photos, split out so
that the theme's `picture` macro (partials/picture.html) prints each as a `<picture>`.

The body HTML is sanitised already; an image's `alt` is kept as it was written there.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from sitegen.images.model import PageImages

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = r"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_SRC = re.compile(_ATTR.format(name="src"), re.IGNORECASE)
_ALT = re.compile(_ATTR.format(name="alt"), re.IGNORECASE)

Part = tuple[str, Any, Markup]  # ("html", text, "") or ("picture", Picture, alt)


def body_parts(html: str, images: PageImages | None) -> list[Part]:
    """`html` as a list of parts: HTML to print as it is, and pictures to print with the
    `picture` macro, in order. Without pictures, the whole body is one part."""
    if images is None or not images.body:
        return [("html", Markup(html), Markup(""))]
    parts: list[Part] = []
    last = 0
    for match in _IMG.finditer(html):
        src = _value(_SRC, match.group(0))
        picture = images.body_picture(src) if src is not None else None
        if picture is None:
            continue
        parts.append(("html", Markup(html[last:match.start()]), Markup("")))
        parts.append(("picture", picture, Markup(_value(_ALT, match.group(0)) or "")))
        last = match.end()
    parts.append(("html", Markup(html[last:]), Markup("")))
    return parts


def _value(pattern: re.Pattern[str], tag: str) -> str | None:
    found = pattern.search(tag)
    if found is None:
        return None
    return found.group(1) if found.group(1) is not None else found.group(2)
