"""Plain text, as writers type it, into Markdown that renders exactly as typed.

Paragraphs split on blank lines; the lines of one paragraph are joined (a hand-in wraps at
random places); every character Markdown or HTML would interpret is escaped; `--` becomes an
em dash; bare URLs and email addresses become links. Straight quotes are left for the
Markdown stage's smart-quotes extension to curl, so `.md` and `.txt` curl quotes alike.
"""

from __future__ import annotations

import re

# Characters Python-Markdown (with tables) unescapes after a backslash.
_BACKSLASHED = set("\\`*_{}[]()#+-.!|>")
_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'`]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+""")
_TRAILING = ".,;:!?)]}'\""
_DASH = re.compile(r"(?<!-)--(?!-)")


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", **{ch: "\\" + ch for ch in _BACKSLASHED}})


def _escape(segment: str) -> str:
    """`&` and `<` as entities, Markdown's special characters behind a backslash."""
    return segment.translate(_ESCAPES)


def _link(url: str) -> tuple[str, str]:
    """Split trailing punctuation off a matched URL; return (markdown link, the tail)."""
    tail = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    if "@" in url and "://" not in url:
        return f"<{url}>", tail
    href = url if "://" in url else "https://" + url
    return f"[{_escape(url)}](<{href}>)", tail


def line_to_markdown(text: str) -> str:
    """One paragraph's text (already joined into one line) as escaped Markdown."""
    text = _DASH.sub("—", text)
    parts: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        link, tail = _link(match.group(0))
        parts.append(_escape(text[pos:match.start()]))
        parts.append(link)
        pos = match.end() - len(tail)
    parts.append(_escape(text[pos:]))
    return "".join(parts)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text: blocks split on blank lines, each joined into one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = re.split(r"\n[ \t]*\n", text)
    result = []
    for block in blocks:
        joined = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if joined:
            result.append(joined)
    return result


def to_markdown(text: str) -> str:
    """Plain text to Markdown that renders as typed: one escaped paragraph per block."""
    return "\n\n".join(line_to_markdown(p) for p in paragraphs(text)) + "\n"
