"""Equivalent, faster regular expressions for Python-Markdown's inline patterns.

Profiling a 1,000-article build showed half of the Markdown time in the inline pass, most of
it in `re` scanning every text node once per pattern: patterns that begin with a lookbehind
(smarty's quotes, dashes and ellipses; the link bracket) get no literal-prefix search from
`re`, so each position of the text is tried. Each rewrite below matches exactly the same
spans with the same groups, but starts with the literal the match must contain (the
lookbehind moved after it and widened by that literal), so `re` can skip ahead to it.
Patterns whose text differs from what is listed (another Python-Markdown version) are left
alone; `tests/test_markup_speed.py` compares the output with stock Python-Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import markdown
from markdown import inlinepatterns
from markdown.extensions import smarty

_CLOSE = smarty.closeClass  # [^\ \t\r\n\[\{\(\-\u0002\u0003]
# smarty's opening-quote context `(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)` as one
# character class first (so `re` searches for it), then what must follow that character.
_OPENING = (r"([\s&\-–—](?:(?<=&)(?:nbsp;|[mn]dash;|#8211;|#8212;)|(?<=-)-"
            r"|(?<=[\s–—])))")

REWRITES: dict[str, str] = {
    r"(?<!-)---(?!-)": r"-(?<!--)--(?!-)",
    r"(?<!-)--(?!-)": r"-(?<!--)-(?!-)",
    r"(?<!\.)\.{3}(?!\.)": r"\.(?<!\.\.)\.\.(?!\.)",
    smarty.doubleQuoteSetsRe2: "'(?<=" + _CLOSE + "')\"",
    smarty.singleQuoteSetsRe2: '"(?<=' + _CLOSE + "\")'",
    smarty.decadeAbbrRe: r"'(?<!\w')(?=\d{2}s)",
    smarty.openingSingleQuotesRegex: _OPENING + r"'(?=\w)",
    smarty.openingDoubleQuotesRegex: _OPENING + r'"(?=\w)',
    smarty.closingSingleQuotesRegex: "'(?<=" + _CLOSE + r"')(?!\s|s\b|\d)",
    smarty.closingDoubleQuotesRegex2: '"(?<=' + _CLOSE + '")',
    inlinepatterns.LINK_RE: r"\[(?<!\!\[)",
}
# Patterns that cannot match a text without one of these characters.
REQUIRED = {
    inlinepatterns.BACKTICK_RE: "`",
}


class _Prefiltered:
    """A compiled pattern that skips texts lacking every character a match needs."""

    def __init__(self, compiled: re.Pattern[str], chars: str) -> None:
        self.compiled = compiled
        self.chars = chars

    def finditer(self, data: str, pos: int = 0) -> Iterator[re.Match[str]]:
        if any(c in data for c in self.chars):
            return self.compiled.finditer(data, pos)
        return iter(())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


def _tune(pattern: Any) -> None:
    compiled = getattr(pattern, "compiled_re", None)
    if not isinstance(pattern, inlinepatterns.InlineProcessor) or compiled is None:
        return
    if compiled.pattern in REWRITES:
        pattern.compiled_re = re.compile(REWRITES[compiled.pattern], compiled.flags)
    elif compiled.pattern in REQUIRED:
        pattern.compiled_re = _Prefiltered(compiled, REQUIRED[compiled.pattern])


def tune(md: markdown.Markdown) -> markdown.Markdown:
    """Swap in the equivalent fast patterns on an initialised Markdown instance."""
    for pattern in md.inlinePatterns:
        _tune(pattern)
    if "smarty" in md.treeprocessors:
        for pattern in md.treeprocessors["smarty"].inlinePatterns:
            _tune(pattern)
    return md
