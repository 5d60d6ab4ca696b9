"""Stage 6: every output planned as plain data (the types are in sitegen.plan.outputs).

Nothing is rendered here. The plan is what the render stage, the sitemap and the
incremental build all read, so that the list of pages exists in exactly one place.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sitegen.config import Config
from sitegen.config_languages import for_language, strings_of, with_taxonomy_titles
from sitegen.locale import tags as language_tags
from sitegen.model.assemble import url_key
from sitegen.model.site import Article, Site, Tag
from sitegen.output.search import ENABLE_SEARCH_COMMAND
from sitegen.plan import front, metadata, redirects
from sitegen.plan.archive import archive_pages, archive_years, newest_of
from sitegen.plan.outputs import (
    CorrectionNotice,
    Feed,
    FeedLink,
    MadeFrom,
    Paginator,
    Plan,
    PlannedPage,
    SiteInfo,
    feed_files,
    feed_files_at,
    feed_links,
    in_every_format,
    output_path,
)
from sitegen.plan.series import series_nav

FEED_SIZE = 20
CORRECTIONS_POLICY_SLUG = "corrections-policy"


def paginate(articles: Sequence[Article], per_page: int, first_url: str) -> list[Paginator]:
    total = max(1, math.ceil(len(articles) / per_page))
    urls = tuple([first_url] + [f"{first_url}page/{n}/" for n in range(2, total + 1)])
    return [Paginator(n, total, tuple(articles[(n - 1) * per_page:n * per_page]), urls)
            for n in range(1, total + 1)]


_MODIFIED = operator.attrgetter("modified")


def _feed(config: Config, folder_url: str, title: str, articles: Sequence[Article]) -> Feed:
    files = feed_files(config, folder_url)
    return Feed(files[0].path, files[0].url, folder_url, title, tuple(articles[:FEED_SIZE]),
                format=files[0].format, files=files)


# What a listing's pages are made from: the objects its context holds (the very same ones,
# as templates may test identity with `sameas`), and plain values (compared by value).


def same_objects(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """True when both hold the very same objects, in the same order."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class Listings:
    """The listings of a plan being made, and those of the last plan (the dev server's).

    After an article is added or deleted, most tag, author and section listings hold the
    same articles: their pages are taken from the last plan rather than paginated again
    (at 10,000 articles, making them all is a fifth of the time the writer waits)."""

    def __init__(self, last: Plan | None) -> None:
        self.last = last.listings if last is not None else {}
        self.made: dict[str, tuple[MadeFrom, list[PlannedPage]]] = {}

    def get(self, first_url: str, made_from: MadeFrom) -> list[PlannedPage] | None:
        found = self.last.get(first_url)
        if (found is not None and same_objects(found[0][0], made_from[0])
                and found[0][1] == made_from[1]):
            self.made[first_url] = found
            return found[1]
        return None

    def put(self, first_url: str, made_from: MadeFrom, pages: list[PlannedPage]) -> None:
        self.made[first_url] = (made_from, pages)


def _listing(config: Config, kind: str, template: str, first_url: str, title: str,
             articles: Sequence[Article], feeds: tuple[Feed, ...],
             extra: dict[str, Any], listings: Listings | None = None) -> list[PlannedPage]:
    made_from = ((*extra.values(), *articles),
                 (kind, template, title, tuple(extra), feed_links(feeds)))
    if listings is not None:
        kept = listings.get(first_url, made_from)
        if kept is not None:
            return kept
    pages = []
    strings = strings_of(config)
    for pager in paginate(articles, config.per_page, first_url):
        url = pager.urls[pager.number - 1]
        page_title = title if pager.number == 1 else strings.text(
            "listing.page_title", title=title, n=pager.number)
        pages.append(PlannedPage(url, output_path(config, url), template, kind, page_title,
                                 {**extra, "paginator": pager, "articles": pager.items},
                                 newest_of(pager.items), feed_links(feeds)))
    if listings is not None:
        listings.put(first_url, made_from, pages)
    return pages


