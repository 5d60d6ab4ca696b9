"""Plan to files: page keys, rendering in worker processes, and everything handed to the one
output writer (pages, feeds, sitemaps, robots.txt, static files, the search index).

A page whose key is the one the output's manifest records for its path is neither rendered
nor written: the key is the page's dependency record (see sitegen.engine.keys).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from sitegen.config import Config
from sitegen.engine import cache as cache_mod
from sitegen.engine import parallel
from sitegen.engine.keys import PageKeys
from sitegen.engine.request import FirstPages
from sitegen.errors import ConfigError, ContentError, OutputError, Problem, Problems
from sitegen.images.model import Made
from sitegen.output import search
from sitegen.output.write import OutputWriter, WriteResult
from sitegen.plan import syndication
from sitegen.plan.outputs import Plan
from sitegen.render import pages as render
from sitegen.render import themes

if TYPE_CHECKING:
    from sitegen.engine.incremental import Snapshot

RENDER_CHUNK = 48  # pages per task sent to a render worker
MIN_PARALLEL_RENDER = 256  # fewer pages to render than this are not worth forking for


@dataclass(frozen=True)
class Job:
    """One plan to bring the output to."""

    config: Config
    site_dir: Path
    plan: Plan
    env: jinja2.Environment
    keys: PageKeys
    jobs: int
    problems: Problems
    pagefind: Path | None  # index search now (None: no search, or indexed apart)
    static: dict[str, Path]  # output path -> the static file copied there
    leave_search: bool = False  # the dev server indexes apart: keep the old index as it is
    first: FirstPages | None = None
    images: Sequence[Made] = ()  # image files (variants, crops, cards) from the cache


@dataclass
class Produced:
    """What writing a plan did."""

    counts: Counter[str]  # pages by kind
    rendered: tuple[str, ...]  # output paths of the pages rendered
    page_keys: list[str]  # by plan index
    feed_keys: list[str]
    static_files: int
    written: WriteResult
    search_seconds: float | None = None  # the time Pagefind took, when it ran


def template_dirs(site_dir: Path, config: Config) -> list[Path]:
    """The theme's template folders, the site's own theme first; a missing theme is a
    configuration error."""
    try:
        dirs = themes.template_dirs(site_dir, config.theme)
    except FileNotFoundError as exc:
        raise ConfigError([Problem("sitegen.yaml", 1, 1, str(exc))]) from None
    if config.theme != "default" and not (site_dir / "themes" / config.theme).is_dir():
        raise ConfigError([Problem("sitegen.yaml", 1, 1, f"theme `{config.theme}` not found in "
                                   "themes/. Create it or remove the `theme` setting.")])
    return dirs


def produce(job: Job, writer: OutputWriter) -> Produced:
    """Every output of `job.plan` through `writer`, then commit; on any failure the writer
    is aborted and the last good output stays as it was."""
    try:
        counts, rendered, page_keys, feed_keys = _write_pages(job, writer)
        _write_indexes(job, writer)
        write_images(writer, job.images)
        static = _copy_static(writer, job.site_dir, job.static, {m.rel for m in job.images})
        searched = None
        if job.leave_search:
            writer.leave(search.INDEX_FOLDER)
        elif job.pagefind is not None:
            start = time.perf_counter()  # before the swap: a failure keeps the old site
            if writer.in_place:
                writer.commit()  # in place, pages are renamed in at commit: index those
            _index_search(writer, job.pagefind)
            searched = time.perf_counter() - start
        written = writer.commit()
    except OSError as exc:
        writer.abort()
        where = exc.filename or writer.out
        raise OutputError(f"{where}: cannot write the output ({exc.strerror}); the last good "
                          "build is unchanged. Free some disk space or fix the folder's "
                          "permissions, then build again.") from None
    except BaseException:
        writer.abort()
        raise
    return Produced(counts, rendered, page_keys, feed_keys, static, written, searched)


def _write_indexes(job: Job, writer: OutputWriter) -> None:
    """Sitemaps, the news sitemap and robots.txt: small, and written on every build."""
    for path, text in syndication.index_files(job.plan, job.config):
        writer.add(path, text.encode("utf-8"))


def _write_pages(job: Job, writer: OutputWriter,
                 ) -> tuple[Counter[str], tuple[str, ...], list[str], list[str]]:
    """Keep every page and feed whose key is unchanged; render and write the others, in
    parallel. Returns the page counts, the paths rendered, and the page and feed keys.

    With no previous build to keep anything from, even the keys are computed by the
    workers: a cold build renders everything anyway. `first` pages go live before the rest.
    """
    plan = job.plan
    state = render.RenderState(job.env, plan, writer, template_dirs(job.site_dir, job.config),
                               job.site_dir, job.keys, job.config)
    early: set[int] = set()
    done_first: list[tuple[int, str | None]] = []
    if job.first is not None and writer.in_place:
        early = {i for i, page in enumerate(plan.pages) if page.path in job.first.paths}
        done_first = _first_pages(state, early, job.first)
    todo = _stale(state, early)
    render.compile_templates(job.env)
    errors: list[Problem] = []
    for outcomes, problems in parallel.map_chunks(render.render_chunk, state, todo,
                                                  jobs=job.jobs, chunk_size=RENDER_CHUNK,
                                                  min_items=MIN_PARALLEL_RENDER):
        for outcome in outcomes:
            writer.record(outcome)
        errors += problems
    if errors:
        raise ContentError(sorted(errors)[:render.MAX_PROBLEMS])
    manifest = writer.result.manifest
    return (Counter(page.kind for page in plan.pages),
            tuple(plan.pages[i].path for i, _ in [*done_first, *todo] if i >= 0),
            [manifest[page.path][0] for page in plan.pages],
            [manifest[feed.path][0] for feed in plan.feeds])


def _stale(state: render.RenderState, early: set[int]) -> list[tuple[int, str | None]]:
    """(plan index, key) of the pages and feeds (negative indices) whose key is not the one
    the output holds; on a cold build every one, with keys left to the workers."""
    writer, keys = state.writer, state.keys
    cold = not writer.previous
    todo: list[tuple[int, str | None]] = []
    for index, page in enumerate(state.plan.pages):
        if index in early:
            continue
        key = None if cold else keys.page(page)
        if key is None or not writer.keep(page.path, key):
            todo.append((index, key))
    for index, feed in enumerate(state.plan.feeds):
        key = None if cold else keys.feed(feed)
        if key is None or not writer.keep(feed.path, key):
            todo.append((-index - 1, key))
    return todo


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


def _index_search(writer: OutputWriter, pagefind: Path) -> None:
    """Pagefind's index of the new tree, counted as the build's output. Its key is that of
    every page: when no page changed, the last index is kept as it is (the same files).
    Pagefind writes beside the output, and the writer moves its folder in."""
    folder = search.INDEX_FOLDER
    pages = sorted((rel, key) for rel, (key, _) in writer.result.manifest.items()
                   if rel.endswith(".html"))
    index_key = "search " + hashlib.blake2b(repr(pages).encode(), digest_size=16).hexdigest()
    previous = [rel for rel in writer.previous if rel.startswith(folder + "/")]
    if previous and all(writer.keep(rel, index_key) for rel in previous):
        return
    if not writer.in_place:
        writer.remove_stale()  # pages of deleted articles must not be indexed
    scratch = writer.scratch(folder)
    search.index(pagefind, writer.work, scratch)
    writer.adopt(folder, index_key, scratch)


def _copy_static(writer: OutputWriter, site_dir: Path, files: dict[str, Path],
                 images: set[str]) -> int:
    """The static files (see sitegen.engine.load.static_files), each at its path, but for
    the photos `images` publishes as their upright copies without metadata."""
    racy = cache_mod.now_ns() - cache_mod.RACY_NS
    for rel, path in sorted(files.items()):
        if rel in images:
            continue
        if writer.exists(rel):
            raise ContentError([Problem(_site_rel(site_dir, path), 1, 1, f"static file /{rel} "
                                        "has the same path as a generated page. Rename it.")])
        sig = cache_mod.signature(path.stat())
        writer.copy(rel, path, f"static {path} {sig}" if sig[1] < racy else "")
    return len(files)


def write_images(writer: OutputWriter, files: Sequence[Made]) -> None:
    """Each image file from the cache, kept where the output has it with the same key."""
    for made in files:
        writer.copy(made.rel, Path(made.cached), made.key)


def _site_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)


def produce_patch(snapshot: Snapshot, pages: list[int], feeds: list[int],
                  writer: OutputWriter, roots: list[Path], site_dir: Path,
                  pagefind: Path | None, images: Sequence[Made] = (),
                  ) -> tuple[WriteResult, tuple[str, ...]]:
    """Write just these pages and feeds of a patched dev-server build (every other output
    is the last build's, as it is); returns what was written and the paths rendered."""
    plan = snapshot.plan
    redo = {plan.pages[i].path for i in pages} | {plan.feeds[i].path for i in feeds}
    redo |= {made.rel for made in images}
    writer.assume(rel for rel in writer.previous if rel not in redo)
    todo = [(i, snapshot.page_keys[i]) for i in pages]
    todo += [(-i - 1, snapshot.feed_keys[i]) for i in feeds]
    state = render.RenderState(snapshot.env, plan, writer, roots, site_dir, snapshot.keys,
                               snapshot.config)
    try:
        _, errors = render.render_chunk(state, todo)
        if errors:
            raise ContentError(sorted(errors))
        write_images(writer, images)
        if pagefind is not None:
            writer.commit()  # in place, pages are renamed in at commit: index those
            _index_search(writer, pagefind)
        written = writer.commit()
    except BaseException:
        writer.abort()
        raise
    return written, tuple(plan.pages[i].path for i in pages)
