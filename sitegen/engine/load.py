"""Sources to model: every content file read (from the cache where unchanged), checked, and
assembled into the immutable Site. The engine's first two steps after the configuration."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sitegen.config import Config
from sitegen.config_languages import for_language
from sitegen.content import images, markup, skipped, sources
from sitegen.content import read as content_stage
from sitegen.content.skipped import skipped_note as skipped_note
from sitegen.content.slugs import slugify
from sitegen.engine import cache as cache_mod
from sitegen.engine import checks, entrymemo
from sitegen.engine import keys as keys_mod
from sitegen.engine.cache import Cache
from sitegen.engine.keys import Digester
from sitegen.engine.parallel import default_jobs
from sitegen.engine.request import BuildOptions
from sitegen.errors import ContentError, Problem, Problems
from sitegen.model import assemble, lead_image, placeholder, translations
from sitegen.model.entries import Entry, is_published, read_entry
from sitegen.model.profiles import read_author, read_page
from sitegen.model.site import Article, Author, Page, Section, Site, Tag
from sitegen.render import themes

if TYPE_CHECKING:
    from sitegen.engine.incremental import Snapshot


@dataclass
class Sources:
    """The content folder read and checked, before anything is published."""

    authors: dict[str, Author]  # from content/authors/ (byline-only authors come later)
    entries: list[tuple[Entry, content_stage.ArticleSource]]  # every sound article, path order
    pages: list[Page]
    paths: list[Path]  # every article file found, sound or not (what the cache may keep)
    skipped: list[str] = field(default_factory=list)  # content files of types not read


def read_sources(config: Config, site_dir: Path, problems: Problems, cache: Cache,
                 inline: markup.InlineMemo, jobs: int = 1) -> Sources:
    """Every author, article and page file, read (from the cache where unchanged) and checked."""
    content = site_dir / "content"
    authors: dict[str, Author] = {}
    found = sources.find_files(content / "authors", sources.AUTHOR_SUFFIXES)
    for path in sources.inside_site(found, site_dir, problems):
        if path.suffix == ".md":
            source = sources.read_source(path, problems)
        else:
            source = sources.read_data_file(path, problems)
        author = read_author(source, config, problems, inline) if source else None
        if author:
            authors[author.id] = author
    paths = sources.inside_site(sources.find_files(content / "articles",
                                                   sources.ARTICLE_SUFFIXES), site_dir, problems)
    settings = read_settings(config)
    cache.store.render_again = content_stage.render_again(site_dir, settings)

    def entry_of(item: content_stage.ArticleSource,
                 problems: Problems) -> tuple[Entry, content_stage.ArticleSource] | None:
        salvage: list[Entry] = []  # a wrong article, checked further: the build fails
        entry = read_entry(item.source, config, problems, item.hand_in, salvage=salvage)
        entry = entry or (salvage[0] if salvage else None)
        return slim_entry(entry, item) if entry else None

    memo = entrymemo.EntryMemo(cache.store, entrymemo.setting(config, settings))
    entries = content_stage.read_and_convert(paths, site_dir, cache, jobs, problems, settings,
                                             entry_of, memo)
    memo.save()
    return Sources(authors, entries, _read_pages(config, site_dir, problems), paths,
                   skipped.skipped_files(site_dir))


def slim_entry(entry: Entry, item: content_stage.ArticleSource,
               ) -> tuple[Entry, content_stage.ArticleSource]:
    """The entry and its source without the parsed front matter, which the entry holds
    checked and typed: what later steps read of the source is its raw text, for lines."""
    source = sources.without_meta(item.source)
    return (dataclasses.replace(entry, source=source),  # the first paragraph: in the store
            dataclasses.replace(item, source=source, first_paragraph=""))


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
    equal to the new ones, so that an article kept from it still names the site's own parts.
    """
    published = [(e, i) for e, i in found.entries
                 if is_published(e, now, options.drafts, options.future)]
    if scheduled is not None:
        scheduled += _due_later(found, now, options)
    if config.multilingual:
        checks.check_front(config, site_dir, found.entries, problems)
        return _assemble_languages(config, site_dir, published, found, problems, cache,
                                   inline, digester)
    parts = _site_parts(config, [e for e, _ in published], found.authors, problems, last)
    static = themes.static_dirs(site_dir, config.theme)
    by_source: dict[str, Article] = {}
    articles = _articles(published, config, parts, inline, static, problems, digester,
                         by_source, reuse)
    placeholder.warn_placeholders((e for e, i in published if i.placeholder), problems)
    places = cache.related.get("places")
    site = assemble.index_site(articles, *parts, found.pages, cache.related)
    cache.dirty |= cache.related.get("places") is not places  # matched anew
    assemble.check_collisions(_urls(site), problems, site_dir)
    assemble.check_aliases(site, [e for e, _ in published], problems, site_dir)
    checks.check_front(config, site_dir, found.entries, problems)
    logo = _logo_size(config, static)
    return (dataclasses.replace(site, logo_size=logo) if logo else site), by_source


