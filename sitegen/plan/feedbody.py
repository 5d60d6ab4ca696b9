"""An article's body as a full-content feed carries it: readable where the site is not.

Feed readers and email clients (feeds become newsletters) show the HTML alone, away from the
site: without its CSS or JavaScript, and with no page address to resolve relative links
against. So, in the body a feed carries:

- every URL (`href`, `src`, `srcset`, `poster`, `cite`) is absolute, resolved against the
  article's own address (`#fn:1` becomes the article's URL with `#fn:1`);
- an `img` of the site's own gets its `width` and `height` when the file's header tells them;
- `script`, `style`, `link`, `noscript` wrappers and event handler attributes are gone, as
  are `class` and `data-*` attributes, which mean something only to the site's CSS and
  JavaScript; an `iframe` (an embedded player, which needs JavaScript and which email
  clients drop) becomes a link to what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from sitegen.locale.catalogue import Strings, plain_strings
from sitegen.model.site import Article
from sitegen.plan.outputs import CorrectionNotice, Feed, FeedImage, SiteInfo

URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action", "longdesc"}
DROPPED_ELEMENTS = {"script", "style", "link", "template"}  # with everything inside
UNWRAPPED_ELEMENTS = {"noscript"}  # their content stays
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}

# (url as written, absolute url) -> (width, height), or None when unknown.
SizeOf = Callable[[str, str], tuple[int, int] | None]


def absolute(url: str, base: str) -> str:
    """`url` resolved against `base` (the article's absolute URL); unusable schemes dropped."""
    url = url.strip()
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if scheme in {"javascript", "vbscript", "data"}:
        return ""
    return urljoin(base, url)


def absolute_srcset(value: str, base: str) -> str:
    """A `srcset` with every candidate's URL absolute (descriptors kept)."""
    candidates = []
    for part in value.split(","):
        words = part.split()
        if words:
            words[0] = absolute(words[0], base)
            candidates.append(" ".join(words))
    return ", ".join(candidates)


class _Rewriter(HTMLParser):
    def __init__(self, base: str, size_of: SizeOf | None) -> None:
        super().__init__(convert_charrefs=False)
        self.base = base
        self.size_of = size_of
        self.out: list[str] = []
        self.dropping = 0  # depth inside a dropped element
        self.iframe: list[str] = []  # the src of each open iframe

    def _attributes(self, tag: str, attrs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
        kept: dict[str, str] = {}
        for name, value in attrs:
            name = name.lower()
            if (name.startswith("on") and name != "open") or name.startswith("data-") or (
                    name == "class"):
                continue
            text = value if value is not None else ""
            if name in URL_ATTRIBUTES:
                text = absolute(text, self.base)
                if not text:
                    continue
            elif name == "srcset":
                text = absolute_srcset(text, self.base)
            kept[name] = text
        if tag == "img" and self.size_of is not None and "src" in kept and not (
                "width" in kept and "height" in kept):
            original = next((v or "" for n, v in attrs if n.lower() == "src"), "")
            size = self.size_of(original, kept["src"])
            if size is not None:
                kept.setdefault("width", str(size[0]))
                kept.setdefault("height", str(size[1]))
        return kept

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        if self.dropping:
            if tag not in VOID_ELEMENTS and not close and tag in DROPPED_ELEMENTS:
                self.dropping += 1
            return
        if tag in DROPPED_ELEMENTS:
            if tag not in VOID_ELEMENTS and not close:
                self.dropping = 1
            return
        if tag in UNWRAPPED_ELEMENTS:
            return
        kept = self._attributes(tag, attrs)
        if tag == "iframe":
            src = kept.get("src", "")
            title = kept.get("title") or (urlsplit(src).netloc if src else "")
            if src:
                self.out.append(f'<p><a href="{escape(src)}">'
                                f"{escape(title or src)}</a></p>")
            if not close:
                self.iframe.append(src)
            return
        if self.iframe:  # fallback content inside an iframe: the link stands for it
            return
        text = "".join(f' {name}="{escape(value)}"' for name, value in kept.items())
        self.out.append(f"<{tag}{text}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag in DROPPED_ELEMENTS:
                self.dropping -= 1
            return
        if tag in UNWRAPPED_ELEMENTS or tag in VOID_ELEMENTS:
            return
        if tag == "iframe":
            if self.iframe:
                self.iframe.pop()
            return
        if not self.iframe:
            self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self.dropping and not self.iframe:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        """Comments are dropped: conditional comments are markup for one mail client."""


def for_feed(html: str, base: str, size_of: SizeOf | None = None) -> str:
    """`html` (an article body, or any fragment) as a full-content feed carries it (see
    the module's docstring); `base` is the absolute URL the fragment was published at."""
    parser = _Rewriter(base, size_of)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def lead_image_html(article: Article, base: str, images: dict[str, FeedImage]) -> str:
    """The article's lead image as the first thing of its full content, when it has one."""
    if not article.image:
        return ""
    src = absolute(article.image, base)
    if not src:
        return ""
    found = images.get(src)
    width = article.image_width or (found.width if found else 0)
    height = article.image_height or (found.height if found else 0)
    size = f' width="{width}" height="{height}"' if width and height else ""
    return f'<p><img src="{escape(src)}" alt="{escape(article.image_alt)}"{size}></p>'


def full_html(article: Article, feed: Feed, origin: str) -> str:
    """An article's whole body as a full-content feed carries it, lead image first."""
    base = origin + article.url
    images = {image.url: image for image in feed.images}

    def size_of(_written: str, url: str) -> tuple[int, int] | None:
        image = images.get(url)
        return (image.width, image.height) if image and image.width else None

    return lead_image_html(article, base, images) + for_feed(article.body_html, base, size_of)


def feed_updated(feed: Feed) -> datetime:
    """When the feed last changed: its newest entry; an empty feed, the site's newest
    article, else the build's time (see Feed.empty_updated): never 1970."""
    if feed.kind == "corrections":
        newest = max((c.date for c in feed.corrections), default=None)
    else:
        newest = max((a.modified for a in feed.articles), default=None)
    return newest or feed.empty_updated or datetime.now(UTC)


def strings_of(info: SiteInfo) -> Strings:
    """The strings of a feed's language (English for a SiteInfo made without them)."""
    return info.strings if info.strings is not None else plain_strings(info.language)


def correction_words(notice: CorrectionNotice, url: str, strings: Strings) -> tuple[str, str]:
    """A correction's entry title ("Correction: <headline>") and the paragraph that links
    the article it corrects, in the feed's language."""
    title = strings.text("corrections.entry_title", title=notice.article.title)
    link = Markup('<a href="{}">{}</a>').format(url, notice.article.title)
    return title, f"<p>{strings.html('corrections.entry_link', title=link)}</p>"
