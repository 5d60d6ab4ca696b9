"""Stage 3: article bodies (Markdown or plain text) to HTML, and HTML to plain text.

One Python-Markdown instance per process, `reset()` between documents: building the
instance costs more than converting a short article.
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache

import markdown

from sitegen import fastpatterns, plaintext

EXTENSIONS = ["footnotes", "tables", "fenced_code", "smarty", "sane_lists"]
WORDS_PER_MINUTE = 230
_TAG = re.compile(r"<[^>]+>")
_FIRST_P = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_WORD = re.compile(r"\w[\w'’-]*")


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    return fastpatterns.tune(markdown.Markdown(extensions=EXTENSIONS, output_format="html"))


def markdown_to_html(text: str) -> str:
    """Markdown to an HTML fragment."""
    md = _markdown()
    md.reset()
    return md.convert(text)


def body_to_html(kind: str, body: str) -> str:
    """An article body to HTML: `.txt` bodies are first made into literal Markdown."""
    if kind == "txt":
        body = plaintext.to_markdown(body)
    return markdown_to_html(body)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def first_paragraph_text(fragment: str) -> str:
    """The first paragraph of an HTML fragment as text (the default summary)."""
    match = _FIRST_P.search(fragment)
    return html_to_text(match.group(1)) if match else ""


def inline_markdown(text: str) -> str:
    """Markdown for a one-line field (a bio, a correction) without the wrapping <p>."""
    result = markdown_to_html(text)
    if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
        return result[3:-4]
    return result


class InlineMemo:
    """Inline Markdown results kept between builds: bios and corrections rarely change, and
    an archive has hundreds of authors. `used` is what this build asked for."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.used: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        html = self.known.get(text)
        if html is None:
            html = inline_markdown(text)
        self.used[text] = html
        return html


def word_count(fragment: str) -> int:
    return len(_WORD.findall(html_to_text(fragment)))


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
