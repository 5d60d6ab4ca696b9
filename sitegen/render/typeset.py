"""Typography for the short texts templates print: headlines and deks get the curly quotes
their bodies already have (the Markdown stage's smart quotes never see front matter)."""

from __future__ import annotations

import functools
import re

# An opening quote follows the start, a space, an opening bracket or a dash; any other
# quote closes (or is an apostrophe: "don't", "the '90s" aside).
_OPENS_AFTER = re.compile(r"""(^|[\s(\[{\u2014\u2013/-])(["'])""")
_OPEN = {'"': "\u201c", "'": "\u2018"}
_CLOSE = {'"': "\u201d", "'": "\u2019"}


@functools.lru_cache(maxsize=1 << 14)  # every headline is printed on several pages
def curly_quotes(text: str) -> str:
    """`text` with straight quotes made curly: "Why 'restraint'?" becomes “Why ‘restraint’?”."""
    if '"' not in text and "'" not in text:
        return text
    opened = _OPENS_AFTER.sub(lambda m: m.group(1) + _OPEN[m.group(2)], text)
    return opened.replace('"', _CLOSE['"']).replace("'", _CLOSE["'"])
