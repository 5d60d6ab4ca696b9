"""The pipeline, in one readable order: configuration -> sources -> model -> plan -> files.

`build()` runs it once (`sitegen build`); a `Builder` runs it again and again for one site
(`sitegen serve`), keeping what the last build made in memory. Each step is a function of
the step before (sitegen.engine.load, sitegen.plan, sitegen.engine.produce); every step is
timed for `--verbose`. How a rebuild decides what to redo: docs/architecture.md.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from sitegen.config import Config, load_config
from sitegen.engine import cache as cache_mod
from sitegen.engine import feedmedia, incremental, load, parallel, produce
from sitegen.engine.cache import Cache
from sitegen.engine.keys import PageKeys
from sitegen.engine.request import (
    BuildOptions,
    BuildResult,
    FirstPages,
    Progress,
    Timer,
    output_dir,
)
from sitegen.engine.uptodate import FrontDoor
from sitegen.errors import OutputError, Problems
from sitegen.model import refs
from sitegen.model.entries import Entry
from sitegen.model.refs import ReadSet
from sitegen.model.site import Article
from sitegen.output import search
from sitegen.output.folder import check_output_dir, swap_folder
from sitegen.output.write import Manifest, OutputWriter
from sitegen.plan import feedformats
from sitegen.plan.outputs import Plan, PlannedPage, output_path
from sitegen.plan.pages import make_plan, shadowed, source_of
from sitegen.render import pages as render
from sitegen.render import themes

__all__ = ["BuildOptions", "BuildResult", "Builder", "FirstPages", "build"]

FULL_COLLECT_EVERY = 16  # dev server builds between two full garbage collections


def build(options: BuildOptions, door: FrontDoor | None = None) -> BuildResult:
    """Run every stage in order and swap the new output in; raise SitegenError on failure.
    `door`: the no-op check already made for these options (see commands.build)."""
    return Builder(options).build(door=door)


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


@dataclass
class Session:
    """What a dev server's Builder keeps between builds (a one-off build keeps nothing)."""

    snapshot: incremental.Snapshot | None = None  # the last build's model, plan and keys
    output_files: dict[str, int] | None = None  # the output's files, by path
    last_outputs: frozenset[str] | None = None  # the last plan's pages and feeds
    kept_builds: int = 0  # builds kept in memory (see FULL_COLLECT_EVERY)
    # The dev server indexes search apart from builds (Pagefind reads the whole output:
    # 20 s at 10,000 articles, which no edit should wait for): `search_builds` counts the
    # builds since the start, `search_indexed` the count the index last caught up with.
    search_later: bool = False
    pagefind: Path | None = None  # the indexer the last build would run
    search_builds: int = 0
    search_indexed: int = 0


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
        self.session = Session()
        self.progress: Progress | None = None  # shown on a terminal by `sitegen build`

    @property
    def search_later(self) -> bool:
        return self.session.search_later

    @search_later.setter
    def search_later(self, value: bool) -> None:
        self.session.search_later = value

    def build(self, options: BuildOptions | None = None, *, save_cache: bool = True,
              changed: Iterable[Path] | None = None, first: FirstPages | None = None,
              door: FrontDoor | None = None) -> BuildResult:
        """Run every stage in order; raise SitegenError on failure (the output untouched).

        `options` may replace the ones given at creation (same site). `save_cache=False`
        keeps the cache in memory only (a dev server saves it with `save_cache()` later).
        `changed`, in place only, lists every path that changed since the last build (what
        a file watcher saw): only they are read again, and edits of articles that move
        nothing are patched into the last build. None means: unknown, look at everything.
        `first` (in place only) names pages a reader is looking at: they are written before
        all others, and its `done` is called with the paths written as soon as they are live
        (the dev server reloads those tabs while the rest of the site is still building).
        """
        same = options is None or options == self.options
        self.options = options = options or self.options
        session = self.session
        last = session.snapshot if changed is not None and same else None
        with _collector_paused():
            if first is not None and session.last_outputs is not None:
                first = dataclasses.replace(first, gone=session.last_outputs)
            timer = Timer(self.progress.stage if self.progress is not None else None)
            result = self._build(options, timer, last,
                                 list(changed) if changed is not None else None,
                                 first if options.in_place else None, door)
            if save_cache and not result.up_to_date:
                with timer.stage("cache"):
                    self.save_cache()
        if session.snapshot is not None and not result.patched:
            _set_aside(self._full_collect_due())  # a new build kept: see there
            session.kept_builds += 1
        return result

    def _full_collect_due(self) -> bool:
        """Every FULL_COLLECT_EVERY-th build kept in memory, the last builds' objects may be
        collected again (see _set_aside)."""
        return self.options.in_place and self.session.kept_builds % FULL_COLLECT_EVERY == 0

    def _build(self, options: BuildOptions, timer: Timer,
               last: incremental.Snapshot | None, changed: list[Path] | None,
               first: FirstPages | None, door: FrontDoor | None = None) -> BuildResult:
        """The pipeline: front door, configuration, sources, model, plan, files. From the
        dev server's `last` build, only the files in `changed` are read again, and an edit
        that moves no article patches the last model and plan (sitegen.engine.incremental)."""
        self.session.snapshot = None  # whatever happens next, the last build is not kept
        site_dir = options.site.resolve()
        out = output_dir(options)
        now = options.now or datetime.now(UTC)
        if door is None and not options.in_place:
            door = FrontDoor.open(options, site_dir, out, now, timer)
        if door is not None and door.fresh is not None:
            return door.fresh
        with timer.stage("config"):
            config = load_config(site_dir, options.base_url)
            check_output_dir(out, site_dir)
            cache = self._load_cache(site_dir)
        problems = Problems(site_dir)
        with timer.stage("content"):
            model = self._content(config, site_dir, options, now, problems, cache, last,
                                  changed)
        if isinstance(model, incremental.Patch):
            return self._write_patch(model, site_dir, out, cache, timer)
        problems.raise_if_any()
        with timer.stage("plan"):
            plan = self._plan(config, site_dir, model, now, last, problems)
        first = _with_saved_pages(first, config, model, changed, problems)
        with timer.stage("render+write"):
            result = self._produce(config, site_dir, plan, out, problems, cache, model,
                                   timer, first, last if model.reread else None)
        if options.in_place:  # what the next build's pages replace (see FirstPages.gone)
            self.session.last_outputs = _outputs(plan)
        if self.session.pagefind is None and config.search and model.site.articles:
            result.notes.append(search.DISABLED_NOTE)
        if door is not None:
            door.record(result, [a.date for a in model.site.articles], model.scheduled, now)
        result.timings = timer.timings
        return result

    def _content(self, config: Config, site_dir: Path, options: BuildOptions, now: datetime,
                 problems: Problems, cache: Cache, last: incremental.Snapshot | None,
                 changed: list[Path] | None) -> load.Model | incremental.Patch:
        """The model of the sources; or, when the dev server's `last` build holds and the
        changed files are edits that move no article, the patch of the last build."""
        found = None
        if last is not None and changed is not None:
            found = incremental.reread(last, changed, site_dir, cache, config,
                                       load.read_settings(config))
        if found is not None and last is not None and changed is not None:
            patch = incremental.edits(last, found, changed, site_dir, config, options.drafts,
                                      options.future)
            if patch is not None:
                return patch
        if self._full_collect_due():
            gc.unfreeze()
        model = load.read_model(config, site_dir, options, now, problems, cache, last, found,
                                changed or [])
        if not options.in_place:  # only a dev server's next build reads them again
            model.found = dataclasses.replace(model.found, entries=[], paths=[])
        return model

    def _plan(self, config: Config, site_dir: Path, model: load.Model, now: datetime,
              last: incremental.Snapshot | None, problems: Problems) -> Plan:
        pagefind = search.find_pagefind() if config.search and model.site.articles else None
        self.session.pagefind = pagefind
        plan = make_plan(config, model.site, now, search_enabled=pagefind is not None,
                         last=last.plan if model.reread and last else None)
        _check_shadowing(plan, problems)
        # The images feeds describe (enclosure lengths, sizes), read before feeds are keyed.
        return feedmedia.attach(plan, config, themes.static_dirs(site_dir, config.theme))

    def _produce(self, config: Config, site_dir: Path, plan: Plan, out: Path,
                 problems: Problems, cache: Cache, model: load.Model, timer: Timer,
                 first: FirstPages | None, last: incremental.Snapshot | None) -> BuildResult:
        """Render and write `plan`. `last`: the dev server's last build, when only articles
        changed since: its templates, and the keys of the pages this plan took from it,
        are used again."""
        env = last.env if last is not None else render.make_environment(
            produce.template_dirs(site_dir, config), config)
        keys = PageKeys(env, plan.site, repr(config), refs.index(model.site),
                        feedformats.reads(config), model.digester,
                        last.keys.templates if last is not None else None,
                        (last.keys, last.plan.pages, last.page_keys) if last else None)
        session, in_place = self.session, self.options.in_place
        later = session.pagefind is not None and in_place and session.search_later
        job = produce.Job(config, site_dir, plan, env, keys,
                          self.options.jobs or parallel.default_jobs(), problems,
                          None if later else session.pagefind, model.static, later, first,
                          cache.reads.get(str(out), {}), self.progress)
        writer = _open_writer(out, in_place, cache, session.output_files if in_place else None)
        done = produce.produce(job, writer)
        keys.forget()
        if later:
            session.search_builds += 1  # the index is now behind: see search_job
        if done.search_seconds is not None:
            timer.timings["search index"] = done.search_seconds
        _remember_manifest(cache, out, done.written.manifest, done.reads)
        if in_place:
            session.output_files = dict(writer.files)
            session.snapshot = _snapshot(config, model, plan, env, keys, done, last)
        return BuildResult(out, done.counts, len(plan.feeds), done.static_files,
                           problems.warnings, written=done.written.written,
                           linked=done.written.linked, rendered=done.rendered,
                           changed=frozenset(done.written.changed),
                           removed=frozenset(done.written.removed), reread=model.reread,
                           reads_build_time=_reads_build_time(keys, plan))

    def _write_patch(self, patch: incremental.Patch, site_dir: Path, out: Path, cache: Cache,
                     timer: Timer) -> BuildResult:
        """Render and write just the pages and feeds a patch planned again."""
        snap, session = patch.snapshot, self.session
        with timer.stage("patch"):
            writer = OutputWriter(out, in_place=True,
                                  manifest=cache.manifests.get(str(out), {}),
                                  known_files=session.output_files)
            later = session.pagefind is not None and session.search_later
            reads = cache.reads.get(str(out), {})
            written, rendered, records = produce.produce_patch(
                snap, patch.pages, patch.feeds, writer,
                produce.template_dirs(site_dir, snap.config), site_dir,
                None if later else session.pagefind, reads)
        for i in patch.pages:  # the keys the pages' files now have
            snap.page_keys[i] = written.manifest[snap.plan.pages[i].path][0]
        for i in patch.feeds:
            snap.feed_keys[i] = written.manifest[snap.plan.feeds[i].path][0]
        if later:
            session.search_builds += 1  # the index is now behind: see search_job
        session.snapshot = snap
        session.output_files = dict(writer.files)
        _remember_manifest(cache, out, written.manifest, {**reads, **records})
        return BuildResult(out, snap.counts, len(snap.plan.feeds), snap.static_files, [],
                           timer.timings, written.written, written.linked, rendered,
                           frozenset(written.changed), frozenset(written.removed),
                           patched=True)

    def search_job(self) -> tuple[Path, Path, Path, int] | None:
        """In place with `search_later`: what the search index needs, if it is behind the
        output: (Pagefind, output folder, folder to index into, builds so far)."""
        session = self.session
        if not session.search_later or session.pagefind is None or session.snapshot is None:
            return None
        if session.search_indexed == session.search_builds:
            return None
        out = output_dir(self.options)
        return (session.pagefind, out, out.parent / f".{out.name}.search-next",
                session.search_builds)

    def adopt_search(self, out: Path, fresh: Path, builds: int) -> None:
        """Swap a search index made by `search_job` into the output (call between builds).
        Its files count as the output's (a later build leaves them), with no page key: the
        next `sitegen build` indexes again rather than trust them."""
        files = swap_folder(out, search.INDEX_FOLDER, fresh)
        prefix = search.INDEX_FOLDER + "/"
        session = self.session
        session.output_files = {rel: ino for rel, ino in (session.output_files or {}).items()
                                if not rel.startswith(prefix)}
        session.output_files.update((rel, file[0]) for rel, file in files.items())
        if self.cache is not None:
            manifest = {rel: entry for rel, entry in self.cache.manifests.get(str(out),
                                                                              {}).items()
                        if not rel.startswith(prefix)}
            manifest.update((rel, ("", file)) for rel, file in files.items())
            _remember_manifest(self.cache, out, manifest, self.cache.reads.get(str(out), {}))
        session.search_indexed = builds

    def _load_cache(self, site_dir: Path) -> Cache:
        if self.cache is None:
            self.cache = (cache_mod.empty(site_dir) if self.options.clean
                          else cache_mod.load(site_dir))
        return self.cache

    def save_cache(self) -> None:
        """Write the in-memory cache to `.sitegen-cache/` if it learnt anything new."""
        if self.cache is not None and (self.cache.dirty or not self.cache.loaded):
            cache_mod.save(self.options.site.resolve(), self.cache)
            self.cache.dirty = False
            self.cache.loaded = True
        if self.cache is not None:
            self.cache.store.close()  # its log folded in; opened again when next read


