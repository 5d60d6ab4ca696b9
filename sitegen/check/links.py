"""Links, images and anchors on the pages of a build that lead nowhere, reported where they
were written: the line of the article, page or author profile that holds the address, else
the theme's template."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.check.site import Built, page_by_path
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model.site import Article, Author
from sitegen.plan.outputs import PlannedPage
from sitegen.plan.pages import source_of

# Elements and attributes that name another resource a reader's browser fetches or follows.
_URL_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"),
              ("script", "src"), ("source", "src"), ("video", "src"), ("audio", "src"),
              ("iframe", "src"), ("video", "poster"), ("embed", "src")}
_SRCSET = {("img", "srcset"), ("source", "srcset")}
_IGNORED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "geo"}


@dataclass(frozen=True)
class Ref:
    """One address on a page: the tag it is in (`a`, `img`, ...) and the address as written."""

    tag: str
    url: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[Ref] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in _URL_ATTRS and value.strip():
                self.refs.append(Ref(tag, value.strip()))
            elif (tag, name) in _SRCSET:
                self.refs += [Ref(tag, part.split()[0]) for part in value.split(",")
                              if part.split()]


def read_html(html: str) -> tuple[list[Ref], set[str]]:
    """The addresses a page names, and the ids it holds (anchors may point at them)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.refs, reader.ids


@dataclass(frozen=True)
class Target:
    """Where an internal address leads: output paths that may serve it, and its anchor."""

    paths: tuple[str, ...]
    fragment: str
    path: str  # the URL path, as a reader sees it


def internal_target(url: str, page: PlannedPage, config: Config) -> Target | None:
    """The output files an address on `page` may be served by; None for another site's
    address (or mail, phone, script and data ones)."""
    parts = urlsplit(url)
    if parts.scheme.lower() in _IGNORED_SCHEMES:
        return None
    if (parts.scheme or parts.netloc) and \
            f"{parts.scheme}://{parts.netloc}".lower() != config.origin.lower():
        return None
    path = unquote(parts.path)
    if not path:
        return Target((page.path,), unquote(parts.fragment), page.url)
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page.url.rstrip("/") + "/x"), path)
        path = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
    rel = path[len(config.root_path):] if path.startswith(config.root_path + "/") else path
    rel = rel.lstrip("/")
    if rel == "" or rel.endswith("/"):
        return Target((rel + "index.html",), unquote(parts.fragment), path)
    paths = (rel, rel + "/index.html") if "." not in rel.rsplit("/", 1)[-1] else (rel,)
    return Target(paths, unquote(parts.fragment), path)


class LinkCheck:
    """Every internal address on every page of a build, checked against what it writes."""

    def __init__(self, built: Built) -> None:
        self.built = built
        self.pages = page_by_path(built.plan)
        self.read = {path: read_html(html) for path, html in built.html.items()}
        self.texts: dict[str, str] = {}
        self.found: dict[tuple[str, int, int, str], Problem] = {}
        self.external: dict[str, Problem] = {}  # outside address -> where it was first seen

    def run(self) -> list[Problem]:
        for path, (refs, _) in sorted(self.read.items()):
            page = self.pages[path]
            for ref in refs:
                self._check(page, ref)
        return list(self.found.values())

    def _check(self, page: PlannedPage, ref: Ref) -> None:
        target = internal_target(ref.url, page, self.built.config)
        if target is None:
            if urlsplit(ref.url).scheme.lower() in {"http", "https"} and ref.tag != "link":
                self.external.setdefault(ref.url, self._where(page, ref, "warning", ""))
            return
        if target.path.startswith(self.built.config.root_path + "/pagefind/"):
            return  # the search index Pagefind writes after the pages
        served = next((p for p in target.paths if p in self.built.files), None)
        if served is None:
            what = "image" if ref.tag in {"img", "source"} else "link to"
            hint = ("Put the file in static/, or fix the path." if ref.tag != "a" else
                    "Fix the address, or remove the link.")
            self._add(page, ref, f"{what} {ref.url} leads to no page or file of the site. "
                      f"{hint}")
        elif target.fragment and served in self.read and \
                target.fragment not in self.read[served][1]:
            self._add(page, ref, f"link to {ref.url}: {target.path} has no element with "
                      f'id="{target.fragment}". Fix the anchor, or link to the page alone.')

    def _add(self, page: PlannedPage, ref: Ref, message: str) -> None:
        problem = self._where(page, ref, "error", message)
        key = (problem.path, problem.line, problem.col, ref.url)
        if key not in self.found:
            self.found[key] = problem

    def _where(self, page: PlannedPage, ref: Ref, severity: str, message: str) -> Problem:
        """The problem at the line of the source that holds the address, else at the
        template that made the page (naming the page)."""
        for rel in self._sources(page):
            at = find_in(self._text(rel), ref.url)
            if at is not None:
                return Problem(rel, at[0], at[1], message, severity)
        return Problem(self._template(page.template), 1, 1,
                       f"{message[:-1] if message else ''} (on {page.url}, made by the "
                       f"theme's {page.template}).", severity)

    def _sources(self, page: PlannedPage) -> Iterator[str]:
        """The files whose text may hold the page's addresses: its own source, then those
        of the articles and authors it shows (a teaser's lead image, a byline's profile)."""
        own = source_of(page)
        if own:
            yield own
        for value in page.context.values():
            for item in value if isinstance(value, tuple | list) else (value,):
                if isinstance(item, Article):
                    yield item.source
                    yield from (a.source for a in item.authors if a.source)
                elif isinstance(item, Author) and item.source:
                    yield item.source

    def _text(self, rel: str) -> str:
        if rel not in self.texts:
            try:
                self.texts[rel] = (self.built.site_dir / rel).read_text("utf-8", "replace")
            except OSError:
                self.texts[rel] = ""
        return self.texts[rel]

    def _template(self, name: str) -> str:
        from sitegen.engine.produce import template_dirs

        for folder in template_dirs(self.built.site_dir, self.built.config):
            if (folder / name).is_file():
                return _shown(folder / name, self.built.site_dir)
        return name


def _shown(path: Path, site: Path) -> str:
    try:
        return path.resolve().relative_to(site).as_posix()
    except ValueError:
        return str(path)


def find_in(text: str, url: str) -> tuple[int, int] | None:
    """1-based (line, column) of the first place `url` (or its HTML-escaped form) is
    written in `text`."""
    for form in (url, url.replace("&", "&amp;")):
        at = text.find(form)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None
