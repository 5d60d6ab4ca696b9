"""The text stages' fast paths give what their plain definitions give: plain-text escaping
(sitegen.content.plaintext) by one regex scan what the rules say character by character
(the reference below is those rules, written as a loop), and word counts
(sitegen.locale.reading) without the regular expression what it finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content import markup, plaintext
from sitegen.locale import reading

_RUN = re.compile(r"\.{2,}|-{2,}")
_QUOTES = {"'": "’", '"': "”"}


def reference_escape(segment: str, at_start: bool = False, before_link: bool = False) -> str:
    """Each character decided in turn: escaped when Markdown would read it, a quote curled
    (closing) right after a changed character, the paragraph's first marks escaped."""
    runs = {i for m in _RUN.finditer(segment) for i in range(m.start(), m.end())}
    out: list[str] = []
    for i, ch in enumerate(segment):
        if ch in "\\`*_[]" or i in runs:
            out.append("\\" + ch)
        elif ch in _QUOTES and out and out[-1] != segment[i - 1]:
            out.append(_QUOTES[ch])
        elif ch == "<":
            out.append("&lt;")
        elif ch == "&" and plaintext._starts_entity(segment, i + 1):
            out.append("&amp;")
        else:
            out.append(ch)
    if at_start and segment:
        if segment[0] in "#>+-" and out[0] == segment[0]:
            out[0] = "\\" + out[0]
        elif segment[0] == "~":
            out[0] = "&#126;"
        number = re.match(r"^(\d+)\.", segment)
        if number and number.end() - 1 not in runs:
            out[number.end() - 1] = "\\."
    if before_link and segment.endswith("!"):
        out[-1] = "\\!"
    return "".join(out)


ALPHABET = "ab1 9'\"-.&;#<>[]`\\*_~+!\u2019copy"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40), st.booleans(), st.booleans())
@example("--'x'", True, False)
@example("2015.. \"a\" *\"'b'\" &copy \"c\" &x \"d\"", True, True)
@example("~~ '1.' \\'", True, False)
@example("12.'", True, False)
@example("-'", True, True)
def test_escape_follows_the_rules_character_by_character(text: str, at_start: bool,
                                                         before_link: bool) -> None:
    assert plaintext._escape(text, at_start, before_link) == reference_escape(
        text, at_start, before_link)


def test_a_hand_in_reads_as_typed() -> None:
    """What a reader sees of typical hand-in text: marks kept, quotes curled, no markup."""
    text = ('# Not a heading: *stars*, _under_, [brackets], a <tag>, AT&T & &copy 2025...\n'
            '2015. That year "it" was --- said -- so.\n')
    html = markup.body_to_html("txt", text)
    assert html == ("<p># Not a heading: *stars*, _under_, [brackets], a &lt;tag&gt;, "
                    "AT&amp;T &amp; &amp;copy 2025... 2015. That year “it” was --- said — "
                    "so.</p>")
    assert "<em>" not in html and "<h1>" not in html and "<ol>" not in html
    assert "&lt;tag&gt;" in html and "&amp;copy 2025" in html and "—" in html


WORDY = "ab9_ '’-—.,!\t\n\u00e9\u0663\u05d0\u200b\u00b2x日本"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=WORDY, max_size=60))
@example("don't well-known a—b -x- '’ 3rd x²")
def test_words_are_counted_as_the_word_pattern_finds_them(text: str) -> None:
    """A word is a match of `_WORD` outside CJK (each CJK character counted apart)."""
    cjk = len(reading.CJK.findall(text))
    assert reading.count(text) == (len(reading._WORD.findall(reading.CJK.sub(" ", text))), cjk)
