"""A small strict HTML reader for tests: checks that tags nest and close, collects links."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Elements whose end tag HTML lets an author leave out; our theme always closes them anyway.
OPTIONAL_END: set[str] = set()


class PageReader(HTMLParser):
    """Parses one page; `errors` lists nesting problems, `links` every href/src."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.errors: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if not self.stack:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes nothing")
            return
        open_tag, line = self.stack.pop()
        if open_tag != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes <{open_tag}> "
                               f"opened on line {line}")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        for tag, line in self.stack:
            self.errors.append(f"<{tag}> opened on line {line} is never closed")


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def visible_text(path: Path) -> str:
    return " ".join("".join(read_page(path).text).split())


def target_file(build: Path, page: Path, link: str) -> Path | None:
    """The file in `build` an internal link points at; None for external links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "#")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    base = "/" + page.parent.relative_to(build).as_posix() + "/"
    full = path if path.startswith("/") else base + path
    target = build / full.lstrip("/")
    if full.endswith("/"):
        target = target / "index.html"
    return target
