"""A multilingual site's plan: each language's plan (sitegen.plan.pages), merged, with
every page told of its versions in the other languages.

An article's versions are its translations (sitegen.model.translations); another page's
are the pages of the same kind at the same place in the other languages' folders (`/news/`
and `/fr/news/`, `/authors/ann/` and `/fa/authors/ann/`): the first page of a listing, not
its later ones, which hold other articles. Each page's versions are in its context as
`alternates` (so they enter its key), for `<link rel="alternate" hreflang>` in its head,
the sitemap's `xhtml:link` entries and the "Read in" list; each language's pages carry
that language's `site`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sitegen.config import Config
from sitegen.model.site import Site, Translation
from sitegen.model.translations import language_names
from sitegen.plan.outputs import Plan, PlannedPage, SiteInfo

# Kinds whose first page is one page in every language (`/tags/` and `/fr/tags/`).
SAME_PLACE_KINDS = {"home", "section", "author", "authors", "tag", "tags", "archive",
                    "month", "terms", "term", "series-index", "series", "corrections",
                    "page"}


@dataclass(frozen=True)
class Alternates:
    """A page's versions in the site's languages, itself included, in the order of
    `languages`; `default_url` is the one for `hreflang="x-default"`."""

    versions: tuple[Translation, ...]
    default_url: str


def merge(plans: Sequence[Plan], sites: Sequence[Site], config: Config) -> Plan:
    """One plan of every language's pages and feeds; the default language's `site`."""
    names = language_names(config)
    roots = [plan.site.root for plan in plans]
    places = _places(plans, roots)
    pages: list[PlannedPage] = []
    for plan, site in zip(plans, sites, strict=True):
        for page in plan.pages:
            versions = _versions(page, plan.site, site, places, roots, names)
            pages.append(_with(page, plan.site, versions, config))
    feeds = [feed if plan.site.default else dataclasses.replace(
                 feed, site=dataclasses.replace(plan.site, build_time=datetime.min))
             for plan in plans for feed in plan.feeds]
    listings = {url: made for plan in plans for url, made in plan.listings.items()}
    return Plan(plans[0].site, tuple(pages), tuple(feeds), listings)


def neutral(url: str, root: str, site_root: str) -> str:
    """The page's place in its language: its URL below the language's folder."""
    return site_root + url[len(root):] if url.startswith(root) else url


def _first_page(page: PlannedPage) -> bool:
    pager = page.context.get("paginator")
    return pager is None or pager.number == 1


def _places(plans: Sequence[Plan], roots: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    """(kind, place) -> {language: URL} of the pages that are one page in every language."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for plan in plans:
        for page in plan.pages:
            if page.kind in SAME_PLACE_KINDS and page.in_sitemap and _first_page(page):
                place = neutral(page.url, plan.site.root, roots[0])
                found.setdefault((page.kind, place), {})[plan.site.language] = page.url
    return found


def _versions(page: PlannedPage, info: SiteInfo, site: Site,
              places: dict[tuple[str, str], dict[str, str]], roots: list[str],
              names: dict[str, str]) -> tuple[Translation, ...]:
    if page.kind == "article":
        return site.translations.get(page.url, ())
    if page.kind not in SAME_PLACE_KINDS or not page.in_sitemap or not _first_page(page):
        return ()
    urls = places.get((page.kind, neutral(page.url, info.root, roots[0])), {})
    if len(urls) < 2:
        return ()
    return tuple(Translation(tag, names[tag], url, "") for tag, url in urls.items())


def _with(page: PlannedPage, info: SiteInfo, versions: tuple[Translation, ...],
          config: Config) -> PlannedPage:
    context = dict(page.context)
    if not info.default:
        context["site"] = info
    if versions:
        order = [lang.tag for lang in config.languages]
        ordered = tuple(sorted(versions, key=lambda v: order.index(v.language)))
        context["alternates"] = Alternates(ordered, ordered[0].url)
    if len(context) == len(page.context):
        return page
    return dataclasses.replace(page, context=context)
