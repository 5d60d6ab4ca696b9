"""The pipeline: disk -> immutable model -> render plan -> files, in one readable order.

`build()` is the only function that runs the stages; each is timed for `--verbose`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sitegen import assemble, images, markup, render, search, sources, syndication, themes
from sitegen.config import Config, load_config
from sitegen.errors import ConfigError, ContentError, OutputError, Problem, Problems
from sitegen.model import Author, Page, Site
from sitegen.plan import Plan, make_plan
from sitegen.write import OutputWriter, check_output_dir


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None  # the build's time; tests pin it


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
    notes: list[str] = field(default_factory=list)  # said once per build, e.g. search is off

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


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


def load_site(config: Config, site_dir: Path, options: BuildOptions, now: datetime,
              problems: Problems) -> Site:
    """Sources to model: read every file, check it, render bodies, assemble the Site."""
    content = site_dir / "content"
    authors: dict[str, Author] = {}
    found = sources.find_files(content / "authors", {".yaml", ".yml", ".md"})
    for path in sources.inside_site(found, site_dir, problems):
        if path.suffix == ".md":
            source = sources.read_source(path, problems)
        else:
            source = sources.read_data_file(path, problems)
        author = assemble.read_author(source, config, problems) if source else None
        if author:
            authors[author.id] = author
    entries = []
    found = sources.find_files(content / "articles", sources.ARTICLE_SUFFIXES)
    for path in sources.inside_site(found, site_dir, problems):
        # A plain-text hand-in may have no front matter; read_entry says what it lacks.
        source = sources.read_source(path, problems, required=path.suffix != ".txt",
                                     max_size=config.max_file_size)
        entry = assemble.read_entry(source, config, problems) if source else None
        if entry:
            entries.append(entry)
    pages = _read_pages(config, site_dir, problems)
    published = [e for e in entries if assemble.is_published(e, now, options.drafts,
                                                                options.future)]
    authors = assemble.add_byline_authors(published, authors, config, problems)
    assemble.check_bylines(published, authors, problems)
    problems.raise_if_any()  # bodies are rendered only for a site whose front matter is sound
    tags = assemble.make_tags(published, config)
    sections = assemble.make_sections(config)
    policy = markup.HtmlPolicy(config.trusted_html, config.embed_hosts)
    static = themes.static_dirs(site_dir, config.theme)
    articles = [assemble.build_article(e, config,
                                       markup.body_to_html(e.source.kind, e.source.body, policy),
                                       authors, tags, sections,
                                       _image_size(e, config, static, problems))
                for e in published]
    site = assemble.index_site(articles, authors, tags, sections, pages)
    assemble.check_collisions(_urls(site), problems, site_dir)
    return site


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


def build(options: BuildOptions) -> BuildResult:
    """Run every stage in order and swap the new output in; raise SitegenError on failure."""
    timer = _Timer()
    site_dir = options.site.resolve()
    with timer.stage("config"):
        config = load_config(site_dir, options.base_url)
        out = (options.output or site_dir / "build").resolve()
        check_output_dir(out, site_dir)
        now = options.now or datetime.now(UTC)
    problems = Problems(site_dir)
    with timer.stage("content"):
        try:
            site = load_site(config, site_dir, options, now, problems)
        except RecursionError:
            raise ContentError([Problem("content", 1, 1, "content nested too deeply.")]) from None
    problems.raise_if_any()
    with timer.stage("plan"):
        pagefind = search.find_pagefind() if config.search and site.articles else None
        plan = make_plan(config, site, now, search_enabled=pagefind is not None)
    with timer.stage("render+write"):
        result = _render_and_write(config, site_dir, plan, out, problems, pagefind, timer)
    if pagefind is None and config.search and site.articles:
        result.notes.append(search.DISABLED_NOTE)
    result.timings = timer.timings
    return result


def _render_and_write(config: Config, site_dir: Path, plan: Plan, out: Path,
                      problems: Problems, pagefind: Path | None,
                      timer: _Timer) -> BuildResult:
    try:
        template_dirs = themes.template_dirs(site_dir, config.theme)
    except FileNotFoundError as exc:
        raise ConfigError([Problem("sitegen.yaml", 1, 1, str(exc))]) from None
    if config.theme != "default" and not (site_dir / "themes" / config.theme).is_dir():
        raise ConfigError([Problem("sitegen.yaml", 1, 1, f"theme `{config.theme}` not found in "
                                   "themes/. Create it or remove the `theme` setting.")])
    env = render.make_environment(template_dirs, config)
    try:
        writer = OutputWriter(out)
    except OSError as exc:
        raise OutputError(f"{out}: cannot prepare the output ({exc.strerror}). Check the "
                          "folder's permissions and free space.") from None
    errors: list[Problem] = []
    counts: Counter[str] = Counter()
    try:
        for page, text in render.render_pages(env, plan, plan.pages, template_dirs, site_dir,
                                              errors):
            writer.add(page.path, text.encode("utf-8"))
            counts[page.kind] += 1
        if errors:
            raise ContentError(errors)
        for feed in plan.feeds:
            writer.add(feed.path, syndication.atom(feed, plan.site, config).encode("utf-8"))
        for path, xml in syndication.sitemaps(plan, config):
            writer.add(path, xml.encode("utf-8"))
        writer.add("news-sitemap.xml", syndication.news_sitemap(plan, config).encode("utf-8"))
        writer.add("robots.txt", syndication.robots(config).encode("utf-8"))
        static = _copy_static(writer, site_dir, config, problems)
        if pagefind is not None:
            with timer.stage("search index"):  # before the swap: a failure keeps the old site
                search.index(pagefind, writer.tmp)
        writer.commit()
    except OSError as exc:
        writer.abort()
        where = exc.filename or out
        raise OutputError(f"{where}: cannot write the output ({exc.strerror}); the last good "
                          "build is unchanged. Free some disk space or fix the folder's "
                          "permissions, then build again.") from None
    except BaseException:
        writer.abort()
        raise
    return BuildResult(out, counts, len(plan.feeds), static, problems.warnings,
                       written=writer.written, linked=writer.linked)


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
    for rel, path in sorted(files.items()):
        if writer.exists(rel):
            raise ContentError([Problem(writer_rel(site_dir, path), 1, 1, f"static file /{rel} "
                                        "has the same path as a generated page. Rename it.")])
        writer.copy(rel, path)
    return len(files)


def writer_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return str(path)
