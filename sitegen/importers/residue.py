"""The importers' last pass: no template syntax reaches a reader.

Each reader converts or evaluates the template code it knows (sitegen.importers.bodies);
whatever is left after that (a tag in a form no rule foresaw, a stray `{{`) is taken out
here, from every body and every text field, and reported at its `path:line` in the source.
Code is left as it is: fenced and indented blocks and spans in Markdown, `<pre>` and
`<code>` in HTML, where template syntax is what the article shows.
"""

from __future__ import annotations

import re
from typing import Any

from sitegen.importers.pieces import Piece
from sitegen.importers.report import Report

# Template syntax of every tool imported: Hugo shortcodes, Liquid and Nunjucks output, tags
# and comments. A tag is closed within a paragraph; an opener left alone is taken out too.
_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{\{(?:(?!\n\n).)*?\}\}|\{%(?:(?!\n\n).)*?%\}"
                  r"|\{#(?:(?!\n\n).)*?#\}", re.DOTALL)
_OPENER = re.compile(r"\{\{|\{%|\{#")
_CODE = re.compile(
    r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$"  # a fenced block
    r"|<(pre|code)\b.*?</\2>"  # HTML code
    r"|(`+)(?:(?!\n\n).)+?\3"  # a code span
    r"|(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*\n?)+",  # an indented block after a blank line
    re.DOTALL | re.MULTILINE | re.IGNORECASE)
TEXT_FIELDS = ("title", "subtitle", "summary", "image_alt")


def clean_piece(piece: Piece, body: str, meta: dict[str, Any], report: Report) -> str:
    """`body` (and the text fields of `meta`, in place) without template syntax outside
    code; each removal reported at its line in the source file."""
    source = _source_text(piece)
    for key in TEXT_FIELDS:
        value = meta.get(key)
        if isinstance(value, str) and _OPENER.search(value):
            meta[key] = " ".join(_without_syntax(value, piece, source, report, key).split())
    out: list[str] = []
    pos = 0
    for code in _CODE.finditer(body):
        out.append(_without_syntax(body[pos:code.start()], piece, source, report))
        out.append(code.group(0))
        pos = code.end()
    out.append(_without_syntax(body[pos:], piece, source, report))
    return "".join(out)


def _without_syntax(text: str, piece: Piece, source: str, report: Report,
                    field: str = "") -> str:
    if not _OPENER.search(text):
        return text

    def drop(match: re.Match[str]) -> str:
        shown = " ".join(match.group(0).split())[:60]
        where = f"`{field}`" if field else "the text"
        report.problem(f"{piece.source}:{_line(source, match.group(0))}",
                       f"template code `{shown}` was still in {where} after the import's "
                       "conversions, so it is left out. Check the text around it reads well.")
        return ""

    return _OPENER.sub(drop, _TAG.sub(drop, text))


def _source_text(piece: Piece) -> str:
    if piece.path is None or not piece.path.is_file():
        return ""
    try:
        return piece.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _line(source: str, snippet: str) -> int:
    """The line of the source file where `snippet` is, or of the tag it starts with;
    the first line when the conversions changed it past finding."""
    for probe in (snippet, snippet[:20], snippet[:2]):
        found = source.find(probe)
        if found >= 0:
            return source.count("\n", 0, found) + 1
    return 1
