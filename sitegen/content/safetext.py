"""Text no page may publish, checked in every front matter and in sitegen.yaml."""

from __future__ import annotations

import re
from typing import Any

# What no text of a page may hold, though a YAML escape ("\x00", "\u0007") writes it:
# control characters (tab and line breaks aside), which XML 1.0 forbids in feeds and
# sitemaps; bidirectional embeddings and overrides, which make a headline or byline read
# otherwise than it is stored; lone surrogates, which no UTF-8 file can hold; and the
# noncharacters U+FFFE and U+FFFF.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e"
                     "\ud800-\udfff\ufffe\uffff]")


def unsafe_text(value: Any) -> str | None:
    """Why a front matter value (any text in it, nested ones too) cannot be published."""
    if isinstance(value, str):
        found = _UNSAFE.search(value)
        if found is None:
            return None
        code = ord(found.group())
        if 0x202A <= code <= 0x202E:
            return (f"holds a bidirectional override (U+{code:04X}), which makes text read "
                    "otherwise than it is written. Remove it (`language` sets a page's "
                    "direction).")
        what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        return (f"holds {what} (U+{code:04X}, a YAML escape such as \"\\u{code:04x}\"?), "
                "which no page or feed can show. Remove it.")
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for item in value:
            problem = unsafe_text(item)
            if problem:
                return problem
    return None
