"""The pipeline: disk -> immutable model -> render plan -> files, in one readable order.

`build()` is the only function that runs the stages; each is timed for `--verbose`.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import jinja2

from sitegen.config import Config, load_config
from sitegen.content import images, markup, sources
from sitegen.content import read as content_stage
from sitegen.engine import cache as cache_mod
from sitegen.engine import feedmedia, incremental, parallel, uptodate
from sitegen.engine import keys as keys_mod
from sitegen.engine.cache import Cache
from sitegen.engine.keys import Digester, PageKeys
from sitegen.errors import ConfigError, ContentError, OutputError, Problem, Problems
from sitegen.model import assemble
from sitegen.model.assemble import Entry
from sitegen.model.site import Article, Author, Page, Section, Site, Tag
from sitegen.output import search
from sitegen.output.write import OutputWriter, check_output_dir
from sitegen.plan import syndication
from sitegen.plan.pages import Plan, make_plan, output_path
from sitegen.render import pages as render
from sitegen.render import themes

FULL_COLLECT_EVERY = 16  # dev server builds between two full garbage collections
RENDER_CHUNK = 48  # pages per task sent to a render worker
MIN_PARALLEL_RENDER = 256  # fewer pages to render than this are not worth forking for


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None  # the build's time; tests pin it
    jobs: int | None = None  # processes for Markdown and rendering; None: one per CPU
    clean: bool = False  # ignore the build cache (it is rewritten afterwards)
    in_place: bool = False  # write changed files straight into the output (sitegen serve)


@dataclass
class BuildResult:
    output: Path
    pages: Counter[str]
    feeds: int
    static_files: int
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    linked: int = 0
    rendered: tuple[str, ...] = ()  # output paths of the pages rendered (not kept)
    changed: frozenset[str] = frozenset()  # output paths with new bytes, or new
    removed: frozenset[str] = frozenset()  # output paths no longer produced
    notes: list[str] = field(default_factory=list)  # said once per build, e.g. search is off
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    reread: bool = False  # the dev server read only the changed articles again (see _build)

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


@dataclass(frozen=True)
class FirstPages:
    """Pages to write before all others in a dev server's build (see Builder.build):
    output paths, and what to call with the paths written once they are live.

    `serving`, when given, is handed the rest of the build's pages as they are not yet on
    disk, just before `done` (see render.PendingPages): a dev server answers for them from
    the new plan until the build ends. `gone` are filled in by the build."""

    paths: frozenset[str]
    done: Callable[[frozenset[str]], None]
    serving: Callable[[render.PendingPages], None] | None = None
    gone: frozenset[str] = frozenset()  # pages and feeds of the last build this one drops


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a build.

    A build makes hundreds of thousands of long-lived objects (the model, the plan); the
    collector kept rescanning them (a quarter of a warm build's time at 10,000 articles).
    They hold no reference cycles worth collecting meanwhile: peak memory is the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start


@dataclass
class Sources:
    """The content folder read and checked, before anything is published."""

    authors: dict[str, Author]  # from content/authors/ (byline-only authors come later)
    entries: list[tuple[Entry, content_stage.ArticleSource]]  # every sound article, path order
    pages: list[Page]
    paths: list[Path]  # every article file found, sound or not (what the cache may keep)


def read_sources(config: Config, site_dir: Path, problems: Problems, cache: Cache,
                 inline: markup.InlineMemo, jobs: int = 1) -> Sources:
    """Every author, article and page file, read (from the cache where unchanged) and checked."""
    content = site_dir / "content"
    authors: dict[str, Author] = {}
    found = sources.find_files(content / "authors", {".yaml", ".yml", ".md"})
    for path in sources.inside_site(found, site_dir, problems):
        if path.suffix == ".md":
            source = sources.read_source(path, problems)
        else:
            source = sources.read_data_file(path, problems)
        author = assemble.read_author(source, config, problems, inline) if source else None
        if author:
            authors[author.id] = author
    paths = sources.inside_site(sources.find_files(content / "articles",
                                                   sources.ARTICLE_SUFFIXES), site_dir, problems)
    read = content_stage.read_articles(paths, site_dir, cache, jobs, problems,
                                       read_settings(config))
    entries = []
    for item in read:
        entry = assemble.read_entry(item.source, config, problems, item.hand_in)
        if entry:
            entries.append((entry, item))
    return Sources(authors, entries, _read_pages(config, site_dir, problems), paths)


def assemble_site(config: Config, site_dir: Path, options: BuildOptions, now: datetime,
                  problems: Problems, cache: Cache, found: Sources,
                  inline: Callable[[str], str] = markup.inline_markdown,
                  digester: Digester | None = None, scheduled: list[datetime] | None = None,
                  reuse: dict[str, Article] | None = None, last: Site | None = None,
                  ) -> tuple[Site, dict[str, Article]]:
    """The Site published from `found` at `now`, and its articles by source file.

    `reuse` (the dev server's last build) holds Articles made from the same entries: each is
    kept as it is when its byline and tags are still the same, rather than made again.
    `last` is that build's Site: its authors, tags and sections are kept where they are
    equal to the new ones, so that kept articles and the site hold the very same objects
    (templates may compare them with `sameas`).
    """
    published = [(e, i) for e, i in found.entries
                 if assemble.is_published(e, now, options.drafts, options.future)]
    if scheduled is not None:
        scheduled += [e.date for e, _ in found.entries if e.date > now and not options.future
                      and (options.drafts or not e.draft)]
    authors = assemble.add_byline_authors([e for e, _ in published], found.authors, config,
                                          problems)
    assemble.check_bylines([e for e, _ in published], authors, problems)
    problems.raise_if_any()  # articles are assembled only for a site whose content is sound
    tags = assemble.make_tags([e for e, _ in published], config)
    sections = assemble.make_sections(config)
    if last is not None:
        authors = _kept(authors, {a.id: a for a in last.authors})
        tags = _kept(tags, {t.slug: t for t in last.tags})
        sections = _kept(sections, {s.slug: s for s in last.sections})
    static = themes.static_dirs(site_dir, config.theme)
    articles = []
    by_source: dict[str, Article] = {}
    current: dict[int, bool] = {}  # id of a kept article's author, tag or section: still so?
    for entry, item in published:
        article = reuse.get(item.source.rel) if reuse else None
        if article is None or not _still_made_so(article, authors, tags, sections, current):
            article = assemble.build_article(entry, config, item.html, authors, tags,
                                             sections, item.words, item.first_paragraph,
                                             inline, _image_size(entry, config, static,
                                                                 problems))
            if digester is not None:
                keys_mod.seed_article(digester, article, item.digest)
        articles.append(article)
        by_source[item.source.rel] = article
    places = cache.related.get("places")
    site = assemble.index_site(articles, authors, tags, sections, found.pages, cache.related)
    cache.dirty |= cache.related.get("places") is not places  # matched anew
    assemble.check_collisions(_urls(site), problems, site_dir)
    return site, by_source


_Part = TypeVar("_Part", Author, Tag, Section)


def _kept(made: dict[str, _Part], last: dict[str, _Part]) -> dict[str, _Part]:
    """`made`, with the last build's object wherever it is equal to the new one."""
    return {key: old if (old := last.get(key)) == part else part for key, part in made.items()}


def _still_made_so(article: Article, authors: dict[str, Author], tags: dict[str, Tag],
                   sections: dict[str, Section], current: dict[int, bool]) -> bool:
    """True when the article's byline, tags and section are the site's objects now (a
    tag's name is its first spelling in path order: a new article can change it for all;
    see `_kept`). `current` holds the answer for each object, shared by thousands."""
    for part in (*article.authors, *article.tags, article.section):
        if part is None:
            continue
        known = current.get(id(part))
        if known is None:
            if isinstance(part, Author):
                known = authors.get(part.id) is part
            elif isinstance(part, Tag):
                known = tags.get(part.slug) is part
            else:
                known = sections.get(part.slug) is part
            current[id(part)] = known
        if not known:
            return False
    return True


def load_site(config: Config, site_dir: Path, options: BuildOptions, now: datetime,
              problems: Problems, cache: Cache | None = None, jobs: int = 1,
              digester: Digester | None = None, scheduled: list[datetime] | None = None,
              keep: list[Sources] | None = None) -> tuple[Site, dict[str, Article]]:
    """Sources to model: read every file, check it, render bodies, assemble the Site.

    With a `cache`, unchanged article files are neither parsed nor rendered again; with a
    `digester`, each article's digest is seeded from its inputs (see keys.Digester.seed);
    `scheduled` receives the dates of the articles left out only because they are not due
    yet, `keep` the sources read. Returns the Site and its articles by source file.
    """
    cache = cache if cache is not None else Cache()
    inline = markup.InlineMemo(cache.inline)
    found = read_sources(config, site_dir, problems, cache, inline, jobs)
    if keep is not None:
        keep.append(found)
    site, by_source = assemble_site(config, site_dir, options, now, problems, cache, found,
                                    inline, digester, scheduled)
    cache_mod.prune(cache, {problems.rel(p) for p in found.paths})
    if inline.used != cache.inline:
        cache.inline = inline.used
        cache.dirty = True
    return site, by_source




def read_settings(config: Config) -> content_stage.ReadSettings:
    """What reading an article depends on in the configuration."""
    return content_stage.ReadSettings(markup.HtmlPolicy(config.trusted_html, config.embed_hosts),
                                      config.max_file_size)


def _read_pages(config: Config, site_dir: Path, problems: Problems) -> list[Page]:
    pages_dir = site_dir / "content" / "pages"
    pages = []
    policy = markup.HtmlPolicy(config.trusted_html, config.embed_hosts)

    def render(source: sources.Source) -> str:
        return markup.body_to_html(source.kind, source.body, policy)

    found = sources.find_files(pages_dir, {".md", ".markdown", ".txt"})
    for path in sources.inside_site(found, site_dir, problems):
        source = sources.read_source(path, problems)
        page = assemble.read_page(source, config, problems, pages_dir, render) if source else None
        if page:
            pages.append(page)
    return pages


def _image_size(entry: assemble.Entry, config: Config, static: list[Path],
                problems: Problems) -> tuple[int, int] | None:
    """The lead image's pixel size, so pages can reserve its space; warn when it is missing."""
    if not entry.image or not entry.image.startswith("/") or entry.image.startswith("//"):
        return None  # no image, or one on another host: nothing of ours to read
    path = images.static_file(entry.image, config.root_path, static)
    size = images.read_image_size(path) if path else None
    if size is None:
        line, col = entry.source.line_of("image")
        what = "is not a PNG, GIF, JPEG or WebP file" if path else "is not in static/"
        problems.warn(entry.source.path, line, col, f"image `{entry.image}` {what}, so the "
                      "page cannot give its width and height. Fix the path or the file.")
    return size


def _urls(site: Site) -> list[tuple[str, str]]:
    urls = [(a.url, a.source) for a in site.articles]
    urls += [(p.url, p.source) for p in site.pages]
    reserved = ["/authors/", "/tags/", "/archive/", "/corrections/", "/search/",
                *(s.url for s in site.sections)]
    urls += [(u, f"(sitegen's {u} page)") for u in reserved]
    return urls


class Builder:
    """Runs builds of one site, keeping what each learnt for the next.

    `sitegen build` makes one Builder and runs it once: the cache comes from and goes back
    to `.sitegen-cache/`. `sitegen serve` keeps one for the session: the cache and the
    output's file list stay in memory, so a rebuild after an edit reads only the files
    whose signature changed, renders only the pages whose key changed, and reports which
    output paths changed (`BuildResult.changed` and `.removed`).
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.cache: Cache | None = None
        self._output_files: dict[str, int] | None = None  # in place: the output's files
        self._snapshot: incremental.Snapshot | None = None  # in place: the last build
        self._pagefind: Path | None = None  # the search indexer the last build ran
        self._reads_build_time = False  # a template of the last build shows the build's time
        self._last_templates: keys_mod.TemplateKeys | None = None
        self._last_outputs: frozenset[str] | None = None  # in place: the last plan's paths
        self._kept_builds = 0  # in place: builds kept in memory (see FULL_COLLECT_EVERY)
        # The dev server indexes search apart from builds (Pagefind reads the whole output:
        # 20 s at 10,000 articles, which no edit should wait for). `_search_builds` counts
        # the builds since, and `_search_indexed` the count the index last caught up with.
        self.search_later = False
        self._search_builds = 0
        self._search_indexed = 0

    def build(self, options: BuildOptions | None = None, *, save_cache: bool = True,
              changed: Iterable[Path] | None = None, first: FirstPages | None = None,
              ) -> BuildResult:
        """Run every stage in order; raise SitegenError on failure (the output untouched).

        `options` may replace the ones given at creation (same site). `save_cache=False`
        keeps the cache in memory only (a dev server saves it with `save_cache()` later).
        `changed`, in place only, lists every path that changed since the last build (what
        a file watcher saw); edits of articles that move nothing are then patched into the
        last build instead of building again. None means: unknown, look at everything.
        `first` (in place only) names pages a reader is looking at: they are written before
        all others, and its `done` is called with the paths written as soon as they are live
        (the dev server reloads those tabs while the rest of the site is still building).
        """
        previous = self.options
        options = options or self.options
        self.options = options
        with _collector_paused():
            if changed is not None and self._snapshot is not None and options == previous:
                result = self._patch(list(changed))
                if result is not None:
                    if save_cache:
                        self.save_cache()
                    return result
                last = self._snapshot  # an article added or deleted: build from the last one
            else:
                last = None
            self._snapshot = None
            # Every FULL_COLLECT_EVERY-th kept build, the last snapshots' objects may be
            # collected again (see below).
            full_collect = options.in_place and self._kept_builds % FULL_COLLECT_EVERY == 0
            if full_collect:
                gc.unfreeze()
            if first is not None and self._last_outputs is not None:
                first = dataclasses.replace(first, gone=self._last_outputs)
            result = self._build(options, save_cache, last, changed,
                                 first if options.in_place else None)
        if self._snapshot is not None:
            # The dev server keeps this build in memory: set it aside from the collector,
            # so that later rebuilds do not pay for scanning it again and again. A full
            # collection first only now and then: at 10,000 articles it scans half a million
            # objects (0.3 s after each added article) to find next to no cycles, as the
            # old model and plan are freed by reference counting.
            if full_collect:
                gc.collect()
            gc.freeze()
            self._kept_builds += 1
        return result

    def _build(self, options: BuildOptions, save_cache: bool,
               last: incremental.Snapshot | None = None,
               changed: Iterable[Path] | None = None,
               first: FirstPages | None = None) -> BuildResult:
        """A full build; from the dev server's `last` build when only the articles in
        `changed` were edited, added or deleted (they alone are read again)."""
        timer = _Timer()
        site_dir = options.site.resolve()
        out = (options.output or site_dir / "build").resolve()
        now = options.now or datetime.now(UTC)
        request = scanned = inputs = None
        if not options.in_place:  # the dev server keeps its own state: see _patch
            request = uptodate.Request(site_dir, out, options.drafts, options.future,
                                       options.base_url, now)
            with timer.stage("check"):
                fresh = None if options.clean else uptodate.check(request)
            if fresh is not None:
                return BuildResult(out, fresh.pages, fresh.feeds, fresh.static_files,
                                   fresh.warnings, timer.timings, notes=fresh.notes,
                                   up_to_date=True)
            scanned = cache_mod.now_ns()  # before anything is read: what this build sees
            inputs = uptodate.scan(site_dir, scanned)
        jobs = options.jobs or parallel.default_jobs()
        with timer.stage("config"):
            config = load_config(site_dir, options.base_url)
            check_output_dir(out, site_dir)
            cache = self._load_cache(site_dir)
        problems = Problems(site_dir)
        scheduled: list[datetime] = []
        kept: list[Sources] = []
        with timer.stage("content"):
            try:
                found = None
                if last is not None and changed is not None:
                    found = incremental.reread(last, changed, site_dir, cache, config,
                                               read_settings(config))
                if found is not None and last is not None:
                    # It knows the digests of the articles kept as they were.
                    digester = last.keys.digester.keeping(last.site.articles)
                    kept.append(found)
                    again = {problems.rel(p) for p in changed}
                    reuse = {rel: a for rel, a in last.by_source().items() if rel not in again}
                    site, by_source = assemble_site(config, site_dir, options, now, problems,
                                                    cache, found, digester=digester,
                                                    reuse=reuse, last=last.site)
                else:
                    digester = Digester()
                    site, by_source = load_site(config, site_dir, options, now, problems,
                                                cache, jobs, digester, scheduled, kept)
            except RecursionError:
                raise ContentError([Problem("content", 1, 1,
                                            "content nested too deeply.")]) from None
        problems.raise_if_any()
        record: dict[str, tuple[str, Entry, Article]] | None = None
        if options.in_place:
            record = {item.source.rel: (item.digest, entry, by_source[item.source.rel])
                      for entry, item in kept[0].entries if item.source.rel in by_source}
        with timer.stage("plan"):
            pagefind = search.find_pagefind() if config.search and site.articles else None
            self._pagefind = pagefind
            plan = make_plan(config, site, now, search_enabled=pagefind is not None,
                             last=last.plan if found is not None and last else None)
            plan = feedmedia.attach(plan, config, themes.static_dirs(site_dir, config.theme))
        if first is not None:  # the pages of the articles just saved come first too
            saved = [by_source.get(problems.rel(p)) for p in changed or ()]
            first = dataclasses.replace(first, paths=first.paths | {
                output_path(config, article.url) for article in saved if article})
        with timer.stage("render+write"):
            result = self._render_and_write(config, site_dir, plan, out, problems, cache, jobs,
                                            digester, site, record, pagefind, timer, first,
                                            last if found is not None else None)
        if self._snapshot is not None:
            self._snapshot.sources = kept[0]
        if options.in_place:  # what the next build's pages replace (see FirstPages.gone)
            self._last_outputs = _outputs(plan)
        result.reread = found is not None
        if pagefind is None and config.search and site.articles:
            result.notes.append(search.DISABLED_NOTE)
        if save_cache:
            with timer.stage("cache"):
                self.save_cache()
        if request is not None and inputs is not None and scanned is not None:
            news = [a.date for a in site.articles if a.date >= now - syndication.NEWS_WINDOW]
            # A site without articles dates its feeds by the build's time (see Feed).
            until = uptodate.valid_until(now, scheduled, news,
                                         self._reads_build_time or not site.articles)
            uptodate.record(request, inputs, scanned, until,
                            uptodate.Fresh(result.pages, result.feeds, result.static_files,
                                           result.warnings, result.notes))
        result.timings = timer.timings
        return result

    def _patch(self, changed: list[Path]) -> BuildResult | None:
        """Patch the last build after edits that move nothing (see sitegen.engine.incremental)."""
        assert self._snapshot is not None and self.cache is not None
        options = self.options
        start = time.perf_counter()
        site_dir = options.site.resolve()
        # The last build's time: a patch changes no page but those showing the edit.
        now = self._snapshot.plan.site.build_time
        done = incremental.patch(self._snapshot, changed, site_dir, self.cache, now,
                                 options.drafts, options.future,
                                 read_settings(self._snapshot.config))
        if done is None:
            return None
        snap = done.snapshot
        out = (options.output or site_dir / "build").resolve()
        manifest = self.cache.manifests.get(str(out), {})
        writer = OutputWriter(out, in_place=True, manifest=manifest,
                              known_files=self._output_files)
        todo: list[tuple[int, str | None]] = [(i, snap.page_keys[i]) for i in done.pages]
        redo = {snap.plan.pages[i].path for i in done.pages}
        redo |= {snap.plan.feeds[i].path for i in done.feeds}
        writer.assume(rel for rel in manifest if rel not in redo)
        try:
            roots = _template_dirs(site_dir, snap.config)
            todo += [(-i - 1, snap.feed_keys[i]) for i in done.feeds]
            state = render.RenderState(snap.env, snap.plan, writer, roots, site_dir, snap.keys,
                                       snap.config)
            _, errors = render.render_chunk(state, todo)
            if errors:
                raise ContentError(sorted(errors))
            if self._pagefind is not None and self.search_later:
                self._search_builds += 1  # the index is now behind: see search_job
            elif self._pagefind is not None:
                writer.commit()  # in place, pages are renamed in at commit: index those
                _index_search(writer, self._pagefind)
            written = writer.commit()
        except BaseException:
            writer.abort()
            raise
        self._snapshot = snap
        self._output_files = dict(writer.files)
        self.cache.manifests[str(out)] = written.manifest
        self.cache.dirty = True
        return BuildResult(out, snap.counts, len(snap.plan.feeds), snap.static_files, [],
                           {"patch": time.perf_counter() - start}, written.written,
                           written.linked, tuple(snap.plan.pages[i].path for i in done.pages),
                           frozenset(written.changed), frozenset(written.removed))

    def search_job(self) -> tuple[Path, Path, Path, int] | None:
        """In place with `search_later`: what the search index needs, if it is behind the
        output: (Pagefind, output folder, folder to index into, builds so far)."""
        if not self.search_later or self._pagefind is None or self._snapshot is None:
            return None
        if self._search_indexed == self._search_builds:
            return None
        out = (self.options.output or self.options.site.resolve() / "build").resolve()
        return self._pagefind, out, out.parent / f".{out.name}.search-next", self._search_builds

    def adopt_search(self, out: Path, fresh: Path, builds: int) -> None:
        """Swap a search index made by `search_job` into the output (call between builds)."""
        target = out / search.INDEX_FOLDER
        old = out.parent / f".{out.name}.search-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        # Its files count as the output's (a later build leaves them), with no page key:
        # the next `sitegen build` indexes again rather than trust them.
        prefix = search.INDEX_FOLDER + "/"
        files = {rel: ino for rel, ino in (self._output_files or {}).items()
                 if not rel.startswith(prefix)}
        manifest = {rel: entry for rel, entry in
                    (self.cache.manifests.get(str(out), {}) if self.cache else {}).items()
                    if not rel.startswith(prefix)}
        for path in sorted(target.rglob("*")):
            st = os.lstat(path)
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(out).as_posix()
                files[rel] = st.st_ino
                manifest[rel] = ("", (st.st_ino, st.st_size, st.st_mtime_ns))
        self._output_files = files
        if self.cache is not None:
            self.cache.manifests[str(out)] = manifest
            self.cache.dirty = True
        self._search_indexed = builds

    def _load_cache(self, site_dir: Path) -> Cache:
        if self.cache is None:
            self.cache = Cache() if self.options.clean else cache_mod.load(site_dir)
        return self.cache

    def save_cache(self) -> None:
        """Write the in-memory cache to `.sitegen-cache/` if it learnt anything new."""
        if self.cache is not None and (self.cache.dirty or not self.cache.loaded):
            cache_mod.save(self.options.site.resolve(), self.cache)
            self.cache.dirty = False
            self.cache.loaded = True

    def _render_and_write(self, config: Config, site_dir: Path, plan: Plan, out: Path,
                          problems: Problems, cache: Cache, jobs: int,
                          digester: Digester, site: Site,
                          record: dict[str, tuple[str, Entry, Article]] | None,
                          pagefind: Path | None, timer: _Timer, first: FirstPages | None = None,
                          last: incremental.Snapshot | None = None) -> BuildResult:
        """`last`: the dev server's last build, when only articles changed since: its
        templates, and the keys of the pages this plan took from it, are used again."""
        template_dirs = _template_dirs(site_dir, config)
        self._last_templates = last.keys.templates if last is not None else None
        env = last.env if last is not None else render.make_environment(template_dirs, config)
        keys = PageKeys(env, plan.site, repr(config), digester, self._last_templates,
                        (last.keys, last.plan.pages, last.page_keys) if last else None)
        in_place = self.options.in_place
        try:
            writer = OutputWriter(out, in_place=in_place,
                                  manifest=cache.manifests.get(str(out)),
                                  known_files=self._output_files if in_place else None)
        except OSError as exc:
            raise OutputError(f"{out}: cannot prepare the output ({exc.strerror}). Check the "
                              "folder's permissions and free space.") from None
        try:
            counts, rendered, page_keys, feed_keys = _write_pages(
                env, keys, plan, writer, template_dirs, site_dir, jobs, config, first)
            keys.forget()
            self._reads_build_time = any(keys.templates.mentions(name, "build_time")
                                         for name in {page.template for page in plan.pages})
            for path, xml in syndication.sitemaps(plan, config):
                writer.add(path, xml.encode("utf-8"))
            writer.add("news-sitemap.xml", syndication.news_sitemap(plan, config).encode("utf-8"))
            writer.add("robots.txt", syndication.robots(config).encode("utf-8"))
            static = _copy_static(writer, site_dir, config, problems)
            if pagefind is not None and in_place and self.search_later:
                writer.leave(search.INDEX_FOLDER)  # indexed apart: see search_job
                self._search_builds += 1
            elif pagefind is not None:
                with timer.stage("search index"):  # before the swap: a failure keeps the old site
                    if writer.in_place:
                        writer.commit()  # in place, pages are renamed in at commit: index those
                    _index_search(writer, pagefind)
            written = writer.commit()
        except OSError as exc:
            writer.abort()
            where = exc.filename or out
            raise OutputError(f"{where}: cannot write the output ({exc.strerror}); the last good "
                              "build is unchanged. Free some disk space or fix the folder's "
                              "permissions, then build again.") from None
        except BaseException:
            writer.abort()
            raise
        warnings = problems.warnings
        if cache.manifests.get(str(out)) != written.manifest:
            cache.manifests[str(out)] = written.manifest
            cache.dirty = True
        if in_place and record is not None:
            self._output_files = dict(writer.files)
            self._snapshot = incremental.Snapshot(config, site, plan, env, keys, page_keys,
                                                  feed_keys, counts, static, record)
            self._snapshot.index(last)
        return BuildResult(out, counts, len(plan.feeds), static, warnings,
                           written=written.written, linked=written.linked, rendered=rendered,
                           changed=frozenset(written.changed),
                           removed=frozenset(written.removed))


def build(options: BuildOptions) -> BuildResult:
    """Run every stage in order and swap the new output in; raise SitegenError on failure."""
    return Builder(options).build()


def _index_search(writer: OutputWriter, pagefind: Path) -> None:
    """Pagefind's index of the new tree, counted as the build's output. Its key is that of
    every page: when no page changed, the last index is kept as it is (the same files)."""
    folder = search.INDEX_FOLDER
    pages = sorted((rel, key) for rel, (key, _) in writer.result.manifest.items()
                   if rel.endswith(".html"))
    index_key = "search " + hashlib.blake2b(repr(pages).encode(), digest_size=16).hexdigest()
    previous = [rel for rel in writer.previous if rel.startswith(folder + "/")]
    if previous and all(writer.keep(rel, index_key) for rel in previous):
        return
    if not writer.in_place:
        writer.remove_stale()  # pages of deleted articles must not be indexed
    writer.clear(folder)
    search.index(pagefind, writer.work)
    writer.adopt(folder, index_key)


def _template_dirs(site_dir: Path, config: Config) -> list[Path]:
    try:
        template_dirs = themes.template_dirs(site_dir, config.theme)
    except FileNotFoundError as exc:
        raise ConfigError([Problem("sitegen.yaml", 1, 1, str(exc))]) from None
    if config.theme != "default" and not (site_dir / "themes" / config.theme).is_dir():
        raise ConfigError([Problem("sitegen.yaml", 1, 1, f"theme `{config.theme}` not found in "
                                   "themes/. Create it or remove the `theme` setting.")])
    return template_dirs


def _write_pages(env: jinja2.Environment, keys: PageKeys, plan: Plan, writer: OutputWriter,
                 roots: list[Path], site_dir: Path, jobs: int, config: Config,
                 first: FirstPages | None = None,
                 ) -> tuple[Counter[str], tuple[str, ...], list[str], list[str]]:
    """Keep every page and feed whose key is unchanged; render and write the others, in
    parallel. Returns the page counts, the paths rendered, and the page and feed keys.

    With no previous build to keep anything from, even the keys are computed by the
    workers: a cold build renders everything anyway. `first` pages go live before the rest.
    """
    counts = Counter(page.kind for page in plan.pages)
    state = render.RenderState(env, plan, writer, roots, site_dir, keys, config)
    early: set[int] = set()
    done_first: list[tuple[int, str | None]] = []
    if first is not None and writer.in_place:
        early = {i for i, page in enumerate(plan.pages) if page.path in first.paths}
        done_first = _first_pages(state, early, first)
    todo: list[tuple[int, str | None]] = []
    cold = not writer.previous
    for index, page in enumerate(plan.pages):
        if index in early:
            continue
        key = None if cold else keys.page(page)
        if key is None or not writer.keep(page.path, key):
            todo.append((index, key))
    for index, feed in enumerate(plan.feeds):  # negative numbers: feeds
        key = None if cold else keys.feed(feed)
        if key is None or not writer.keep(feed.path, key):
            todo.append((-index - 1, key))
    render.compile_templates(env)
    errors: list[Problem] = []
    for outcomes, problems in parallel.map_chunks(render.render_chunk, state, todo, jobs=jobs,
                                                  chunk_size=RENDER_CHUNK,
                                                  min_items=MIN_PARALLEL_RENDER):
        for outcome in outcomes:
            writer.record(outcome)
        errors += problems
    if errors:
        raise ContentError(sorted(errors)[:render.MAX_PROBLEMS])
    manifest = writer.result.manifest
    return (counts, tuple(plan.pages[i].path for i, _ in [*done_first, *todo] if i >= 0),
            [manifest[page.path][0] for page in plan.pages],
            [manifest[feed.path][0] for feed in plan.feeds])


def _outputs(plan: Plan) -> frozenset[str]:
    """The output paths of a plan's pages and feeds."""
    return frozenset([*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds)])