def make_plan(config: Config, site: Site, build_time: datetime,
              search_enabled: bool = False, last: Plan | None = None,
              assets: str | None = None) -> Plan:
    """All pages and feeds of the site, in a stable order.

    `search_enabled` says whether the build will index the output for /search/ (Pagefind found).
    `last` is the dev server's previous plan of the same configuration: an article page whose
    article, neighbours and related articles are the very same objects is taken from it.
    A multilingual site is planned language by language (sitegen.plan.alternates).
    """
    if site.others:
        from sitegen.plan import alternates

        plans = [_plan_language(for_language(config, lang), one, build_time, search_enabled,
                                None, config.site_path + "/")
                 for lang, one in zip(config.languages, (site, *site.others), strict=True)]
        return alternates.merge(plans, (site, *site.others), config)
    return _plan_language(config, site, build_time, search_enabled, last, assets)


def _plan_language(config: Config, site: Site, build_time: datetime, search_enabled: bool,
                   last: Plan | None, assets: str | None) -> Plan:
    """The plan of one language's pages and feeds (of the whole site, for most sites)."""
    config = with_taxonomy_titles(config)
    root = config.root_path + "/"
    main_feed = _feed(config, root, config.title, site.articles)
    info = SiteInfo(config.title, config.description, config.home_url, root, config.language,
                    config.publisher, site.sections, site.pages, config.extra, build_time,
                    main_feed.url, feed_files=main_feed.files,
                    direction=language_tags.direction(config.language), assets=assets or root,
                    strings=strings_of(config), default=assets is None or assets == root,
                    taxonomies=config.taxonomies, logo_size=site.logo_size)
    feeds: list[Feed] = [main_feed]
    listings = Listings(last)
    newest = newest_of(site.articles)
    home = [_home_page(config, site, main_feed)]
    sections = _section_pages(config, site, feeds, main_feed, listings)
    authors = _author_pages(config, site, feeds, main_feed, listings, newest)
    tags = _tag_pages(config, site, feeds, main_feed, listings, newest)
    # Article pages come first in the plan but point at the section and author feeds.
    articles = _article_pages(config, site, main_feed, last)
    corrections = _corrections_pages(config, site, feeds, main_feed)
    search = _search_page(config, main_feed, search_enabled)
    from sitegen.plan import groups  # it plans with this module's helpers

    years = archive_years(site.articles, config)  # the archive's pages and the months'
    pages = [*home, *articles, *sections, *authors, *tags, *corrections, search,
             *_simple_pages(config, site, main_feed, newest, years, info.default),
             *groups.group_pages(config, site, feeds, main_feed, listings, newest, years),
             *redirects.redirect_pages(config, site)]
    return Plan(info, tuple(metadata.mark_sitemaps(pages, config)),
                tuple(in_every_format(feeds, newest or build_time)), listings.made,
                redirects.query_aliases(site))


def _home_page(config: Config, site: Site, main_feed: Feed) -> PlannedPage:
    """The front page: one page (no pagination); the sections' pages and the archive hold
    the rest, linked from its blocks."""
    root = config.root_path + "/"
    context = front.front_context(config, site)
    return PlannedPage(root, output_path(config, root), "home.html", "home", config.title,
                       context, newest_of(front.shown(context)), feed_links((main_feed,)))


def corrections_policy_url(site: Site) -> str | None:
    """The URL of the site's corrections policy page (slug `corrections-policy`), if it has one."""
    return next((p.url for p in site.pages if p.slug == CORRECTIONS_POLICY_SLUG), None)


def _article_pages(config: Config, site: Site, main_feed: Feed,
                   last: Plan | None = None) -> list[PlannedPage]:
    before: dict[str, PlannedPage] = {}
    if last is not None and last.site.feed_url == main_feed.url:
        before = {p.url: p for p in last.pages if p.kind == "article"}
    policy = corrections_policy_url(site)
    pages = []
    for article in site.articles:
        old = before.get(article.url)
        if old is None or not _same_article_page(old, site, article, policy):
            old = article_page(config, site, article, main_feed)
        pages.append(old)
    return pages


def _same_article_page(page: PlannedPage, site: Site, article: Article, policy: str | None,
                       ) -> bool:
    """True when an article page of the last plan shows exactly what it would now."""
    context = page.context
    if context["article"] is not article or context["corrections_policy"] != policy:
        return False
    older, newer = site.neighbours.get(article.url, (None, None))
    if context["prev_article"] is not older or context["next_article"] is not newer:
        return False
    if context["series"] != series_nav(site, article):
        return False
    return same_objects(site.related.get(article.url, ()), context["related"])


