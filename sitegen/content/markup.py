"""Stage 3: article bodies (Markdown or plain text) to HTML, and HTML to plain text.

One Python-Markdown instance per process, `reset()` between documents: building the
instance costs more than converting a short article.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.extensions import Extension

from sitegen.content import fastpatterns, plaintext
from sitegen.content.sanitize import SafeHtmlExtension, clean_html
from sitegen.locale import reading

EXTENSIONS = ["footnotes", "tables", "fenced_code", "smarty", "sane_lists"]
# The footnote's way back: the arrow as text, never an emoji (U+FE0E asks for text style).
EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TEXT": "&#8617;&#xFE0E;"}}
WORDS_PER_MINUTE = reading.WORDS_PER_MINUTE
_TAG = re.compile(r"<[^>]+>")
# Tags that end a line of text where they stand; any other tag (em, a, code...) is inline,
# and taking it out must not put a space before the comma that follows it.
_BREAKING_TAG = re.compile(
    r"</?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|"
    r"footer|h[1-6]|header|hr|li|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)"
    r"\b[^>]*>", re.IGNORECASE)
_FIRST_P = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True)
class HtmlPolicy:
    """What raw HTML in content may do: nothing unsafe unless the site trusts its writers."""

    trusted: bool = False
    embed_hosts: tuple[str, ...] = ()


SAFE = HtmlPolicy()


@lru_cache(maxsize=4)
def _markdown(policy: HtmlPolicy) -> markdown.Markdown:
    extensions: list[str | Extension] = [*EXTENSIONS,
                                         SafeHtmlExtension(policy.trusted, policy.embed_hosts)]
    return fastpatterns.tune(markdown.Markdown(extensions=extensions, output_format="html",
                                               extension_configs=EXTENSION_CONFIGS))


def markdown_to_html(text: str, policy: HtmlPolicy = SAFE) -> str:
    """Markdown to an HTML fragment."""
    md = _markdown(policy)
    md.reset()
    result = md.convert(text)
    return scrolling_tables(result) if "<table" in result else result


_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.DOTALL | re.IGNORECASE)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL | re.IGNORECASE)


def scrolling_tables(fragment: str) -> str:
    """Each table in a container that scrolls sideways on a narrow screen (the page never
    does, WCAG 1.4.10), named by the table's caption; a table without one gets a visible
    caption made of its column headings ("Table 1: Category, share and use")."""
    count = 0

    def wrap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        label = f"table-{count}"
        attrs, inner = match.group(1), match.group(2)
        caption = _CAPTION.search(inner)
        if caption:
            inner = (inner[:caption.start()] + f'<caption id="{label}">{caption.group(1)}'
                     f"</caption>" + inner[caption.end():])
        else:
            inner = (f'<caption id="{label}" data-named>'
                     f"{html.escape(_table_name(count, inner))}</caption>" + inner)
        return (f'<div class="table-scroll" role="region" aria-labelledby="{label}" '
                f'tabindex="0"><table{attrs}>{inner}</table></div>')

    return _TABLE.sub(wrap, fragment)


def _columns(inner: str) -> list[str]:
    names = [html_to_text(cell) for cell in _HEADER_CELL.findall(inner)]
    return [n for n in names if n][:6]


def _table_name(number: int, inner: str) -> str:
    """The English name, until `named_tables` writes it in the article's language."""
    names = _columns(inner)
    if not names:
        return f"Table {number}"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Table {number}: {listed}"


_NAMED = re.compile(r'<caption id="table-(\d+)" data-named>.*?</caption>(.*?)</table>',
                    re.DOTALL)


_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)


def has_pictures(fragment: str) -> bool:
    """True when `fragment` may show an image (an `<img` tag): the image stage reads only
    such bodies back from the store to find their pictures."""
    return _IMG_TAG.search(fragment) is not None


def has_named_tables(fragment: str) -> bool:
    """True when `fragment` has captions for `named_tables` to name."""
    return " data-named>" in fragment