def _logo_size(config: Config, static: list[Path]) -> tuple[int, int] | None:
    """The publisher logo's pixel size, so the masthead reserves its box."""
    logo = config.publisher.logo
    if not logo.startswith("/") or logo.startswith("//"):
        return None
    path = images.static_file(logo, config.root_path, static)
    return images.read_image_size(path) if path else None


Parts = tuple[dict[str, Author], dict[str, Tag], dict[str, Section]]
Published = list[tuple[Entry, content_stage.ArticleSource]]


def _articles(published: Published, config: Config, parts: Parts,
              inline: Callable[[str], str], static: list[Path], problems: Problems,
              digester: Digester | None, by_source: dict[str, Article],
              reuse: dict[str, Article] | None = None,
              site_config: Config | None = None) -> list[Article]:
    """The published entries made into Articles (each also into `by_source`); one from
    `reuse` (the dev server's last build) is kept as it is while it is still made so.
    `config` is the articles' language's; `site_config` the site's, whose paths lead
    images are found under (the default: `config`)."""
    groups = assemble.make_groups([e for e, _ in published], config)
    articles: list[Article] = []
    current: dict[int, bool] = {}  # id of a kept article's author, tag or section: still so?
    for entry, item in published:
        article = reuse.get(item.source.rel) if reuse else None
        if article is None or not _still_made_so(article, parts, current) or \
                not _same_groups(article, entry, groups):
            article = assemble.build_article(entry, config, item.body, *parts, item.words,
                                             item.first_paragraph, inline,
                                             lead_image.image_size(entry, site_config or config,
                                                         static, problems),
                                             groups=groups, chars=item.chars)
            if digester is not None:
                keys_mod.seed_article(digester, article, item.digest)
        articles.append(article)
        by_source[item.source.rel] = article
    return articles


def _assemble_languages(config: Config, site_dir: Path, published: Published,
                        found: Sources, problems: Problems, cache: Cache,
                        inline: Callable[[str], str], digester: Digester | None,
                        ) -> tuple[Site, dict[str, Article]]:
    """A multilingual site: one Site per language (the default's holding the others in
    `others`), authors shared, articles linked to their translations."""
    translations.check_keys([translations.Keyed(e.source, e.language, e.translation_key)
                             for e, _ in found.entries], problems)
    static = themes.static_dirs(site_dir, config.theme)
    prefixes = [f"/{lang.tag}/" for lang in config.languages[1:]]
    sites: list[Site] = []
    by_source: dict[str, Article] = {}
    logo = _logo_size(config, static) or (0, 0)
    for number, lang in enumerate(config.languages):
        mine = for_language(config, lang)
        entries = [(e, i) for e, i in published if e.language == lang.tag]
        profiles = {k: translations.author_in(a, mine) for k, a in found.authors.items()}
        parts = _site_parts(mine, [e for e, _ in entries], profiles, problems, None)
        articles = _articles(entries, mine, parts, inline, static, problems, digester,
                             by_source, site_config=config)
        pages = [p for p in found.pages if translations.page_language(p, config) == lang.tag]
        memo = cache.related if number == 0 else (
            cache.related.setdefault("languages", {}).setdefault(lang.tag, {}))
        site = dataclasses.replace(assemble.index_site(articles, *parts, pages, memo),
                                   language=lang.tag, logo_size=logo)
        assemble.check_collisions(_urls(site, mine.root_path if number else "",
                                        [] if number else prefixes), problems, site_dir)
        sites.append(site)
    problems.raise_if_any()
    linked = translations.link(sites, config)
    return dataclasses.replace(linked[0], others=tuple(linked[1:])), by_source


def _due_later(found: Sources, now: datetime, options: BuildOptions) -> list[datetime]:
    """The dates of the articles left out only because they are not due yet."""
    if options.future:
        return []
    return [e.date for e, _ in found.entries if e.date > now and (options.drafts or not e.draft)]


def _site_parts(config: Config, published: list[Entry], profiles: dict[str, Author],
                problems: Problems, last: Site | None) -> Parts:
    """Authors (profiles and byline-only), tags and sections of the published articles.
    An author id no profile has is an error, and a stand-in made from the id takes its
    place, so that the build goes on to find the problems of later stages too (it fails
    before anything is written)."""
    authors = assemble.add_byline_authors(published, profiles, config, problems)
    for value in assemble.check_bylines(published, authors, problems):
        authors[value] = assemble.byline_author(slugify(value) or "author", value, "", config)
    tags = assemble.make_tags(published, config)
    sections = assemble.make_sections(config)
    if last is not None:
        authors = _kept(authors, {a.id: a for a in last.authors})
        tags = _kept(tags, {t.slug: t for t in last.tags})
        sections = _kept(sections, {s.slug: s for s in last.sections})
    return authors, tags, sections


