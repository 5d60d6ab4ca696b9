"""The pipeline, in one readable order: configuration -> sources -> model -> plan -> files.

`build()` runs it once (`sitegen build`); a `Builder` runs it again and again for one site
(`sitegen serve`), keeping what the last build made in memory. Each step is a function of
the step before (sitegen.engine.load, sitegen.plan, sitegen.engine.produce); every step is
timed for `--verbose`. How a rebuild decides what to redo: docs/architecture.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from sitegen.config import CONFIG_NAME, Config, load_config
from sitegen.engine import cache as cache_mod
from sitegen.engine import (
    changes,
    checks,
    feedmedia,
    imagework,
    incremental,
    languages,
    load,
    parallel,
    produce,
)
from sitegen.engine import session as session_mod
from sitegen.engine.cache import Cache
from sitegen.engine.imagework import ImageWork
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
from sitegen.output import search
from sitegen.output.folder import check_output_dir
from sitegen.output.lock import output_lock
from sitegen.output.write import OutputWriter
from sitegen.plan import feedformats
from sitegen.plan.outputs import Plan
from sitegen.plan.pages import make_plan
from sitegen.render import deadline, themes
from sitegen.render import pages as render

__all__ = ["BuildOptions", "BuildResult", "Builder", "FirstPages", "build"]

def build(options: BuildOptions, door: FrontDoor | None = None) -> BuildResult:
    """Run every stage in order and swap the new output in; raise SitegenError on failure.
    `door`: the no-op check already made for these options (see commands.build)."""
    return Builder(options).build(door=door)


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
        self.session = session_mod.Session()
        self.progress: Progress | None = None  # shown on a terminal by `sitegen build`
        # Another process holding the output lock: wait this long for it (the dev server
        # does, saying so once), then refuse naming it.
        self.lock_wait = 0.0
        self.lock_waiting: str | None = None
        self.lock_stop: Callable[[], bool] | None = None  # stop waiting (the server closes)

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
        with self.locked(options):
            return self._locked_build(options, same, save_cache, changed, first, door)

    def locked(self, options: BuildOptions) -> contextlib.AbstractContextManager[None]:
        """The site's output lock (sitegen.output.lock), while this build writes; none for
        a folder that is no site (the build fails at its configuration, writing nothing)."""
        site_dir = options.site.resolve()
        if not (site_dir / CONFIG_NAME).is_file():
            return contextlib.nullcontext()
        what = "sitegen serve" if options.in_place else "sitegen build"
        return output_lock(site_dir, output_dir(options), what, wait=self.lock_wait,
                           waiting=self.lock_waiting, stop=self.lock_stop)

    def _locked_build(self, options: BuildOptions, same: bool, save_cache: bool,
                      changed: Iterable[Path] | None, first: FirstPages | None,
                      door: FrontDoor | None) -> BuildResult:
        session = self.session
        deadline.reset()  # renders stopped by a closing dev server were the last build's
        if options.in_place and not session_mod.intact(output_dir(options), session):
            # build/ deleted, or replaced by another process's build, since the last one:
            # nothing of it is known any more, so this build lists and checks every file.
            session.snapshot, session.output_files = None, None
        last = session.snapshot if changed is not None and same else None
        with session_mod.collector_paused():
            if first is not None and session.last_outputs is not None:
                first = dataclasses.replace(first, gone=session.last_outputs)
            timer = Timer(self.progress.stage if self.progress is not None else None)
            result = self._build(options, timer, last,
                                 list(changed) if changed is not None else None,
                                 first if options.in_place else None, door)
            if save_cache and not result.up_to_date:
                with timer.stage("cache"):
                    self.save_cache()
            if session.snapshot is not None:  # set aside before the collector scans it
                session_mod.set_aside(not result.patched and self._full_collect_due())
                session.kept_builds += not result.patched
        return result

    def _full_collect_due(self) -> bool:
        """Every FULL_COLLECT_EVERY-th build kept in memory, the last builds' objects may be
        collected again (see session.set_aside)."""
        every = session_mod.FULL_COLLECT_EVERY
        return self.options.in_place and self.session.kept_builds % every == 0

    def _build(self, options: BuildOptions, timer: Timer,
               last: incremental.Snapshot | None, changed: list[Path] | None,
               first: FirstPages | None, door: FrontDoor | None = None) -> BuildResult:
        """The pipeline: front door, configuration, sources, model, plan, files. From the
        dev server's `last` build, only the files in `changed` are read again, and an edit
        that moves no article patches the last model and plan (sitegen.engine.incremental)."""
        self.session.snapshot = None  # whatever happens next, the last build is not kept
        site_dir, out = options.site.resolve(), output_dir(options)
        now = options.now or datetime.now(UTC)
        door = self._front_door(options, site_dir, out, now, timer, door)
        if door is not None and door.fresh is not None:
            return door.fresh
        problems = Problems(site_dir)
        with timer.stage("config"):
            config = load_config(site_dir, options.base_url)
            config = languages.resolve(config, site_dir, problems)  # each language's strings
            cache = self._load_cache(site_dir)
        with timer.stage("content"):
            model = self._content(config, site_dir, options, now, problems, cache, last,
                                  changed)
        if isinstance(model, incremental.Patch):
            return self._write_patch(model, site_dir, out, cache, timer)
        # A build with problems goes on as far as it can, to report every problem of the
        # run together (templates too); it fails before the output is touched.
        with timer.stage("plan"), checks.reported_with(problems):
            missing = checks.missing_layouts(_published(model), produce.template_dirs(
                site_dir, config), config.theme, problems)
            if not options.in_place:  # only a dev server's next build reads the sources
                model.found = dataclasses.replace(model.found, entries=[], paths=[])
            plan = self._plan(config, site_dir, model, now, last, problems)
        with timer.stage("images"):
            plan, images = self._images(config, site_dir, model, plan, cache,
                                        last.images if last else None, first is not None)
        first = None if problems.errors else session_mod.with_saved_pages(first, config, model,
                                                                changed, problems)
        with timer.stage("render+write"), checks.reported_with(problems):
            result = self._produce(config, site_dir, plan, out, problems, cache, model,
                                   timer, first, last if model.reread else None, images,
                                   missing)
        return self._finish(result, config, model, plan, door, now, timer)

    def _finish(self, result: BuildResult, config: Config, model: load.Model, plan: Plan,
                door: FrontDoor | None, now: datetime, timer: Timer) -> BuildResult:
        """The build's notes and times; what the next build needs to know of it."""
        if self.options.in_place:  # what the next build's pages replace (FirstPages.gone)
            self.session.last_outputs = session_mod.outputs(plan)
        result.notes += self._notes(config, model)
        if door is not None:
            door.record(result, [a.date for a in model.site.every_article], model.scheduled,
                        now)
        result.timings = timer.timings
        return result

    def _front_door(self, options: BuildOptions, site_dir: Path, out: Path, now: datetime,
                    timer: Timer, door: FrontDoor | None) -> FrontDoor | None:
        """The no-op check (`sitegen build` only), the output folder checked first."""
        if (site_dir / CONFIG_NAME).is_file():  # else the configuration's error comes first
            check_output_dir(out, site_dir)
        if door is None and not options.in_place:
            door = FrontDoor.open(options, site_dir, out, now, timer)
        return door

    def _notes(self, config: Config, model: load.Model) -> list[str]:
        """What a successful build says besides its counts: search off, files skipped."""
        notes = []
        if self.session.pagefind is None and config.search and model.site.every_article:
            notes.append(search.disabled_note())
        if (note := load.skipped_note(model.found.skipped)) is not None:
            notes.append(note)
        return notes

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
        return load.read_model(config, site_dir, options, now, problems, cache, last, found,
                               changed or [])

    def _plan(self, config: Config, site_dir: Path, model: load.Model, now: datetime,
              last: incremental.Snapshot | None, problems: Problems) -> Plan:
        pagefind = (search.find_pagefind() if config.search and model.site.every_article
                    else None)
        self.session.pagefind = pagefind
        plan = make_plan(config, model.site, now, search_enabled=pagefind is not None,
                         last=last.plan if model.reread and last else None)
        checks.shadowing(plan, problems)
        checks.static_clashes(plan, model.static, problems)
        return plan

    def _images(self, config: Config, site_dir: Path, model: load.Model, plan: Plan,
                cache: Cache, last: ImageWork | None, later: bool) -> tuple[Plan, ImageWork]:
        """Every article page's images, their files made (in workers) where the cache has
        none (the cards `later`: after the first pages); then those feeds show, as published."""
        work = ImageWork(config, model.static, cache, site_dir / cache_mod.CACHE_DIR /
                         imagework.FOLDER, imagework.theme_colours(model.static), later)
        work.carry(last)
        plan = imagework.attach(plan, work)
        imagework.make(work, self.options.jobs or parallel.default_jobs(),
                       not self.options.clean, cards=not work.cards_later)
        return feedmedia.attach(plan, config, themes.static_dirs(site_dir, config.theme),
                                work.replaced()), work

    def _produce(self, config: Config, site_dir: Path, plan: Plan, out: Path,
                 problems: Problems, cache: Cache, model: load.Model, timer: Timer,
                 first: FirstPages | None, last: incremental.Snapshot | None,
                 images: imagework.ImageWork, missing: frozenset[str] = frozenset(),
                 ) -> BuildResult:
        """Render and write `plan` and its images; with problems found already, render
        only to find the template problems too (`missing` templates not at all), and raise
        them all. `last`: the dev server's last build, when only articles changed since:
        its templates, and the keys of the pages this plan took from it, are used again."""
        env = last.env if last is not None else render.make_environment(
            produce.template_dirs(site_dir, config), config)
        entities = refs.index(model.site)
        since, prints = changes.since(cache.keyed.get(str(out)),
                                      cache.manifests.get(str(out), {}), entities,
                                      model.digester, last.keys.entities if last else None)
        keys = _page_keys(config, plan, env, model, last, entities, since)
        session, in_place = self.session, self.options.in_place
        later = session.pagefind is not None and in_place and session.search_later
        job = produce.Job(config, site_dir, plan, env, keys,
                          self.options.jobs or parallel.default_jobs(), problems,
                          None if later else session.pagefind, model.static, later, first,
                          cache.reads.get(str(out), {}), self.progress, images.made(),
                          dry=bool(problems.errors), missing=missing,
                          make_later=imagework.cards_after(images))
        writer = _open_writer(out, in_place, cache, session.output_files if in_place else None)
        done = produce.produce(job, writer)
        imagework.prune(images, job.images)
        keys.forget()
        if later:
            session.search_builds += 1  # the index is now behind: see engine.searchindex
        if done.search_seconds is not None:
            timer.timings["search index"] = done.search_seconds
        session_mod.remember_manifest(cache, out, done.written.manifest, done.reads,
                                      (prints, keys.shapes))
        if in_place:
            self._keep(config, model, plan, env, keys, done, last, writer, out, images)
        return BuildResult(out, done.counts, len(plan.feeds), done.static_files,
                           problems.warnings, written=done.written.written,
                           linked=done.written.linked, rendered=done.rendered,
                           changed=frozenset(done.written.changed),
                           removed=frozenset(done.written.removed), reread=model.reread,
                           reads_build_time=_reads_build_time(keys, plan),
                           images=images.processed)

    def _keep(self, config: Config, model: load.Model, plan: Plan, env: jinja2.Environment,
              keys: PageKeys, done: produce.Produced, last: incremental.Snapshot | None,
              writer: OutputWriter, out: Path, images: imagework.ImageWork) -> None:
        """The dev server's session after a build: the output's files and this build."""
        session = self.session
        session.output_files = dict(writer.files)
        session.output_id = session_mod.folder_id(out)
        session.snapshot = session_mod.snapshot(config, model, plan, env, keys, done, last)
        session.snapshot.images = images

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
            made = patch.images.made() if patch.images is not None else []
            if patch.images is not None:
                imagework.make(patch.images, 1, reuse=True)
            redo = {snap.plan.pages[i].path for i in patch.pages}
            redo |= {snap.plan.feeds[i].path for i in patch.feeds}
            written, rendered, records = produce.produce_patch(
                snap, patch.pages, patch.feeds, writer,
                produce.template_dirs(site_dir, snap.config), site_dir,
                None if later else session.pagefind, reads, made)
        for i in patch.pages:  # the keys the pages' files now have
            snap.page_keys[i] = written.manifest[snap.plan.pages[i].path][0]
        for i in patch.feeds:
            snap.feed_keys[i] = written.manifest[snap.plan.feeds[i].path][0]
        session.search_builds += later  # the index is now behind: see engine.searchindex
        session.snapshot = snap
        session.output_files, session.output_id = writer.files, session_mod.folder_id(out)
        reads.update(records)  # in place, as the shapes and the writer's files: no copies
        cache.dirty = True
        session_mod.remember_manifest(cache, out, written.manifest, reads,
                                      changes.patched(cache.keyed.get(str(out)), redo))
        return BuildResult(out, snap.counts, len(snap.plan.feeds), snap.static_files, [],
                           timer.timings, written.written, written.linked, rendered,
                           frozenset(written.changed), frozenset(written.removed),
                           patched=True)

    def _load_cache(self, site_dir: Path) -> Cache:
        if self.cache is None:
            self.cache = cache_mod.load(site_dir, believe=not self.options.clean)
        return self.cache

    def save_cache(self) -> None:
        """Write the in-memory cache to `.sitegen-cache/` if it learnt anything new."""
        if self.cache is not None:
            cache_mod.save_if_new(self.options.site.resolve(), self.cache)


