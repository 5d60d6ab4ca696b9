"""Stage 7: the Jinja environment and page rendering.

Autoescape is on and undefined names are errors (StrictUndefined), so a typo in a theme fails
the build with the template's file and line instead of publishing an empty headline.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from sitegen.config import Config
from sitegen.engine import parallel
from sitegen.engine.keys import PageKeys
from sitegen.errors import Problem
from sitegen.model.refs import ReadSet
from sitegen.output.write import Outcome, OutputWriter
from sitegen.plan import feedformats, metadata, syndication
from sitegen.plan.outputs import Plan, PlannedPage
from sitegen.render import compiled, localise, partials, pictures, recording
from sitegen.render.deadline import bounded_range, render_deadline


def make_environment(template_dirs: list[Path], config: Config) -> jinja2.Environment:
    env = recording.RecordingEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=compiled.CompiledTemplates(config),  # the theme compiled once a process
    )
    env.globals["range"] = bounded_range  # range(10**12) would never end
    env.globals["partial"] = partials.partial  # a teaser rendered once per build, not per list
    tz = config.tz
    origin = config.origin

    def local(value: datetime) -> datetime:
        return value.astimezone(tz)

    @functools.lru_cache(maxsize=1 << 16)
    def isodate(value: datetime) -> str:
        return local(value).isoformat(timespec="seconds")

    def absolute(url: str) -> str:
        return url if "://" in url else origin + url

    env.filters.update(
        isodate=isodate,
        absolute=absolute,
        body_parts=pictures.body_parts,
        utc=lambda v: v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    localise.install(env, config)  # t(), date, number, byline, curly: in the page's language
    return env


def template_problem(exc: BaseException, page: PlannedPage | None, roots: list[Path],
                     site: Path) -> Problem:
    """Point a template failure at the template file and line, naming the page rendered."""
    where = f" while rendering {page.url} (from {page.template})" if page else ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = _display(Path(exc.filename or exc.name or "?"), site)
        return _problem(path, exc.lineno or 1, f"template syntax error: {exc.message}", where,
                        "Fix the template.")
    if isinstance(exc, jinja2.TemplateNotFound):
        return _problem(page.template if page else "?", 1, f"template `{exc.name}` not found",
                        where, "Add it to the theme.")
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if any(str(f.filename).startswith(str(r)) for r in roots)]
    if frames:
        frame = frames[-1]
        return _problem(_display(Path(frame.filename), site), frame.lineno or 1,
                        f"template error: {exc}", where,
                        "Fix the template or the content it reads.")
    return _problem(page.template if page else "?", 1, f"template error: {exc}", where, "")


def _problem(path: str, line: int, what: str, where: str, todo: str) -> Problem:
    """A template problem; its kind leaves out the page, which the same fault meets on many."""
    return Problem(path, line, 1, f"{what}{where}. {todo}".rstrip(),
                   kind=f"{what}. {todo}".rstrip())


_PAGE = re.compile(r" while rendering \S+ \(from [^)]*\)")


def collapse(problems: list[Problem]) -> list[Problem]:
    """One problem per template fault (file, line, kind), naming the first page it failed
    and counting the others: a bug in the template every article uses is one error at its
    line, not one per article (nor, as Hugo does, the first 50)."""
    faults: dict[tuple[str, int, int, str], list[Problem]] = {}
    for problem in sorted(problems):
        faults.setdefault((problem.path, problem.line, problem.col, problem.what),
                          []).append(problem)
    result = []
    for same in faults.values():
        first, others = same[0], len(same) - 1
        if others:
            more = f" and {others:,} other page{'s' * (others != 1)}"
            found = _PAGE.search(first.message)
            at = found.end() if found else first.message.find(". ")
            first = dataclasses.replace(first, message=first.message[:at] + more
                                        + first.message[at:])
        result.append(first)
    return result


def _display(path: Path, site: Path) -> str:
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(path)


def render_page(env: jinja2.Environment, plan: Plan, page: PlannedPage,
                config: Config) -> tuple[str, recording.Reads]:
    """One page's HTML: its template with `site`, `this`, the page's context and its head
    metadata (`meta`, `jsonld`); and what it read of the model (see render.recording)."""
    template = env.get_template(page.template)
    head = metadata.for_page(page, config, plan.site)
    with render_deadline(), recording.recording() as reads:
        html = template.render({"site": plan.site, **page.context, **head, "this": page})
    for value, attribute in metadata.reads(page):
        recording.add(reads, value, attribute)
    return html, reads


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template now, once: forked workers then share the compiled code, and
    a dev server's later rebuilds (rendered here, not in workers) find it ready. A template
    that does not compile is left for rendering to report, with the page that uses it."""
    for name in env.list_templates(extensions=["html", "xml"]):
        with contextlib.suppress(Exception):
            env.get_template(name)


