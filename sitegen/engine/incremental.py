"""Rebuilding from the last build kept in memory (the dev server's), as steps of the one
pipeline in sitegen.engine.build: what still holds of the last sources, model and plan.

- `reread`: the last build's sources with the changed article files read again; None when
  anything else changed (an author, a page, a template, the configuration) or a changed file
  has a problem, and the build reads everything (the cache spares unchanged files).
- `edits`: when every changed article sits exactly where it sat (same URL, dates, section,
  byline, tags, image: a headline, a dek, a body, a summary was edited), no listing gains or
  loses an item, no page moves, no feed changes shape. Then the last Site and plan are
  patched: each edited Article replaces the old one wherever it was shown, the pages and
  feeds that showed it (the dependency index below, by source file) are planned again and
  keyed, and only those whose key changed are rendered (a body edit: the article's page).
  Anything else returns None and the model and plan are made again (taking from the last
  build what is equal, see sitegen.engine.load and sitegen.plan.pages), with every page's
  key compared to the one its file was written with.

The incremental tests compare every path with clean builds, byte for byte.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
import re
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
from sitegen.engine.imagework import ImageWork, with_images
from sitegen.engine.keys import PageKeys
from sitegen.engine.load import Sources, slim_entry
from sitegen.errors import Problems
from sitegen.model import assemble
from sitegen.model.entries import Entry, is_published, read_entry
from sitegen.model.site import Article, Site
from sitegen.plan import metadata
from sitegen.plan import pages as plan
from sitegen.plan.outputs import Paginator, Plan, PlannedPage
from sitegen.plan.series import SeriesNav

Shown = dict[str, tuple[PlannedPage, frozenset[str]]]  # page path -> (page, sources it shows)


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
    # source file of each published article -> (file digest, entry, article)
    articles: dict[str, tuple[str, Entry, Article]]
    sources: Sources  # what the content folder held
    # The dependency index: which pages and feeds show each article, by its source file.
    pages_of: dict[str, list[int]] = field(default_factory=dict)
    feeds_of: dict[str, list[int]] = field(default_factory=dict)
    shown: Shown = field(default_factory=dict)
    images: ImageWork | None = None  # the images of the pages (see sitegen.engine.imagework)

    def by_source(self) -> dict[str, Article]:
        return {rel: article for rel, (_, _, article) in self.articles.items()}

    def index(self, last: Snapshot | None = None) -> None:
        """Record which pages and feeds show each article. A page the last build had
        indexed and this plan took from it as it was (the same object) is not walked again."""
        self.pages_of = defaultdict(list)
        known = last.shown if last is not None else {}
        for i, page in enumerate(self.plan.pages):
            hit = known.get(page.path)
            if hit is None or hit[0] is not page:
                hit = (page, frozenset(a.source for a in _articles_in(page.context)))
            self.shown[page.path] = hit
            for rel in hit[1]:
                self.pages_of[rel].append(i)
        self.feeds_of = defaultdict(list)
        for i, feed in enumerate(self.plan.feeds):
            for article in feed.articles:
                self.feeds_of[article.source].append(i)


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
    elif isinstance(value, SeriesNav):  # the parts before and after, by title and URL
        yield from (part for part in (value.prev, value.next) if part is not None)


@dataclass
class Patch:
    """The outcome of patching: the new snapshot and what to render and write."""

    snapshot: Snapshot
    pages: list[int]  # plan indices of the pages to render
    feeds: list[int]  # feed indices to write
    images: ImageWork | None = None  # the image files of those pages


Swaps = dict[str, Article]  # source file -> the edited article that replaces the old one


def _same_place(old: Article, new: Article, old_entry: Entry, entry: Entry) -> bool:
    """True when `new` sits exactly where `old` did in every listing, feed and sitemap (and
    on the corrections page, and with the same lead image, whose size the full build reads)."""
    return (old.url == new.url and old.date == new.date and old.modified == new.modified
            and old.section == new.section and old.authors == new.authors
            and old.tags == new.tags and old_entry.tag_names == entry.tag_names
            and old.draft == new.draft and old.corrections == new.corrections
            and old.image == new.image and old.canonical == new.canonical
            and old.terms == new.terms and old.series == new.series
            and old.series_order == new.series_order
            and old.aliases == new.aliases  # its redirect pages are planned anew
            and old.featured == new.featured
            and _body_images(old) == _body_images(new))


def _site_groups(site: Site, config: Config) -> assemble.Groups:
    """The terms and series of the last build's site, as assemble.make_groups made them."""
    terms = {t.name: {term.slug: term for term in site.terms.get(t.name, ())}
             for t in config.taxonomies}
    return terms, {series.slug: series for series in site.series}


def _body_images(article: Article) -> list[str]:
    """The images a body shows: another set means other image files, which a patch (writing
    only the pages it plans again) would leave behind or miss."""
    return re.findall(r"<img\b[^>]*>", article.body_html)