_Part = TypeVar("_Part", Author, Tag, Section)


def _kept(made: dict[str, _Part], last: dict[str, _Part]) -> dict[str, _Part]:
    """`made`, with the last build's object wherever it is equal to the new one."""
    return {key: old if (old := last.get(key)) == part else part for key, part in made.items()}


def _still_made_so(article: Article, parts: Parts, current: dict[int, bool]) -> bool:
    """True when the article's byline, tags and section are the site's objects now (a
    tag's name is its first spelling in path order: a new article can change it for all;
    see `_kept`). `current` holds the answer for each object, shared by thousands."""
    authors, tags, sections = parts
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


def _same_groups(article: Article, entry: Entry, groups: assemble.Groups) -> bool:
    """True when a kept article's terms and series are those the site now names."""
    wanted = assemble.grouped(entry, groups)
    return (article.terms, article.series, article.series_order) == (
        wanted["terms"], wanted["series"], wanted["series_order"])


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

    found = sources.find_files(pages_dir, sources.PAGE_SUFFIXES)
    for path in sources.inside_site(found, site_dir, problems):
        source = sources.read_source(path, problems)
        page = read_page(source, config, problems, pages_dir, render) if source else None
        if page:
            pages.append(page)
    return pages


def _urls(site: Site, root: str = "", languages: list[str] | None = None,
          ) -> list[tuple[str, str]]:
    """Every URL the site's articles and pages take, and those sitegen keeps for itself
    (under `root`, a language's; `languages`: the other languages' folders)."""
    urls = [(a.url, a.source) for a in site.articles]
    urls += [(p.url, p.source) for p in site.pages]
    reserved = [root + u for u in ("/authors/", "/tags/", "/archive/", "/corrections/",
                                   "/search/", "/series/")]
    reserved += [*(s.url for s in site.sections), *(languages or []),
                 *(f"{root}/{name}/" for name in site.terms)]
    urls += [(u, f"(sitegen's {u} page)") for u in reserved]
    return urls


@dataclass
class Model:
    """The content step's answer: the Site and what the next steps and builds need of it."""

    site: Site
    by_source: dict[str, Article]  # published articles by source file
    digester: Digester
    found: Sources
    scheduled: list[datetime]  # dates of articles not due yet
    reread: bool  # only the changed files were read again (the dev server's last build)
    static: dict[str, Path]  # output path -> static file (see static_files)


def read_model(config: Config, site_dir: Path, options: BuildOptions, now: datetime,
                problems: Problems, cache: Cache, last: Snapshot | None,
                found: Sources | None, changed: list[Path]) -> Model:
    """Sources to Site: from the dev server's `last` build when only article files changed
    (`found`: the last sources with those read again), else every file (the cache spares
    unchanged ones). Static files are listed first: their problems are the content's."""
    static = static_files(config, site_dir, problems)
    try:
        if found is not None and last is not None:
            digester = last.keys.digester.keeping(last.site.articles)  # the kept ones' digests
            again = {problems.rel(p) for p in changed}
            reuse = {rel: a for rel, a in last.by_source().items() if rel not in again}
            site, by_source = assemble_site(config, site_dir, options, now, problems,
                                                 cache, found, digester=digester,
                                                 reuse=reuse, last=last.site)
            return Model(site, by_source, digester, found, [], True, static)
        digester = Digester()
        scheduled: list[datetime] = []
        kept: list[Sources] = []
        site, by_source = load_site(config, site_dir, options, now, problems, cache,
                                         options.jobs or default_jobs(), digester,
                                         scheduled, kept)
        return Model(site, by_source, digester, kept[0], scheduled, False, static)
    except RecursionError:
        raise ContentError([Problem("content", 1, 1, "content nested too deeply.")]) from None


def static_files(config: Config, site_dir: Path, problems: Problems) -> dict[str, Path]:
    """Theme static files, then the site's own, which win on the same path: output path ->
    file. Listed with the other sources, so that a file that cannot be published (a named
    pipe, a link out of the site) is reported with the content's problems, before writing."""
    files: dict[str, Path] = {}
    packaged = themes.default_theme_dir() / "static"  # sitegen's own, wherever installed
    for folder in themes.static_dirs(site_dir, config.theme):
        found = sources.find_files(folder, None, hidden=True)  # .well-known/ and the like
        if folder != packaged:  # a site's static/ (or theme's) linking out is left out
            found = sources.inside_site(found, site_dir, problems)
        for path in found:
            files[path.relative_to(folder).as_posix()] = path
    return files