@dataclass(frozen=True)
class RenderState:
    """What render workers need, inherited through fork."""

    env: jinja2.Environment
    plan: Plan
    writer: OutputWriter
    roots: list[Path]
    site: Path
    keys: PageKeys
    config: Config
    dry: bool = False  # render to find template problems only: nothing written or keyed
    # This build's partials, by their arguments (in each worker, its own: see render.partials)
    partials: partials.Memo = dataclasses.field(default_factory=partials.Memo, compare=False)


Rendered = tuple[list[Outcome], list[Problem], list[tuple[str, ReadSet]]]


def render_chunk(state: RenderState, todo: Sequence[int]) -> Rendered:
    """Render and write the pages and feeds `todo` names by plan index (a negative index -n
    names feed n-1), each with the key made from what it read.

    Runs in a forked worker on a cold build: it writes through its copy of the parent's
    writer and returns what it did, for the parent to `record`, with each page's record of
    reads.
    """
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    records: list[tuple[str, ReadSet]] = []
    failed: dict[str, Problem] = {}  # templates that fail whatever the page (not found...)
    with partials.memo(state.partials):
        for index in todo:
            _render_one(state, index, failed, (outcomes, problems, records))
    return outcomes, problems, records


def _render_one(state: RenderState, index: int, failed: dict[str, Problem],
                into: Rendered) -> None:
    """Render and write one of render_chunk's pages (a feed, for a negative index)."""
    outcomes, problems, records = into
    plan = state.plan
    if index < 0:
        feed = plan.feeds[-index - 1]
        path, text = feed.path, feedformats.render(feed, plan.site, state.config)
        key = state.keys.feed(feed)
    else:
        page = plan.pages[index]
        if page.template in failed:
            problems.append(failed[page.template])
            return
        try:
            text, reads = render_page(state.env, plan, page, state.config)
        except Exception as exc:
            problems.append(template_problem(exc, page, state.roots, state.site))
            if isinstance(exc, jinja2.TemplateSyntaxError) or (
                    isinstance(exc, jinja2.TemplateNotFound) and exc.name == page.template):
                failed[page.template] = problems[-1]
            return
        if state.dry:
            return
        record, read = recording.fold(reads)
        path, key = page.path, state.keys.rendered(page, read, record)
        records.append((path, record))
    state.writer.add(path, text.encode("utf-8"), key)
    outcomes.append(state.writer.outcome(path))


class PendingPages:
    """The pages and feeds of a dev server's build that are not on disk yet: while the
    rest of the site is written (1.5 s after an article is added at 10,000 articles), the
    server renders them when asked, from the new plan, rather than serve the last build's.
    `live` are those already on disk (the first pages); `gone` the last build's pages this
    build drops (a deleted article's).

    Rendering here runs in the server's request threads, beside the build: Jinja2 renders
    one environment from several threads; `parallel.FORK_LOCK` keeps a fork for render
    workers from copying a lock held by a render here."""

    def __init__(self, state: RenderState, live: frozenset[str], gone: frozenset[str]) -> None:
        self.state = state
        plan = state.plan
        index = {page.path: i for i, page in enumerate(plan.pages)}
        index.update((feed.path, -i - 1) for i, feed in enumerate(plan.feeds))
        self._index = {rel: i for rel, i in index.items() if rel not in live}
        self.pages = self._index.keys()
        self.gone = gone - index.keys()
        self._sitemaps: dict[str, bytes] | None = None
        self._lock = threading.Lock()

    def render(self, rel: str) -> bytes | None:
        """The bytes this build gives `rel` (an output path), when it is one of its pages,
        feeds or sitemaps not yet on disk; else None (see `gone`, then the disk)."""
        index = self._index.get(rel)
        if index is None:
            return self._sitemap(rel)
        state = self.state
        with parallel.FORK_LOCK:
            if index < 0:
                return feedformats.render(state.plan.feeds[-index - 1], state.plan.site,
                                          state.config).encode("utf-8")
            page = state.plan.pages[index]
            try:
                return render_page(state.env, state.plan, page,
                                   state.config)[0].encode("utf-8")
            except Exception:  # the build reports it, with its file and line; the build
                return None  # fails and the disk keeps the last good page

    def _sitemap(self, rel: str) -> bytes | None:
        if rel != "news-sitemap.xml" and not (rel.startswith("sitemap") and rel.endswith(".xml")):
            return None
        with self._lock:
            if self._sitemaps is None:
                plan, config = self.state.plan, self.state.config
                self._sitemaps = {path: text.encode("utf-8") for path, text
                                  in syndication.index_files(plan, config)
                                  if path != "robots.txt"}
        return self._sitemaps.get(rel)
