"""Plain text, as writers type it, into Markdown that renders exactly as typed.

Paragraphs split on blank lines (lines holding only whitespace count as blank); the lines of
one paragraph are joined (a hand-in wraps at random places); control characters are dropped
(they cannot appear in HTML, and Python-Markdown uses two of them internally).

Escaping is minimal, so that Markdown written by `sitegen import` stays readable for the
editor who opens it next; only what Python-Markdown (with the extensions in `markup`) would
interpret is escaped:

- anywhere: `\\`, `` ` ``, `*`, `_`, `[`, `]` (escapes, code, emphasis, links, footnotes);
  `<` (HTML, autolinks); `&` when a browser would read a character reference there
  (`&amp;`, `&#38`, and the legacy names that need no `;`, such as `&copy`);
  runs of two or more `.` or `-` (the smart-punctuation extension would make them an
  ellipsis or a dash);
- `!` right before a link (it would make the link an image);
- at the start of a paragraph only: `#`, `>`, `+`, `-` (headings, quotes, lists, rules),
  `~` (a code fence) and the `.` of a leading number (`2015. That year` is not a list).

A quote right after an escaped character is written as a closing curly quote, since the
smart-quotes extension cannot see past an escape and would open one there.

The documented typography, which is the only change a reader sees: whitespace is folded,
`--` (exactly two hyphens) becomes an em dash, straight quotes are curled by the Markdown
stage's smart-quotes extension (so `.md` and `.txt` curl quotes alike), and bare URLs and
email addresses become links. Typographic characters already in the text stay as typed.
"""

from __future__ import annotations

import re
from html.entities import html5
from urllib.parse import urlsplit

_ALWAYS = set("\\`*_[]")
_LINE_START = set("#>+-")
_QUOTES = {"'": "’", '"': "”"}  # a quote right after a non-space character closes
# Brackets end a bare URL: prose URLs hardly ever hold them, and an IPv6-looking `[` host makes
# URL parsers further down the pipeline fail.
_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'`[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+""")
_TRAILING = ".,;:!?)]}'\""
_DASH = re.compile(r"(?<!-)--(?!-)")
_ENTITY_LIKE = re.compile(r"#|\w+;")
# HTML parsers (browsers, html.unescape) also read these without a `;`: "&copy 2025" is "© 2025".
_LEGACY_ENTITIES = {name for name in html5 if not name.endswith(";")}
_LEGACY_LONGEST = max(map(len, _LEGACY_ENTITIES))
_LEADING_NUMBER = re.compile(r"^(\d+)\.")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


# What `_escape` may change: the characters always escaped, `<`, `&`, and runs of `.` or `-`.
# Found by one scan, the text between copied as it is (a per-character loop cost 0.8 ms per
# hand-in, a tenth of a cold build's Markdown stage).
_SPECIAL = re.compile(r"\.{2,}|-{2,}|[\\`*_\[\]<&]")


def _escape(segment: str, at_start: bool = False, before_link: bool = False) -> str:
    """Escape one stretch of text (no links in it) so Markdown shows it as typed."""
    out: list[str] = []
    pos = 0
    for match in _SPECIAL.finditer(segment):
        start, end = match.span()
        out.append(segment[pos:start])
        ch = segment[start]
        if ch == "&":
            if not _starts_entity(segment, start + 1):
                out.append("&")
                pos = end
                continue
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        else:  # an always-escaped character, or a run (each of its characters escaped)
            out.append("".join("\\" + c for c in segment[start:end]))
        # Smart quotes cannot see past a changed character and would open a quote here.
        while end < len(segment) and segment[end] in _QUOTES:
            out.append(_QUOTES[segment[end]])
            end += 1
        pos = end
    out.append(segment[pos:])
    result = "".join(out)
    if at_start and segment:
        result = _escape_start(segment, result)
    if before_link and segment.endswith("!"):
        result = result[:-1] + "\\!"  # `!` right before a link would make it an image
    return result


