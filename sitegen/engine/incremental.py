"""Rebuilds for `sitegen serve` after edits that move nothing: patch the last build.

When a writer saves an article and its place in the site is unchanged (same URL, dates,
section, byline and tags: a headline, a dek, a body, a summary), no listing gains or loses
an item, no page moves, no feed changes shape. Then the last build's model and plan are
patched: the new Article replaces the old one in the tuples that held it, the pages whose
context held it (found through an index built with the plan) are planned again, their keys
recomputed, and only they are rendered and written. Anything else (a new or deleted file,
a changed date or tag, a template, the configuration, an error) returns None and the caller
runs a full build. The incremental tests compare both paths with clean builds.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from sitegen.config import Config
from sitegen.content import read as content
from sitegen.content import sources
from sitegen.engine import keys as keys_mod
from sitegen.engine.cache import Cache
from sitegen.engine.keys import PageKeys
from sitegen.errors import Problems
from sitegen.model import assemble
from sitegen.model.entries import Entry, is_published, read_entry
from sitegen.model.site import Article, Site
from sitegen.plan import metadata
from sitegen.plan import pages as plan
from sitegen.plan.pages import Paginator, Plan, PlannedPage


@dataclass
class Snapshot:
    """What the last build made, kept in memory by the dev server's Builder."""

    config: Config
    site: Site
    plan: Plan
    env: jinja2.Environment
    keys: PageKeys
    page_keys: list[str]
    feed_keys: list[str]
    counts: Counter[str]
    static_files: int
    # rel path of each published article's file -> (file digest, entry, article)
    articles: dict[str, tuple[str, Entry, Article]]
    sources: Any = None  # build.Sources: what the content folder held
    pages_of: dict[int, list[int]] = field(default_factory=dict)  # id(article) -> page indices
    feeds_of: dict[int, list[int]] = field(default_factory=dict)  # id(article) -> feed indices
    # id(page) -> (page, ids of the articles it shows), for the next build's index
    shown: dict[int, tuple[PlannedPage, frozenset[int]]] = field(default_factory=dict)

    def by_source(self) -> dict[str, Article]:
        return {rel: article for rel, (_, _, article) in self.articles.items()}

    def index(self, last: Snapshot | None = None) -> None:
        """Which pages and feeds show each article (by the article object's identity); what
        pages `last` (the build before) had indexed, the very same objects, are not walked
        again."""
        self.pages_of = defaultdict(list)
        known = last.shown if last is not None else {}
        for i, page in enumerate(self.plan.pages):
            hit = known.get(id(page))
            if hit is None or hit[0] is not page:
                hit = (page, frozenset(id(a) for a in _articles_in(page.context)))
            self.shown[id(page)] = hit
            for article_id in hit[1]:
                self.pages_of[article_id].append(i)
        self.feeds_of = defaultdict(list)
        for i, feed in enumerate(self.plan.feeds):
            for article in feed.articles:
                self.feeds_of[id(article)].append(i)


def _articles_in(value: Any) -> Iterable[Article]:
    if isinstance(value, Article):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _articles_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _articles_in(item)
    elif isinstance(value, Paginator):
        yield from value.items


@dataclass
class Patch:
    """The outcome of patching: the new snapshot and what to render and write."""

    snapshot: Snapshot
    pages: list[int]  # plan indices of the pages to render
    feeds: list[int]  # feed indices to write


def _same_place(old: Article, new: Article, old_entry: Entry, entry: Entry) -> bool:
    """True when `new` sits exactly where `old` did in every listing, feed and sitemap (and
    on the corrections page, and with the same lead image, whose size the full build reads)."""
    return (old.url == new.url and old.date == new.date and old.modified == new.modified
            and old.section == new.section and old.authors == new.authors
            and old.tags == new.tags and old_entry.tag_names == entry.tag_names
            and old.draft == new.draft and old.corrections == new.corrections
            and old.image == new.image and old.canonical == new.canonical)