def edits(snapshot: Snapshot, found: Sources, changed: Iterable[Path], site_dir: Path,
          config: Config, drafts: bool, future: bool) -> Patch | None:
    """The snapshot with the edited articles swapped in, when every changed file is an
    article that sits where it sat (see the module's docstring); else None."""
    if config != snapshot.config or config.multilingual:
        return None  # a multilingual site is planned again whole (translations link pages)
    site = snapshot.site
    now = snapshot.plan.site.build_time  # a patch changes no page's clock
    parts = ({a.id: a for a in site.authors}, {t.slug: t for t in site.tags},
             {s.slug: s for s in site.sections})
    rel_of = Problems(site_dir).rel
    swaps: Swaps = {}
    entries: dict[str, tuple[str, Entry, Article]] = {}
    for path in changed:
        rel = rel_of(path)
        hit = _find(found.entries, rel) if rel in snapshot.articles else None
        if hit is None:
            return None  # new, deleted, or not published last time
        entry, item = hit
        old_digest, old_entry, old = snapshot.articles[rel]
        if item.digest == old_digest:
            continue
        if not is_published(entry, now, drafts, future):
            return None
        try:
            new = assemble.build_article(entry, config, item.body, *parts, item.words,
                                         item.first_paragraph,
                                         image_size=(old.image_width, old.image_height)
                                         if old.image_width else None, chars=item.chars,
                                         groups=_site_groups(snapshot.site, config))
        except KeyError:  # an author, tag or term the site does not have yet
            return None
        if entry.series and new.series is None:  # a series the site does not have yet
            return None
        if not _same_place(old, new, old_entry, entry):
            return None
        keys_mod.seed_article(snapshot.keys.digester, new, item.digest)
        swaps[rel] = new
        entries[rel] = (item.digest, entry, new)
    return _apply(snapshot, swaps, entries, found)


def _apply(snapshot: Snapshot, swaps: Swaps, entries: dict[str, tuple[str, Entry, Article]],
           found: Sources) -> Patch:
    touched = sorted({i for rel in swaps for i in snapshot.pages_of.get(rel, ())})
    pages = list(snapshot.plan.pages)
    # Articles whose related box shows a swapped one: their pages are among the touched.
    related = {pages[i].url for i in touched if pages[i].kind == "article"}
    olds = [snapshot.articles[rel][2] for rel in swaps]
    new_site = _swap_site(snapshot.site, swaps, olds, related)
    images = snapshot.images.fresh() if snapshot.images is not None else None
    for i in touched:
        pages[i] = _replan(snapshot, new_site, pages[i], swaps, images)
    feeds = list(snapshot.plan.feeds)
    feed_touched = sorted({i for rel in swaps for i in snapshot.feeds_of.get(rel, ())})
    for i in feed_touched:
        feeds[i] = dataclasses.replace(feeds[i], articles=_swap(feeds[i].articles, swaps))
    new_plan = dataclasses.replace(snapshot.plan, pages=tuple(pages), feeds=tuple(feeds))
    # The keys of the touched pages and feeds are those their files get when written.
    updated = dataclasses.replace(snapshot, site=new_site, plan=new_plan,
                                  keys=snapshot.keys.with_entities(swaps.values()),
                                  page_keys=list(snapshot.page_keys),
                                  feed_keys=list(snapshot.feed_keys), sources=found,
                                  articles={**snapshot.articles, **entries},
                                  shown=dict(snapshot.shown))
    for i in touched:  # the same articles, by source file: only the pages are new
        updated.shown[pages[i].path] = (pages[i], snapshot.shown[pages[i].path][1])
    return Patch(updated, touched, feed_touched, images)


def _replan(snapshot: Snapshot, site: Site, page: PlannedPage, swaps: Swaps,
            images: ImageWork | None) -> PlannedPage:
    """A page that shows a swapped article, planned again with the new one (an article's
    page with its images: a new headline draws a new share card)."""
    shown = page.context.get("article")
    if page.kind == "article" and isinstance(shown, Article) and shown.source in swaps:
        page = plan.article_page(snapshot.config, site, swaps[shown.source],
                                 snapshot.plan.feeds[0])
        if images is not None:
            page = with_images(page, images)
    else:
        page = dataclasses.replace(page, context=_swap(page.context, swaps))
    return metadata.mark_sitemaps([page], snapshot.config)[0]


def _swap(value: Any, swaps: Swaps) -> Any:
    """`value` with every swapped article replaced (new containers only where needed)."""
    if isinstance(value, Article):
        return swaps.get(value.source, value)
    if isinstance(value, tuple | list):
        # Articles inline (the site's list is 10,000 of them, swapped on every edit)
        items = [swaps.get(v.source, v) if type(v) is Article else _swap(v, swaps)
                 for v in value]
        if all(map(operator.is_, items, value)):
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
    if isinstance(value, SeriesNav):
        prev, after = _swap(value.prev, swaps), _swap(value.next, swaps)
        if prev is value.prev and after is value.next:
            return value
        return dataclasses.replace(value, prev=prev, next=after)
    return value