def _open_writer(out: Path, in_place: bool, cache: Cache,
                 known_files: dict[str, int] | None) -> OutputWriter:
    try:
        return OutputWriter(out, in_place=in_place, manifest=cache.manifests.get(str(out)),
                            known_files=known_files)
    except OSError as exc:
        raise OutputError(f"{out}: cannot prepare the output ({exc.strerror}). Check the "
                          "folder's permissions and free space.") from None


def _page_keys(config: Config, plan: Plan, env: jinja2.Environment, model: load.Model,
               last: incremental.Snapshot | None, entities: dict[str, Any],
               since: changes.Since | None) -> PageKeys:
    """The keys of this plan's pages, with the dev server's last build's where it holds."""
    return PageKeys(env, plan.site, repr(config), entities,
                    feedformats.reads(config), model.digester,
                    last.keys.templates if last is not None else None,
                    (last.keys, last.plan.pages, last.page_keys) if last else None,
                    since)


def _published(model: load.Model) -> list[Entry]:
    """The entries of the published articles."""
    return [entry for entry, item in model.found.entries if item.source.rel in model.by_source]


def _reads_build_time(keys: PageKeys, plan: Plan) -> bool:
    """A template of this build shows the build's time (so it is stale when the clock moves)."""
    return any(keys.templates.mentions(name, "build_time")
               for name in {page.template for page in plan.pages})
