"""An allowlist for the HTML that content may carry, so no script reaches a reader.

Articles come from many hands (and, on a CI-built site, from pull requests). Raw HTML in
Markdown and the URLs of links and images are checked here: tags and attributes outside the
allowlist are dropped, the contents of script-like elements are dropped whole, and URLs must be
http(s), mailto, tel or relative. A site may trust its writers' raw HTML (`trusted_html: true`)
or allow iframes from listed embed hosts (`embed_hosts`).

The cleaning is nh3's (the Rust sanitiser ammonia over html5ever, the parser browsers'
rules describe), with the policy above on top: a well-kept parser is what security-critical
parsing needs (the hand-written one it replaces walked tags with html.parser). Only a body
with raw HTML pays for it: Markdown's own output is built from elements, and its URLs are
checked on the element tree (see `SafeHtmlExtension`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

GLOBAL_ATTRS = {"id", "class", "title", "lang", "dir"}
TAGS: dict[str, set[str]] = {
    **{t: set() for t in (
        "p", "em", "strong", "b", "i", "u", "s", "sub", "sup", "br", "hr", "blockquote", "ul",
        "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "pre", "code", "table",
        "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "span", "div",
        "abbr", "cite", "q", "mark", "small", "del", "ins", "kbd", "samp", "var", "details",
        "summary", "section", "aside")},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
IFRAME_ATTRS = {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"}
# Their text is code or markup, never prose: dropped with the element.
DROP_WHOLE = {"script", "style", "template", "noscript", "object", "embed", "applet", "frame",
              "frameset", "svg", "math", "textarea", "select", "title", "iframe", "xmp",
              "noembed", "noframes", "plaintext"}
URL_ATTRS = {"href", "src", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# A scheme is what stands before the first colon, if no /, ? or # comes first (RFC 3986).
_SCHEME = re.compile(r"^([^:/?#]*):")


def safe_url(url: str) -> bool:
    """True for http(s), mailto, tel and relative URLs; false for javascript:, data: and
    tricks such as `java\\tscript:` or `&#106;avascript:` (entities are decoded first)."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    if cleaned.startswith("//"):
        return True  # protocol-relative: http(s) to another host
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


# Markdown's own elements around raw HTML, kept when the whole body is cleaned: its
# headings (a `#` line is an h1) and a table column's alignment (style="text-align: ...").
MARKDOWN_TAGS = {"h1"}
STYLE_PROPERTIES = {"text-align"}


@lru_cache(maxsize=8)
def _cleaner(embed_hosts: frozenset[str]) -> nh3.Cleaner:
    """nh3 (html5ever's parser, ammonia's sanitiser) with our allowlist on top: the tags
    and attributes above, our URL rule, authors' own `rel` (nh3 would impose one), and
    iframes only from the embed hosts, their fallback content dropped."""
    tags = set(TAGS) | MARKDOWN_TAGS
    attributes = {tag: set(names) for tag, names in TAGS.items()}
    attributes["*"] = set(GLOBAL_ATTRS)
    for cell in ("th", "td"):
        attributes[cell] = attributes.get(cell, set()) | {"style"}
    drop = set(DROP_WHOLE)
    if embed_hosts:
        tags.add("iframe")
        attributes["iframe"] = set(IFRAME_ATTRS)
        drop.discard("iframe")
    return nh3.Cleaner(tags=tags, clean_content_tags=drop, attributes=attributes,
                       attribute_filter=_AttributeFilter(embed_hosts), link_rel=None,
                       url_schemes=set(SAFE_SCHEMES),
                       filter_style_properties=set(STYLE_PROPERTIES))


class _AttributeFilter:
    """Each kept attribute's last check: URLs by `safe_url`, an iframe's source by host."""

    def __init__(self, embed_hosts: frozenset[str]) -> None:
        self.embed_hosts = embed_hosts

    def __call__(self, tag: str, name: str, value: str) -> str | None:
        if name in URL_ATTRS and not safe_url(value):
            return None
        if tag == "iframe" and name == "src":
            try:
                parts = urlsplit(value)
                host = parts.hostname
            except ValueError:
                return None
            if parts.scheme != "https" or host not in self.embed_hosts:
                return None
        return value


def clean_html(fragment: str, embed_hosts: Iterable[str] = ()) -> str:
    """The fragment with only allowlisted tags, attributes and URLs left (an iframe from
    an embed host kept without its fallback content, any other dropped whole)."""
    cleaned = _cleaner(frozenset(embed_hosts)).clean(fragment)
    return _IFRAME_NO_SRC.sub("", _IFRAME_BODY.sub(r"\1</iframe>", cleaned))


_IFRAME_BODY = re.compile(r"(<iframe\b[^>]*>).*?</iframe>", re.DOTALL)
_IFRAME_NO_SRC = re.compile(r"<iframe\b(?![^>]*\ssrc=)[^>]*></iframe>")


class _NoteRawHtml(Postprocessor):
    """Notes whether the body has raw HTML (which Markdown set aside in its stash)."""

    def __init__(self, md: Markdown, found: list[bool]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, text: str) -> str:
        self.found[:] = [any(isinstance(b, str) and b for b in self.md.htmlStash.rawHtmlBlocks)]
        return text


class _CleanRawHtml(Postprocessor):
    """With raw HTML in it, the whole body is cleaned once all is put back: a raw fragment
    may open an element that a later one closes, which only the whole document shows."""

    def __init__(self, md: Markdown, found: list[bool], embed_hosts: frozenset[str]) -> None:
        super().__init__(md)
        self.found = found
        self.embed_hosts = embed_hosts

    def run(self, text: str) -> str:
        return clean_html(text, self.embed_hosts) if self.found and self.found[0] else text


class _CheckUrls(Treeprocessor):
    """Markdown links and images (`[x](javascript:...)`) lose unsafe URLs."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name in ("href", "src"):
                value = element.get(name)
                if value is not None and not safe_url(value):
                    del element.attrib[name]


class SafeHtmlExtension(Extension):
    """Python-Markdown extension applying the allowlist (unless HTML is trusted)."""

    def __init__(self, trusted: bool = False, embed_hosts: Iterable[str] = ()) -> None:
        super().__init__()
        self.trusted = trusted
        self.embed_hosts = frozenset(embed_hosts)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_CheckUrls(md), "sitegen_check_urls", 1)
        if not self.trusted:
            found: list[bool] = []
            md.postprocessors.register(_NoteRawHtml(md, found), "sitegen_note_raw_html", 31)
            md.postprocessors.register(_CleanRawHtml(md, found, self.embed_hosts),
                                       "sitegen_clean_raw_html", 5)  # after all the others