def _with_saved_pages(first: FirstPages | None, config: Config, model: load.Model,
                      changed: Iterable[Path] | None, problems: Problems) -> FirstPages | None:
    """The pages of the articles just saved come first too."""
    if first is None:
        return None
    saved = [model.by_source.get(problems.rel(p)) for p in changed or ()]
    return dataclasses.replace(first, paths=first.paths | {
        output_path(config, article.url) for article in saved if article})


def _open_writer(out: Path, in_place: bool, cache: Cache,
                 known_files: dict[str, int] | None) -> OutputWriter:
    try:
        return OutputWriter(out, in_place=in_place, manifest=cache.manifests.get(str(out)),
                            known_files=known_files)
    except OSError as exc:
        raise OutputError(f"{out}: cannot prepare the output ({exc.strerror}). Check the "
                          "folder's permissions and free space.") from None


def _remember_manifest(cache: Cache, out: Path, manifest: Manifest,
                       reads: dict[str, ReadSet]) -> None:
    """The output's files and keys, and what each page read: one record, kept together."""
    if cache.manifests.get(str(out)) != manifest or cache.reads.get(str(out)) != reads:
        cache.manifests[str(out)] = manifest
        cache.reads[str(out)] = reads
        cache.dirty = True


def _snapshot(config: Config, model: load.Model, plan: Plan, env: jinja2.Environment,
              keys: PageKeys, done: produce.Produced,
              last: incremental.Snapshot | None) -> incremental.Snapshot:
    """What the dev server keeps of this build for the next one."""
    record: dict[str, tuple[str, Entry, Article]] = {
        item.source.rel: (item.digest, entry, model.by_source[item.source.rel])
        for entry, item in model.found.entries if item.source.rel in model.by_source}
    snapshot = incremental.Snapshot(config, model.site, plan, env, keys, done.page_keys,
                                    done.feed_keys, done.counts, done.static_files, record,
                                    model.found)
    snapshot.index(last)
    return snapshot