def feed_title(config: Config, name: str) -> str:
    """The title of a section's, an author's, a tag's or a term's feed, in the language of
    its pages: `The Long View: Analysis`, `La Vue longue : Analyse`, `長い視点：分析`."""
    return strings_of(config).text("feed.title", site=config.title, name=name)


def _folder_feed(config: Config, folder_url: str, name: str) -> FeedLink:
    """The link to the feed of a section's or an author's page, as article pages give it."""
    return _feed_link(config.site_path, config.feed_formats, folder_url,
                      feed_title(config, name))


@functools.lru_cache(maxsize=1 << 12)
def _feed_link(root_path: str, formats: tuple[str, ...], folder_url: str,
               title: str) -> FeedLink:
    """One FeedLink object for every article page of a section or an author: ten thousand
    pages link a few hundred feeds, each in every format (a tenth of the plan's memory when
    each page had its own), and a shared object is also digested once for the pages' keys.
    Made from the settings it depends on, so a changed configuration makes new ones."""
    files = feed_files_at(root_path, formats, folder_url)
    return FeedLink(files[0].path, files[0].url, folder_url, title, files)


def article_page(config: Config, site: Site, article: Article, main_feed: Feed) -> PlannedPage:
    """The page of one article (also used to re-plan one edited article in place)."""
    older, newer = site.neighbours.get(article.url, (None, None))
    context: dict[str, Any] = {"article": article, "prev_article": older,
                               "next_article": newer,
                               "related": site.related.get(article.url, ()),
                               "corrections_policy": corrections_policy_url(site),
                               "series": series_nav(site, article)}
    if article.url in site.translations:  # its versions in the site's other languages
        context["translations"] = site.translations[article.url]
    # The feeds a reader of this article may want: the site's, its desk's, its authors'.
    feeds = [main_feed.link]
    if article.section:
        feeds.append(_folder_feed(config, article.section.url, article.section.title))
    feeds += [_folder_feed(config, a.url, a.name) for a in article.authors]
    template = f"{article.layout}.html" if article.layout else "article.html"
    return PlannedPage(article.url, output_path(config, article.url), template, "article",
                       article.title, context, article.modified, tuple(dict.fromkeys(feeds)))


def correction_notices(articles: Sequence[Article]) -> list[CorrectionNotice]:
    """Every correction of every article, newest first (ties: newer article first)."""
    notices = [CorrectionNotice(article, c.date, c.text_html, number)
               for article in articles if article.corrections
               for number, c in enumerate(sorted(article.corrections, key=lambda c: c.date), 1)]
    order = {a.url: i for i, a in enumerate(articles)}  # articles are newest first
    notices.sort(key=lambda n: (-n.date.timestamp(), order[n.article.url], -n.number))
    return notices


def _corrections_pages(config: Config, site: Site, feeds: list[Feed],
                       main_feed: Feed) -> list[PlannedPage]:
    url = config.root_path + "/corrections/"
    notices = correction_notices(site.articles)
    files = feed_files(config, url)
    strings = strings_of(config)
    feed = Feed(files[0].path, files[0].url, url,
                strings.text("corrections.feed_title", site=config.title), (),
                "corrections", tuple(notices[:FEED_SIZE]), files[0].format, files)
    feeds.append(feed)
    newest = notices[0].date if notices else None
    context = {"corrections": tuple(notices), "corrections_policy": corrections_policy_url(site),
               "feed": feed}
    return [PlannedPage(url, output_path(config, url), "corrections.html", "corrections",
                        strings.text("corrections.title"), context, newest,
                        feed_links((feed, main_feed)))]


def _search_page(config: Config, main_feed: Feed, enabled: bool) -> PlannedPage:
    url = config.root_path + "/search/"
    context = {"search_enabled": enabled, "enable_command": ENABLE_SEARCH_COMMAND}
    # A page of search results is no landing page: out of the sitemap (and noindex).
    return PlannedPage(url, output_path(config, url), "search.html", "search",
                       strings_of(config).text("search.title"), context, None,
                       feed_links((main_feed,)), in_sitemap=False)


