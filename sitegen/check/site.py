"""The site as a build would make it, in memory: the model, the plan and every page's HTML.

Nothing is written: not the output folder, not the cache (it is read, to spare parsing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitegen.config import Config, load_config
from sitegen.engine import cache as cache_mod
from sitegen.engine import load, produce
from sitegen.engine.request import BuildOptions
from sitegen.errors import ContentError, Problem, Problems
from sitegen.plan.outputs import Plan, PlannedPage
from sitegen.plan.pages import make_plan, shadowed, source_of
from sitegen.plan.syndication import index_files
from sitegen.render import deadline
from sitegen.render import pages as render


@dataclass
class Built:
    """A build held in memory: what `sitegen check` looks at."""

    site_dir: Path
    config: Config
    model: load.Model
    plan: Plan
    html: dict[str, str]  # output path -> the page's HTML
    files: frozenset[str]  # every output path the build would write (pages, feeds, static)
    warnings: list[Problem]


def build_in_memory(site_dir: Path, now: datetime | None = None) -> Built:
    """Build the site at `site_dir` as `sitegen build` would at `now`, writing nothing;
    raise ContentError (with the build's warnings) when the build would fail."""
    site_dir = site_dir.resolve()
    now = now or datetime.now(UTC)
    config = load_config(site_dir)
    problems = Problems(site_dir)
    cache = cache_mod.load(site_dir)
    model = load.read_model(config, site_dir, BuildOptions(site=site_dir, now=now), now,
                            problems, cache, None, None, [])
    problems.raise_if_any()
    plan = make_plan(config, model.site, now, search_enabled=False)
    _shadowing(plan, problems)
    problems.raise_if_any()
    html = _render(config, site_dir, plan, problems)
    problems.raise_if_any()
    files = {*html, *(feed.path for feed in plan.feeds), *model.static,
             *(path for path, _ in index_files(plan, config))}
    return Built(site_dir, config, model, plan, html, frozenset(files), problems.warnings)


def _shadowing(plan: Plan, problems: Problems) -> None:
    for page, other in shadowed(plan):
        source = source_of(page) or source_of(other) or "sitegen.yaml"
        problems.error(problems.site_root / source, 1, 1, f"{page.url} is both a {page.kind} "
                       f"page and a {other.kind} page. Give one of them another `slug`.")


def _render(config: Config, site_dir: Path, plan: Plan, problems: Problems) -> dict[str, str]:
    roots = produce.template_dirs(site_dir, config)
    env = render.make_environment(roots, config)
    deadline.reset()  # as a build does: a dev server closed in this process stopped renders
    html: dict[str, str] = {}
    for page in plan.pages:
        try:
            html[page.path] = render.render_page(env, plan, page, config)[0]
        except Exception as exc:  # a template bug: reported at the template, like a build
            problems.errors.append(render.template_problem(exc, page, roots, site_dir))
    return html


def page_by_path(plan: Plan) -> dict[str, PlannedPage]:
    return {page.path: page for page in plan.pages}


def content_error(exc: ContentError) -> list[Problem]:
    """The problems and warnings a failed build reported."""
    return [*exc.problems, *exc.warnings]