def _escape_start(segment: str, escaped: str) -> str:
    """What a paragraph's first characters need besides `_escape`'s: a line-start mark
    (heading, quote, list, rule) escaped, `~` (a code fence) as an entity, and the `.` of a
    leading number (`2015. That year` is not a list)."""
    first = segment[0]
    if first in _LINE_START and escaped[0] == first:
        escaped = "\\" + escaped
    elif first == "~":  # Python-Markdown has no backslash escape for `~`; an entity shows it
        escaped = "&#126;" + escaped[1:]
    number = _LEADING_NUMBER.match(segment)
    if number and escaped[number.end() - 1] == ".":  # digits are never escaped
        dot = number.end() - 1
        escaped = escaped[:dot] + "\\." + escaped[dot + 1:]
    return escaped


def _starts_entity(text: str, pos: int) -> bool:
    """True when an HTML parser would read `&` before text[pos:] as a character reference."""
    if _ENTITY_LIKE.match(text, pos):
        return True
    rest = text[pos:pos + _LEGACY_LONGEST]
    return any(rest[:n] in _LEGACY_ENTITIES for n in range(2, len(rest) + 1))


def _link(url: str) -> tuple[str, str]:
    """Split trailing punctuation off a matched URL; return (markdown link, the tail)."""
    tail = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    if not url or url.endswith(("://", "www.")) or url.startswith("@"):
        return "", url + tail
    if "@" in url and "://" not in url and not url.startswith("www."):
        return f"<{url}>", tail
    href = url if "://" in url else "https://" + url
    try:
        urlsplit(href)
    except ValueError:  # e.g. a host that NFKC-normalises into `/` or `@`: leave it as text
        return "", url + tail
    # A backslash in the href would be read as a Markdown escape; encode it instead.
    return f"[{_escape(url)}](<{href.replace(chr(92), '%5C')}>)", tail


def line_to_markdown(text: str) -> str:
    """One paragraph's text (already joined into one line) as escaped Markdown."""
    if "@" not in text and "http" not in text and "www." not in text:  # no URL can match
        return _escape(_DASH.sub("—", text), at_start=True)
    parts: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        link, tail = _link(match.group(0))
        if not link:
            continue
        parts.append(_escape(_DASH.sub("—", text[pos:match.start()]), at_start=pos == 0,
                             before_link=True))
        parts.append(link)
        pos = match.end() - len(tail)
    parts.append(_escape(_DASH.sub("—", text[pos:]), at_start=pos == 0))
    return "".join(parts)


# The control characters (Unicode category Cc) besides tab and line feed: the whitespace
# ones become spaces, the rest go. Two regular expressions, not a loop over every character.
_CONTROL_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CONTROL_OTHER = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def clean(text: str) -> str:
    """LF line endings, no BOM, and no control characters (whitespace ones become spaces).

    Every U+FEFF goes, not only a leading one: one left mid-text by joining files or pasting
    is invisible to the writer, yet would split `---` into `—` and `-` or make a line that
    looks blank a line of text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return _CONTROL_OTHER.sub("", _CONTROL_SPACE.sub(" ", text))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text: blocks split on blank lines, each joined into one line."""
    result = []
    for block in _BLANK_LINE.split(clean(text)):
        joined = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if joined:
            result.append(joined)
    return result


# A list item as writers type one: `* `, `- ` or `• ` at the start of its line.
BULLET = re.compile(r"^[*\-\u2022][^\S\n]+(?=\S)")


def _block_parts(block: str) -> list[str]:
    """One block as Markdown: its lines joined into a paragraph, except runs of two or more
    bulleted lines (`* item` on each), which become a list, as the writer meant."""
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    parts: list[str] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        run = i
        while run < len(lines) and BULLET.match(lines[run]):
            run += 1
        if run - i >= 2:
            if text:
                parts.append(line_to_markdown(" ".join(text)))
                text = []
            parts.append("\n".join("- " + line_to_markdown(BULLET.sub("", line))
                                   for line in lines[i:run]))
            i = run
        else:
            text.append(lines[i])
            i += 1
    if text:
        parts.append(line_to_markdown(" ".join(text)))
    return parts


def to_markdown(text: str) -> str:
    """Plain text to Markdown that renders as typed: one escaped paragraph per block, and
    a list for lines bulleted with `*`, `-` or `•`."""
    return "\n\n".join(p for block in _BLANK_LINE.split(clean(text))
                        for p in _block_parts(block)) + "\n"