def _section_pages(config: Config, site: Site, feeds: list[Feed],
                   main_feed: Feed, listings: Listings) -> list[PlannedPage]:
    pages = []
    for section in site.sections:
        articles = site.by_section.get(section.slug, ())
        feed = _feed(config, section.url, feed_title(config, section.title), articles)
        feeds.append(feed)
        pages += _listing(config, "section", "section.html", section.url, section.title,
                          articles, (feed, main_feed), {"section": section}, listings)
    return pages


def _author_pages(config: Config, site: Site, feeds: list[Feed], main_feed: Feed,
                  listings: Listings, newest: datetime | None) -> list[PlannedPage]:
    url = config.root_path + "/authors/"
    pages = [PlannedPage(url, output_path(config, url), "authors.html", "authors",
                         strings_of(config).text("authors.title"),
                         {"authors": site.authors, "counts": _counts(site.by_author)},
                         newest, feed_links((main_feed,)))]
    for author in site.authors:
        articles = site.by_author.get(author.id, ())
        feed = _feed(config, author.url, feed_title(config, author.name), articles)
        feeds.append(feed)
        pages += _listing(config, "author", "author.html", author.url, author.name, articles,
                          (feed, main_feed), {"author": author}, listings)
    return pages


def _tag_pages(config: Config, site: Site, feeds: list[Feed], main_feed: Feed,
               listings: Listings, newest: datetime | None) -> list[PlannedPage]:
    url = config.root_path + "/tags/"
    counts = _counts(site.by_tag)
    pages = [PlannedPage(url, output_path(config, url), "tags.html", "tags",
                         strings_of(config).text("tags.title"),
                         {"tags": site.tags, "counts": counts}, newest, feed_links((main_feed,)))]
    for tag in site.tags:
        articles = site.by_tag[tag.slug]
        feed = _feed(config, tag.url, feed_title(config, tag.name), articles)
        feeds.append(feed)
        pages += _listing(config, "tag", "tag.html", tag.url, tag.name, articles,
                          (feed, main_feed), {"tag": tag}, listings)
    return pages


def _counts(groups: dict[str, tuple[Article, ...]]) -> dict[str, int]:
    return {key: len(value) for key, value in groups.items()}


def _simple_pages(config: Config, site: Site, main_feed: Feed, newest: datetime | None,
                  years: list[dict[str, Any]], default: bool = True) -> list[PlannedPage]:
    """The archive, the standalone pages and (in the default language: hosts serve one)
    the 404 page."""
    pages = archive_pages(config, site, main_feed, years)
    for page in site.pages:
        pages.append(PlannedPage(page.url, output_path(config, page.url), "page.html", "page",
                                 page.title, {"page": page}, newest, feed_links((main_feed,))))
    if default:
        pages.append(PlannedPage(config.site_path + "/404.html", "404.html", "404.html", "404",
                                 strings_of(config).text("not_found.title"), {}, None,
                                 feed_links((main_feed,)), in_sitemap=False))
    return pages


def shadowed(plan: Plan) -> list[tuple[PlannedPage, PlannedPage]]:
    """Pairs (page, the page planned before it on the same file), compared as URLs are:
    case-insensitively and after Unicode normalisation (hosts and file systems differ). A
    standalone page or a section can otherwise take the file of a tag, author or archive
    page and silently replace it; articles and pages among themselves are checked when the
    site is assembled (sitegen.model.assemble.check_collisions)."""
    first: dict[str, PlannedPage] = {}
    pairs = []
    for page in plan.pages:
        other = first.setdefault(url_key(page.path), page)
        if other is not page:
            pairs.append((page, other))
    return pairs


def source_of(page: PlannedPage) -> str | None:
    """The content file a planned page is made from: an article's, a page's, an author
    profile's (a byline-only author has none)."""
    shown = page.context.get(page.kind) if page.kind in {"article", "page", "author",
                                                         "redirect"} else None
    source = getattr(shown, "source", None)
    return source if isinstance(source, str) and source else None


def tag_names(tags: Sequence[Tag]) -> str:
    return ", ".join(t.name for t in tags)