def _swap_ordered(items: tuple[Article, ...], swaps: Swaps, old: Article,
                  ) -> tuple[Article, ...]:
    """`items` with `old` swapped, found by bisection: the site's article lists are in its
    order, and an edit that moves nothing keeps each article's place (walking the whole
    list was 60 ms of each save's rebuild at 100,000 articles). Any other list, item by
    item."""
    newest_first = assemble.newest_first
    at = bisect.bisect_left(items, newest_first(old), key=newest_first)
    if at == len(items) or items[at] is not old:
        return _swap(items, swaps)  # type: ignore[no-any-return]
    return (*items[:at], swaps.get(old.source, old), *items[at + 1:])


def _swap_site(site: Site, swaps: Swaps, olds: list[Article], related_urls: set[str]) -> Site:
    """The Site with the swapped articles (`olds`, the ones they replace) in every list,
    neighbour pair and related box that held them (every article has a neighbour pair,
    (None, None) without a section)."""
    by_author = dict(site.by_author)
    by_tag = dict(site.by_tag)
    by_section = dict(site.by_section)
    neighbours = dict(site.neighbours)
    for old in olds:
        for author in old.authors:
            by_author[author.id] = _swap_ordered(by_author[author.id], swaps, old)
        for tag in old.tags:
            by_tag[tag.slug] = _swap_ordered(by_tag[tag.slug], swaps, old)
        if old.section:
            by_section[old.section.slug] = _swap_ordered(by_section[old.section.slug], swaps,
                                                         old)
        for url in [old.url, *(n.url for n in neighbours[old.url] if n)]:
            neighbours[url] = _swap(neighbours[url], swaps)
    related = dict(site.related)
    for url in related_urls & related.keys():
        related[url] = _swap(related[url], swaps)
    by_series = {slug: _swap(parts, swaps) for slug, parts in site.by_series.items()}
    by_term = {name: {slug: _swap(arts, swaps) for slug, arts in groups.items()}
               for name, groups in site.by_term.items()}
    articles = site.articles
    for old in olds:
        articles = _swap_ordered(articles, swaps, old)
    return dataclasses.replace(site, articles=articles, by_author=by_author,
                               by_tag=by_tag, by_section=by_section, neighbours=neighbours,
                               related=related, by_series=by_series, by_term=by_term)


def _path_order(rel: str) -> list[str]:
    return rel.split("/")  # as sources.find_files sorts: by path segments


def reread(snapshot: Snapshot, changed: Iterable[Path], site_dir: Path, cache: Cache,
           config: Config, settings: content.ReadSettings) -> Sources | None:
    """The last build's sources with the changed article files read again (new, edited or
    deleted); None when anything else changed (an author, a page, a template, the
    configuration), or a changed file has a problem: a full build reads and reports."""
    found = snapshot.sources
    articles_dir = site_dir / "content" / "articles"
    problems = Problems(site_dir)
    # Both lists stay in path order: a changed file is taken out and put back by bisection
    # (re-sorting 10,000 paths after every save was a tenth of the writer's wait).
    entries = list(found.entries)
    paths = list(found.paths)
    for path in changed:
        if not _an_article_file(path, articles_dir) or not sources.encodes(str(path)):
            return None  # (a name that is not UTF-8: the full build reports it)
        rel = problems.rel(path)
        _take(entries, rel, _entry_rel)
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
                _put(entries, rel, slim_entry(entry, item), _entry_rel)
    if problems.errors or problems.warnings:
        return None
    return dataclasses.replace(found, entries=entries, paths=paths)


def _an_article_file(path: Path, articles_dir: Path) -> bool:
    """An article's file (or where one was), reached through no symbolic link."""
    return (path.suffix in sources.ARTICLE_SUFFIXES and articles_dir in path.parents
            and not path.is_symlink()
            and not any(p.is_symlink() for p in path.parents if articles_dir in p.parents))


def _entry_rel(item: tuple[Entry, content.ArticleSource]) -> str:
    return item[1].source.rel


T = TypeVar("T")


def _find(entries: list[tuple[Entry, content.ArticleSource]],
          rel: str) -> tuple[Entry, content.ArticleSource] | None:
    """The entry read from `rel`, if the sources hold one (they are in path order)."""
    at = bisect.bisect_left(entries, _path_order(rel), key=lambda i: _path_order(_entry_rel(i)))
    return entries[at] if at < len(entries) and _entry_rel(entries[at]) == rel else None


def _take(items: list[T], rel: str, rel_of: Callable[[T], str]) -> None:
    """Remove the item for `rel` from `items` (in path order), if there is one."""
    at = bisect.bisect_left(items, _path_order(rel), key=lambda i: _path_order(rel_of(i)))
    if at < len(items) and rel_of(items[at]) == rel:
        del items[at]


def _put(items: list[T], rel: str, item: T, rel_of: Callable[[T], str]) -> None:
    """Insert `item` (for `rel`) into `items`, keeping them in path order."""
    items.insert(bisect.bisect_left(items, _path_order(rel),
                                    key=lambda i: _path_order(rel_of(i))), item)