def _first_pages(state: render.RenderState, early: set[int],
                 first: FirstPages) -> list[tuple[int, str | None]]:
    """Render the pages a reader is looking at, put them live, and say so; the rest of the
    build follows, its pages served meanwhile by `first.serving`. Returns the (plan index,
    key) pairs rendered."""
    todo: list[tuple[int, str | None]] = []
    for index in sorted(early):
        page = state.plan.pages[index]
        key = state.keys.page(page)
        if not state.writer.keep(page.path, key):
            todo.append((index, key))
    _, errors = render.render_chunk(state, todo)
    if errors:
        raise ContentError(sorted(errors)[:render.MAX_PROBLEMS])
    written = frozenset(state.writer.flush())
    if first.serving is not None:
        live = frozenset(state.plan.pages[i].path for i in early)
        first.serving(render.PendingPages(state, live, first.gone))
    first.done(written)
    return todo


def _copy_static(writer: OutputWriter, site_dir: Path, config: Config,
                 problems: Problems) -> int:
    """Theme static files, then the site's own, which win on the same path."""
    files: dict[str, Path] = {}
    for folder in themes.static_dirs(site_dir, config.theme):
        found = sources.find_files(folder, None)
        if folder.resolve().is_relative_to(site_dir):
            found = sources.inside_site(found, site_dir, problems)
        for path in found:
            files[path.relative_to(folder).as_posix()] = path
    racy = cache_mod.now_ns() - cache_mod.RACY_NS
    for rel, path in sorted(files.items()):
        if writer.exists(rel):
            raise ContentError([Problem(writer_rel(site_dir, path), 1, 1, f"static file /{rel} "
                                        "has the same path as a generated page. Rename it.")])
        sig = cache_mod.signature(path.stat())
        writer.copy(rel, path, f"static {path} {sig}" if sig[1] < racy else "")
    return len(files)


def writer_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