def patch(snapshot: Snapshot, changed: Iterable[Path], site_dir: Path, cache: Cache,
          now: Any, drafts: bool, future: bool,
          settings: content.ReadSettings) -> Patch | None:
    """The snapshot with the edited articles swapped in, or None if a full build is needed."""
    config, site = snapshot.config, snapshot.site
    articles_dir = site_dir / "content" / "articles"
    swaps: dict[int, Article] = {}
    entries: dict[str, tuple[str, Entry, Article]] = {}
    items: dict[str, content.ArticleSource] = {}
    authors = {a.id: a for a in site.authors}
    tags = {t.slug: t for t in site.tags}
    sections = {s.slug: s for s in site.sections}
    for path in changed:
        if (path.suffix not in sources.ARTICLE_SUFFIXES or sources.is_ignored(path.name)
                or articles_dir not in path.parents or not path.is_file()):
            return None
        problems = Problems(site_dir)
        rel = problems.rel(path)
        if rel not in snapshot.articles:
            return None  # new, or not published last time
        read = content.read_articles([path], site_dir, cache, 1, problems, settings)
        if problems.errors or problems.warnings or not read:
            return None
        item = read[0]
        old_digest, old_entry, old = snapshot.articles[rel]
        if item.digest == old_digest:
            continue
        entry = read_entry(item.source, config, problems, item.hand_in)
        if entry is None or problems.errors or not is_published(entry, now, drafts,
                                                                         future):
            return None
        try:
            new = assemble.build_article(entry, config, item.html, authors, tags, sections,
                                         item.words, item.first_paragraph,
                                         image_size=(old.image_width, old.image_height)
                                         if old.image_width else None)
        except KeyError:  # an author or tag the site does not have yet
            return None
        if not _same_place(old, new, old_entry, entry):
            return None
        keys_mod.seed_article(snapshot.keys.digester, new, item.digest)
        swaps[id(old)] = new
        entries[rel] = (item.digest, entry, new)
        items[rel] = item
    return _apply(snapshot, swaps, entries, items)


def _apply(snapshot: Snapshot, swaps: dict[int, Article],
           entries: dict[str, tuple[str, Entry, Article]],
           items: dict[str, content.ArticleSource]) -> Patch:
    pages = list(snapshot.plan.pages)
    page_keys = list(snapshot.page_keys)
    touched = sorted({i for old in swaps for i in snapshot.pages_of.get(old, ())})
    # Articles whose related box shows a swapped one: their pages are among the touched.
    related = {pages[i].url for i in touched if pages[i].kind == "article"}
    new_site = _swap_site(snapshot.site, swaps, related)
    main_feed = snapshot.plan.feeds[0]
    for i in touched:
        page = pages[i]
        if page.kind == "article" and id(page.context["article"]) in swaps:
            page = plan.article_page(snapshot.config, new_site, swaps[id(page.context[
                "article"])], main_feed)
        else:
            page = dataclasses.replace(page, context=_swap(page.context, swaps))
        pages[i] = metadata.mark_sitemaps([page], snapshot.config)[0]
        page_keys[i] = snapshot.keys.page(pages[i])
    feeds = list(snapshot.plan.feeds)
    feed_keys = list(snapshot.feed_keys)
    feed_touched = sorted({i for old in swaps for i in snapshot.feeds_of.get(old, ())})
    for i in feed_touched:
        feeds[i] = dataclasses.replace(feeds[i], articles=_swap(feeds[i].articles, swaps))
        feed_keys[i] = snapshot.keys.feed(feeds[i])
    new_plan = dataclasses.replace(snapshot.plan, pages=tuple(pages), feeds=tuple(feeds))
    pages_of = dict(snapshot.pages_of)  # copies: the old snapshot stays whole if this fails
    feeds_of = dict(snapshot.feeds_of)
    for old, new in swaps.items():
        pages_of[id(new)] = pages_of.pop(old, [])
        feeds_of[id(new)] = feeds_of.pop(old, [])
    articles = {**snapshot.articles, **entries}
    found = snapshot.sources
    if found is not None:  # what a later build re-assembles from: the edited files too
        found = dataclasses.replace(found, entries=[
            (entries[i.source.rel][1], items[i.source.rel]) if i.source.rel in items else (e, i)
            for e, i in found.entries])
    updated = dataclasses.replace(snapshot, site=new_site, plan=new_plan, page_keys=page_keys,
                                  feed_keys=feed_keys, articles=articles, pages_of=pages_of,
                                  feeds_of=feeds_of, sources=found)
    return Patch(updated, touched, feed_touched)


