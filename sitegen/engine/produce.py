"""Plan to files: page keys, rendering in worker processes, and everything handed to the one
output writer (pages, feeds, sitemaps, robots.txt, static files, the search index).

A page whose key is the one the output's manifest records for its path is neither rendered
nor written: the key is the page's dependency record (see sitegen.engine.keys).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from sitegen.config import Config
from sitegen.engine import cache as cache_mod
from sitegen.engine import parallel
from sitegen.engine.keys import PageKeys
from sitegen.engine.request import FirstPages, Progress
from sitegen.errors import ConfigError, ContentError, OutputError, Problem, Problems
from sitegen.images.model import Made
from sitegen.model.refs import ReadSet
from sitegen.model.site import Article
from sitegen.output import search
from sitegen.output.write import OutputWriter, WriteResult
from sitegen.plan import redirects, syndication
from sitegen.plan.outputs import Paginator, Plan
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
    # What each page of the output read when it was last rendered, by output path.
    reads: Mapping[str, ReadSet] = field(default_factory=dict)
    progress: Progress | None = None  # told the pages rendered so far, of how many
    images: Sequence[Made] = ()  # image files (variants, crops, cards) from the cache
    make_later: Callable[[], object] | None = None  # the images to make after the pages
    # The build has failed already (`problems` holds errors): render only to find the
    # template problems too, write nothing, then raise them all together.
    dry: bool = False
    missing: frozenset[str] = frozenset()  # templates reported missing: not rendered


@dataclass
class Produced:
    """What writing a plan did."""

    counts: Counter[str]  # pages by kind
    rendered: tuple[str, ...]  # output paths of the pages rendered
    page_keys: list[str]  # by plan index
    feed_keys: list[str]
    reads: dict[str, ReadSet]  # what each page read, by output path: rendered now or kept
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
        counts, rendered, page_keys, feed_keys, reads = _write_pages(job, writer)
        taken = _write_indexes(job, writer)
        if job.make_later is not None:
            job.make_later()
        write_images(writer, job.images)
        static = _copy_static(writer, job.site_dir,
                              {k: v for k, v in job.static.items() if k not in taken},
                              {m.rel for m in job.images})
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
    return Produced(counts, rendered, page_keys, feed_keys, reads, static, written, searched)


def _write_indexes(job: Job, writer: OutputWriter) -> set[str]:
    """Sitemaps, the news sitemap, robots.txt and `_redirects`: small, and written on every
    build. Returns the static files these took the place of (a site's own `_redirects`,
    whose rules come first in ours)."""
    for path, text in syndication.index_files(job.plan, job.config):
        writer.add(path, text.encode("utf-8"))
    if not job.plan.query_redirects and not any(p.kind == "redirect" for p in job.plan.pages):
        return set()
    own = job.static.get(redirects.REDIRECTS_FILE)
    rules = redirects.redirects_file(job.plan, job.config,
                                    own.read_text(encoding="utf-8", errors="replace")
                                    if own else "")
    if rules is not None:
        writer.add(redirects.REDIRECTS_FILE, rules.encode("utf-8"))
    return {redirects.REDIRECTS_FILE}


def _write_pages(job: Job, writer: OutputWriter,
                 ) -> tuple[Counter[str], tuple[str, ...], list[str], list[str],
                            dict[str, ReadSet]]:
    """Keep every page and feed whose key is unchanged; render and write the others, in
    parallel. Returns the page counts, the paths rendered, the page and feed keys, and what
    every page read. `first` pages go live before the rest.
    """
    plan = job.plan
    state = render.RenderState(job.env, plan, writer, template_dirs(job.site_dir, job.config),
                               job.site_dir, job.keys, job.config, job.dry)
    early: set[int] = set()
    done_first: list[int] = []
    reads: dict[str, ReadSet] = {}
    if job.first is not None and writer.in_place and not job.dry:
        early = {i for i, page in enumerate(plan.pages) if page.path in job.first.paths}
        done_first = _first_pages(state, early, job.first, job.reads, reads)
    todo = [i for i in _stale(state, early, job.reads)
            if (plan.pages[i].template not in job.missing if i >= 0 else not job.dry)]
    if len(todo) >= MIN_PARALLEL_RENDER or writer.in_place:
        # Forked workers share what is compiled before, and the dev server's next
        # rebuilds find it ready; a build rendering a few pages compiles only theirs.
        render.compile_templates(job.env)
    errors: list[Problem] = []
    done = 0
    for outcomes, problems, records in parallel.imap_stretches(
            render.render_chunk, state, _by_time(plan, todo), jobs=job.jobs,
            chunk_size=RENDER_CHUNK, min_items=MIN_PARALLEL_RENDER):
        for outcome in outcomes:
            writer.record(outcome)
        errors += problems
        # Records come from the workers as copies: their names are shared again here, as
        # they come, rather than a copy of every name of every page held to the end.
        reads.update((sys.intern(path), _shared(record)) for path, record in records)
        done += len(outcomes)
        if job.progress is not None:
            job.progress.pages(done, len(todo))
    job.problems.errors += render.collapse(errors)
    job.problems.raise_if_any()  # with the problems of the stages before
    manifest = writer.result.manifest
    return (Counter(page.kind for page in plan.pages),
            tuple(plan.pages[i].path for i in [*done_first, *todo] if i >= 0),
            [manifest[page.path][0] for page in plan.pages],
            [manifest[feed.path][0] for feed in plan.feeds],
            _all_reads(plan, reads, job.reads))


def _by_time(plan: Plan, todo: list[int]) -> list[int]:
    """The pages to render in the order of the articles they show (an article's page by its
    date, a listing's by its middle article's), feeds last: each render worker takes a
    stretch of them (see parallel.imap_stretches), so that an article's teaser, on its
    tags', author's, section's and month's pages, is mostly rendered by one worker, once
    (two workers rendered most teasers twice, 2.4 times in all at 10,000 articles)."""
    pages = plan.pages

    def when(index: int) -> float:
        context = pages[index].context
        shown = context.get("article")
        if isinstance(shown, Article):
            return shown.date.timestamp()
        pager = context.get("paginator")
        if isinstance(pager, Paginator) and pager.items:
            return pager.items[len(pager.items) // 2].date.timestamp()
        return 0.0

    return sorted((i for i in todo if i >= 0), key=when) + [i for i in todo if i < 0]


def _shared(record: ReadSet) -> ReadSet:
    """A record of reads with its names interned (every page's record shares them). Each
    name: a record from a worker whose first name is new (so becomes the interned one
    itself) holds names other pages' records have (7 MB of copies at 10,000 articles)."""
    return tuple(map(sys.intern, record))


def _all_reads(plan: Plan, rendered: dict[str, ReadSet],
               last: Mapping[str, ReadSet]) -> dict[str, ReadSet]:
    """What every page of the plan read: when it was rendered now, else when it last was."""
    reads: dict[str, ReadSet] = {}
    for page in plan.pages:
        record = rendered.get(page.path)  # its names shared as it came (see _write_pages)
        if record is None:
            record = last.get(page.path)  # kept: it was rendered with this record
            if record is None:
                continue  # kept as the very page of the last build (see PageKeys.page)
        reads[page.path] = record
    return reads


def _stale(state: render.RenderState, early: set[int],
           reads: Mapping[str, ReadSet]) -> list[int]:
    """The plan indices of the pages and feeds (negative) whose key is not the one the
    output holds: a page with no record of what it read (never rendered) is one."""
    writer, keys = state.writer, state.keys
    cold = not writer.previous
    todo: list[int] = []
    for index, page in enumerate(state.plan.pages):
        if index in early:
            continue
        key = None if cold else keys.page(page, reads.get(page.path))
        if key is None or not writer.keep(page.path, key):
            todo.append(index)
    for index, feed in enumerate(state.plan.feeds):
        if cold or not writer.keep(feed.path, keys.feed(feed)):
            todo.append(-index - 1)
    return todo


def _first_pages(state: render.RenderState, early: set[int], first: FirstPages,
                 last: Mapping[str, ReadSet], reads: dict[str, ReadSet]) -> list[int]:
    """Render the pages a reader is looking at, put them live, and say so; the rest of the
    build follows, its pages served meanwhile by `first.serving`. Returns the plan indices
    rendered; what they read goes into `reads`."""
    todo: list[int] = []
    for index in sorted(early):
        page = state.plan.pages[index]
        key = state.keys.page(page, last.get(page.path))
        if key is None or not state.writer.keep(page.path, key):
            todo.append(index)
    _, errors, records = render.render_chunk(state, todo)
    if errors:
        raise ContentError(render.collapse(errors))
    reads.update(records)
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
                  pagefind: Path | None, reads: Mapping[str, ReadSet],
                  images: Sequence[Made] = (),
                  ) -> tuple[WriteResult, tuple[str, ...], dict[str, ReadSet]]:
    """Write those of these pages and feeds of a patched dev-server build whose key
    changed (every other output is the last build's, as it is), and their images; returns
    what was written, the paths rendered and what those pages read."""
    plan, keys = snapshot.plan, snapshot.keys
    redo = {plan.pages[i].path for i in pages} | {plan.feeds[i].path for i in feeds}
    redo |= {made.rel for made in images}
    writer.assume_all_but(redo)
    todo = []
    for i in pages:
        key = keys.page(plan.pages[i], reads.get(plan.pages[i].path))
        if key is None or not writer.keep(plan.pages[i].path, key):
            todo.append(i)
    todo += [-i - 1 for i in feeds if not writer.keep(plan.feeds[i].path, keys.feed(plan.feeds[i]))]
    state = render.RenderState(snapshot.env, plan, writer, roots, site_dir, keys,
                               snapshot.config)
    try:
        _, errors, records = render.render_chunk(state, todo)
        if errors:
            raise ContentError(render.collapse(errors))
        write_images(writer, images)
        if pagefind is not None:
            writer.commit()  # in place, pages are renamed in at commit: index those
            _index_search(writer, pagefind)
        written = writer.commit()
    except BaseException:
        writer.abort()
        raise
    return written, tuple(plan.pages[i].path for i in todo if i >= 0), dict(records)