def named_tables(fragment: str, name: Callable[[int, list[str]], str]) -> str:
    """The captions `scrolling_tables` made, in the article's language: `name(number,
    column headings)` ("Table 1: Category, share and use"; "Tableau 1 : ...")."""
    if not has_named_tables(fragment):
        return fragment

    def rename(match: re.Match[str]) -> str:
        number, rest = int(match.group(1)), match.group(2)
        return (f'<caption id="table-{number}">{html.escape(name(number, _columns(rest)))}'
                f"</caption>{rest}</table>")

    return _NAMED.sub(rename, fragment)


def body_to_html(kind: str, body: str, policy: HtmlPolicy = SAFE) -> str:
    """An article body to HTML: `.txt` bodies are first made into literal Markdown."""
    if kind == "txt":
        body = plaintext.to_markdown(body)
    elif kind == "html":
        # An `.html` body (Jekyll and Eleventy posts often are) is HTML already: run through
        # Markdown, its `*` and indented lines would change meaning. Checked all the same.
        return body if policy.trusted else clean_html(body, policy.embed_hosts)
    return markdown_to_html(body, policy)


# Python-Markdown's inline patterns are quadratic in unmatched brackets and emphasis marks, and
# recursive in nesting: 20,000 `[` in one paragraph take minutes, 1,000 nested list levels
# overflow the stack. Cost is bounded before conversion instead of by a timer, which threads
# and worker processes could not all honour.
MAX_BLOCK_COST = 4_000_000  # sum over blocks of (marks in block)^2: about half a second
MAX_NESTING = 64
_DEEP_HINT = re.compile(r"^[ \t]*(?:[-*+>][ \t]+){8}|^[ \t]{32}", re.MULTILINE)
_MARKS = re.compile(r"(?<!\\)[\[*_`]")
_NESTING = re.compile(r"^(?:[ \t]*(?:[-*+>]|\d+[.)])(?=[ \t]))+", re.MULTILINE)


def too_costly(body: str) -> tuple[int, str] | None:
    """(0-based line, message) when Markdown would take unbounded time on `body`; else None."""
    marks = sum(body.count(c) for c in "[*_`")
    if marks * marks <= MAX_BLOCK_COST and not _DEEP_HINT.search(body):
        return None  # the common case, decided by two fast scans
    cost = 0
    line = 0
    for block in re.split(r"\n[ \t]*\n", body):
        marks = len(_MARKS.findall(block))
        cost += marks * marks
        if cost > MAX_BLOCK_COST:
            return line, (f"has {marks:,} unescaped `[`, `*`, `_` or backtick marks in one "
                          "paragraph, more than Markdown can read in reasonable time. Escape "
                          "them with a backslash or split the paragraph.")
        for match in _NESTING.finditer(block):
            prefix = match.group(0)
            depth = len(re.findall(r"[-*+>]|\d+[.)]", prefix)) + prefix.count("    ")
            if depth > MAX_NESTING:
                at = line + block.count("\n", 0, match.start())
                return at, (f"nests lists or quotes more than {MAX_NESTING} levels deep. "
                            "Flatten the list.")
        line += block.count("\n") + 2
    return None


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded: block and line-break tags
    separate words, inline tags do not (`<em>View</em>, where` is `View, where`)."""
    return " ".join(html.unescape(_TAG.sub("", _BREAKING_TAG.sub(" ", fragment))).split())


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


def text_counts(fragment: str) -> tuple[int, int]:
    """(words, CJK characters) of an HTML fragment: words count each Chinese or Japanese
    character as one (as word processors count East Asian text: schema.org's wordCount),
    and the characters among them are read per character."""
    words, chars = reading.count(html_to_text(fragment))
    return words + chars, chars


def reading_minutes(words: int, chars: int = 0, language: str = "en") -> int:
    """Minutes to read `words` (of which `chars` are CJK characters) in `language`."""
    return reading.minutes(words - chars, chars, language)