def _swap(value: Any, swaps: dict[int, Article]) -> Any:
    """`value` with every swapped article replaced (new containers only where needed)."""
    if isinstance(value, Article):
        return swaps.get(id(value), value)
    if isinstance(value, tuple | list):
        items = [swaps.get(id(v), v) if type(v) is Article else _swap(v, swaps) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        swapped = {k: _swap(v, swaps) for k, v in value.items()}
        if all(swapped[k] is value[k] for k in value):
            return value
        return swapped
    if isinstance(value, Paginator):
        items = _swap(value.items, swaps)
        return value if items is value.items else dataclasses.replace(value, items=items)
    return value


def _swap_site(site: Site, swaps: dict[int, Article], related_urls: set[str]) -> Site:
    olds = [a for a in site.articles if id(a) in swaps]
    by_author = dict(site.by_author)
    by_tag = dict(site.by_tag)
    by_section = dict(site.by_section)
    neighbours = dict(site.neighbours)
    for old in olds:
        for author in old.authors:
            by_author[author.id] = _swap(by_author[author.id], swaps)
        for tag in old.tags:
            by_tag[tag.slug] = _swap(by_tag[tag.slug], swaps)
        if old.section:
            by_section[old.section.slug] = _swap(by_section[old.section.slug], swaps)
        for url in [old.url, *(n.url for n in neighbours.get(old.url, ()) if n)]:
            neighbours[url] = _swap(neighbours[url], swaps)
    related = dict(site.related)
    for url in related_urls & related.keys():
        related[url] = _swap(related[url], swaps)
    return dataclasses.replace(site, articles=_swap(site.articles, swaps), by_author=by_author,
                               by_tag=by_tag, by_section=by_section, neighbours=neighbours,
                               related=related)


def _path_order(rel: str) -> list[str]:
    return rel.split("/")  # as sources.find_files sorts: by path segments


def reread(snapshot: Snapshot, changed: Iterable[Path], site_dir: Path, cache: Cache,
           config: Config, settings: content.ReadSettings) -> Any:
    """The last build's sources (a build.Sources) with the changed article files read again
    (new, edited or deleted); None when anything else changed (an author, a page, a template,
    the configuration), or a changed file has a problem: a full build reads and reports."""
    found = snapshot.sources
    if found is None:
        return None
    articles_dir = site_dir / "content" / "articles"
    problems = Problems(site_dir)
    # Both lists stay in path order: a changed file is taken out and put back by bisection
    # (re-sorting 10,000 paths after every save was a tenth of the writer's wait).
    entries = list(found.entries)
    paths = list(found.paths)
    for path in changed:
        if (path.suffix not in sources.ARTICLE_SUFFIXES or articles_dir not in path.parents
                or path.is_symlink() or any(p.is_symlink() for p in path.parents
                                            if articles_dir in p.parents)):
            return None
        rel = problems.rel(path)
        _take(entries, rel, lambda e: e[1].source.rel)
        _take(paths, rel, problems.rel)
        if sources.is_ignored(path.name) or any(part.startswith(".") for part in
                                                path.relative_to(articles_dir).parts):
            continue
        if not path.exists():
            continue  # deleted
        if not path.is_file():
            return None
        _put(paths, rel, path, problems.rel)
        for item in content.read_articles([path], site_dir, cache, 1, problems, settings):
            entry = read_entry(item.source, config, problems, item.hand_in)
            if entry is not None:
                _put(entries, rel, (entry, item), lambda e: e[1].source.rel)
    if problems.errors or problems.warnings:
        return None
    return dataclasses.replace(found, entries=entries, paths=paths)


T = TypeVar("T")


def _take(items: list[T], rel: str, rel_of: Callable[[T], str]) -> None:
    """Remove the item for `rel` from `items` (in path order), if there is one."""
    at = bisect.bisect_left(items, _path_order(rel), key=lambda i: _path_order(rel_of(i)))
    if at < len(items) and rel_of(items[at]) == rel:
        del items[at]


def _put(items: list[T], rel: str, item: T, rel_of: Callable[[T], str]) -> None:
    """Insert `item` (for `rel`) into `items`, keeping them in path order."""
    items.insert(bisect.bisect_left(items, _path_order(rel),
                                    key=lambda i: _path_order(rel_of(i))), item)

