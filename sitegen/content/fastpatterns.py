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
from typing import Any, cast

import markdown
from markdown import inlinepatterns, util
from markdown.blockparser import BlockParser
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

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
        # It does all an InlineProcessor asks of a compiled pattern (finditer, the rest).
        pattern.compiled_re = cast("re.Pattern[str]", _Prefiltered(compiled,
                                                                  REQUIRED[compiled.pattern]))


def tune(md: markdown.Markdown) -> markdown.Markdown:
    """Swap in the equivalent fast patterns on an initialised Markdown instance."""
    for pattern in md.inlinePatterns:
        _tune(pattern)
    if "smarty" in md.treeprocessors:
        for smart in cast(InlineProcessor, md.treeprocessors["smarty"]).inlinePatterns:
            _tune(smart)
    for name in ("inline", "smarty"):
        if name not in md.treeprocessors:
            continue
        processor = md.treeprocessors[name]
        if type(processor) is InlineProcessor:
            processor.__class__ = SkippingInlineProcessor
            cast(SkippingInlineProcessor, processor).prepare()
    if type(md.parser) is BlockParser:
        md.parser.__class__ = SkippingBlockParser
    return md


# ---------------------------------------------------------------- skipping block tests

# What a block must contain for each block processor (by registry name) to take it: the
# test of each searches the whole block with a regular expression (a heading's `#`, a
# quote's `>`, a rule's marks) or, for footnotes and link references, the run does and
# gives the block back. Worked out from Python-Markdown 3.x's expressions and checked in
# tests/test_markup_speed.py; a processor not named here is always asked.
BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    "table": ("|",), "hashheader": ("#",), "hr": ("-", "_", "*"), "quote": (">",),
    "footnote": ("[^",), "reference": ("]:",),
}


class SkippingBlockParser(BlockParser):
    """Python-Markdown's BlockParser, minus the block tests that cannot succeed.

    Every block (a paragraph, mostly) is offered to every block processor in turn, and
    several scan it whole with a regular expression: a tenth of a build's Markdown time. A
    processor is skipped for a block that holds none of what any of its matches must have,
    which is exactly when it would have declined the block."""

    _order: list[tuple[Any, tuple[str, ...] | None]] | None = None

    def parseBlocks(self, parent: Any, blocks: list[str]) -> None:
        order = self._order
        if order is None:  # the processors, with what each needs, in priority order
            registry = self.blockprocessors
            needs = {id(registry[name]): chars for name, chars in BLOCK_NEEDS.items()
                     if name in registry}
            order = self._order = [(processor, needs.get(id(processor)))
                                   for processor in registry]
        while blocks:
            for processor, need in order:
                block = blocks[0]
                if need is not None and not any(n in block for n in need):
                    continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break


# ---------------------------------------------------------------- skipping patterns

# The characters of which a text must hold at least one for each of Python-Markdown's inline
# patterns (by its registry name) to match in it: the first character every match of the
# (rewritten) pattern starts with, worked out by hand from the patterns of Python-Markdown
# 3.x and checked against them in tests/test_markup_speed.py. A pattern not named here is
# never skipped.
NEEDS: dict[str, str] = {
    "backtick": "\\`", "escape": "\\", "footnote": "[", "reference": "[", "link": "[",
    "image_link": "!", "image_reference": "!", "short_reference": "[", "short_image_ref": "!",
    "autolink": "<", "automail": "<", "linebreak": " ", "html": "<", "entity": "&",
    "em_strong": "*_", "em_strong2": "_", "not_strong": "*_",
    "smarty-em-dashes": "-", "smarty-en-dashes": "-", "smarty-ellipses": ".",
    # smarty's quote patterns, in the order it registers them: each needs its one quote.
    **{f"smarty-quotes-{n}": "'" for n in (0, 3, 4, 6, 7, 8, 9, 10)},
    **{f"smarty-quotes-{n}": '"' for n in (1, 2, 5, 11, 12, 13, 14)},
}


def _need_test(chars: str | None) -> str | re.Pattern[str] | None:
    """One character to look for with `in`, or a character class to search for."""
    if chars is None or len(chars) == 1:
        return chars
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's InlineProcessor, minus the calls that cannot match.

    Every text node is offered to every pattern in turn, one Python call each: on an
    archive, hundreds of thousands of calls that only find nothing. A pattern is skipped
    when the text holds none of the characters any of its matches must have (worked out from
    the regular expression itself), which is exactly when the call would return "no match".
    """

    def prepare(self) -> None:
        registry = self.inlinePatterns
        self._patterns = list(registry)
        self._needs: list[str | re.Pattern[str] | None] = [None] * len(self._patterns)
        for name, chars in NEEDS.items():
            if name in registry:
                self._needs[registry.get_index_for_name(name)] = _need_test(chars)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns, needs = self._patterns, self._needs
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(patterns)
        while patternIndex < count:
            need = needs[patternIndex]
            if need is not None and (need not in data if isinstance(need, str)
                                     else need.search(data) is None):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
