"""An allowlist for the HTML that content may carry, so no script reaches a reader.

Articles come from many hands (and, on a CI-built site, from pull requests). Raw HTML in
Markdown and the URLs of links and images are checked here: tags and attributes outside the
allowlist are dropped, the contents of script-like elements are dropped whole, and URLs must be
http(s), mailto, tel or relative. A site may trust its writers' raw HTML (`trusted_html: true`)
or allow iframes from listed embed hosts (`embed_hosts`).

Only raw HTML pays for the parser: Markdown's own output is built from elements, and its URLs
are checked on the element tree (see `SafeHtmlExtension`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

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
VOID = {"br", "hr", "img", "wbr"}
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


class _Cleaner(HTMLParser):
    def __init__(self, embed_hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.dropping: list[str] = []
        self.embed_hosts = embed_hosts

    def _allowed_attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        if tag == "iframe":
            allowed = IFRAME_ATTRS
            src = dict(attrs).get("src") or ""
            try:
                parts = urlsplit(src)
                host = parts.hostname
            except ValueError:
                return None
            if parts.scheme != "https" or host not in self.embed_hosts:
                return None
        else:
            allowed = TAGS[tag] | GLOBAL_ATTRS
        kept = []
        for name, value in attrs:
            if name not in allowed:
                continue
            if name in URL_ATTRS and not safe_url(value or ""):
                continue
            kept.append(f' {name}="{html.escape(value or "", quote=True)}"'
                        if value is not None else f" {name}")
        return "".join(kept)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.append(tag)
            return
        if tag == "iframe" and self.embed_hosts:
            kept = self._allowed_attrs(tag, attrs)
            if kept is not None:
                self.out.append(f"<iframe{kept}>")
                self.dropping.append("iframe")  # its fallback content is not kept
                self.out.append("</iframe>")
                return
        if tag in DROP_WHOLE:
            self.dropping.append(tag)
            return
        if tag in TAGS:
            self.out.append(f"<{tag}{self._allowed_attrs(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropping and tag in TAGS:
            self.out.append(f"<{tag}{self._allowed_attrs(tag, attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in TAGS and tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(html.unescape(f"&{name};"), quote=False))

    def handle_charref(self, name: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(html.unescape(f"&#{name};"), quote=False))


def clean_html(fragment: str, embed_hosts: Iterable[str] = ()) -> str:
    """The fragment with only allowlisted tags, attributes and URLs left."""
    cleaner = _Cleaner(frozenset(embed_hosts))
    cleaner.feed(fragment)
    cleaner.close()
    return "".join(cleaner.out)


class _CleanRawHtml(Postprocessor):
    """Cleans every raw HTML fragment Markdown set aside, before it is put back."""

    def __init__(self, md: Markdown, embed_hosts: frozenset[str]) -> None:
        super().__init__(md)
        self.embed_hosts = embed_hosts

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str):
                stash[i] = clean_html(block, self.embed_hosts)
        return text


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
            md.postprocessors.register(_CleanRawHtml(md, self.embed_hosts),
                                       "sitegen_clean_raw_html", 31)
