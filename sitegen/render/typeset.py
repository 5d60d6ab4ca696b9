"""Typography for the short texts templates print: headlines and deks get the curly quotes
their bodies already have (the Markdown stage's smart quotes never see front matter), in the
page's language: “English”, „Deutsch“, «\u202ffrançais\u202f», 「日本語」.

The marks are the catalogue's `quotes` string (sitegen/locale/messages: CLDR's delimiters),
so a site can set its own house style in `strings:`.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

# An opening quote follows the start, a space, an opening bracket, a dash or a slash.
_OPENS_AFTER = frozenset("([{\u2014\u2013/-")
APOSTROPHE = "\u2019"  # in every language written with Latin, Greek or Cyrillic letters


class Quotes(NamedTuple):
    """A language's quotation marks: outer opening and closing, then inner ones."""

    open: str
    close: str
    inner_open: str
    inner_close: str


ENGLISH = Quotes("\u201c", "\u201d", "\u2018", "\u2019")


@functools.lru_cache(maxsize=64)
def quotes_of(message: str) -> Quotes:
    """The four marks of a catalogue's `quotes` message ("“ ” ‘ ’"); English when it does
    not hold four."""
    parts = message.split(" ")
    return Quotes(*parts) if len(parts) == 4 and all(parts) else ENGLISH


def _opens(text: str, at: int, opened: set[int]) -> bool:
    """True when the quote at `at` stands where a quotation opens."""
    if at == 0:
        return True
    before = text[at - 1]
    return before.isspace() or before in _OPENS_AFTER or (at - 1) in opened


@functools.lru_cache(maxsize=1 << 14)  # every headline is printed on several pages
def curly_quotes(text: str, marks: Quotes = ENGLISH) -> str:
    """`text` with straight quotes made the language's: "Why 'restraint'?" becomes
    “Why ‘restraint’?”, „Why ‚restraint‘?“, «\u202fWhy «\u202frestraint\u202f»\u202f?».

    A double quote opens where a quotation can open and closes the one open; a single
    quote between letters, or one that closes nothing, is an apostrophe (don't, l'Iran,
    geht's, the '90s)."""
    if '"' not in text and "'" not in text:
        return text
    out = list(text)
    opened: set[int] = set()
    double_open = False
    singles: list[int] = []  # opening single quotes not yet closed
    for at, char in enumerate(text):
        if char == '"':
            if not double_open and _opens(text, at, opened):
                out[at], double_open = marks.open, True
                opened.add(at)
            else:
                out[at], double_open = marks.close, False
        elif char == "'":
            between = 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum()
            if between:
                out[at] = APOSTROPHE
            elif _opens(text, at, opened):
                singles.append(at)
                opened.add(at)
            elif singles:
                out[singles.pop()], out[at] = marks.inner_open, marks.inner_close
            else:
                out[at] = APOSTROPHE
    for at in singles:  # opened and never closed: an elision ('90s, 'tis)
        out[at] = APOSTROPHE
    return _tight("".join(out), marks)


def _tight(text: str, marks: Quotes) -> str:
    """Marks that carry their own space (French «\u202f…\u202f») drop the space typed
    beside them, so `" mot "` does not get two."""
    for mark in {marks.open, marks.inner_open}:
        if len(mark) > 1 and mark[-1].isspace():
            text = text.replace(mark + " ", mark)
    for mark in {marks.close, marks.inner_close}:
        if len(mark) > 1 and mark[0].isspace():
            text = text.replace(" " + mark, mark)
    return text