def _set_aside(full_collect: bool) -> None:
    """The dev server keeps this build in memory: set it aside from the collector, so that
    later rebuilds do not pay for scanning it again and again. A full collection first only
    now and then: at 10,000 articles it scans half a million objects (0.3 s after each added
    article) to find next to no cycles, as the old model and plan are freed by reference
    counting."""
    if full_collect:
        gc.collect()
    gc.freeze()


def _check_shadowing(plan: Plan, problems: Problems) -> None:
    """Raise for a page that would take the file of a page sitegen makes (a tag's, an
    author's, the archive's...), at its source: a page's file, or sitegen.yaml's sections."""
    for page, other in shadowed(plan):
        # The one at fault: a standalone page, else a section (named in sitegen.yaml), else
        # the later of two (an author profile whose id differs only in case).
        mine, theirs = (other, page) if _intruder_rank(other) < _intruder_rank(page) else (
            page, other)
        source = source_of(mine)
        where = problems.site_root / (source or "sitegen.yaml")
        what = "its URL" if source else f"the {mine.kind} page's URL"
        problems.error(where, 1, 1, f"{what} {mine.url} is also the URL of sitegen's "
                       f"{theirs.kind} page, which it would replace. Give it another `slug`, "
                       "or the section another name.")
    problems.raise_if_any()


def _intruder_rank(page: PlannedPage) -> int:
    return {"redirect": -1, "page": 0, "section": 1}.get(page.kind, 2)


def _reads_build_time(keys: PageKeys, plan: Plan) -> bool:
    """A template of this build shows the build's time (so it is stale when the clock moves)."""
    return any(keys.templates.mentions(name, "build_time")
               for name in {page.template for page in plan.pages})


def _outputs(plan: Plan) -> frozenset[str]:
    """The output paths of a plan's pages and feeds."""
    return frozenset([*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds)])
