"""Pages that group articles besides sections, authors and tags: month archives
(/archive/YYYY/MM/), the terms of each taxonomy of sitegen.yaml (/regions/, /regions/gulf/),
and series (/series/, /series/<slug>/). Planned with sitegen.plan.pages' helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sitegen.config import Config
from sitegen.config_languages import strings_of
from sitegen.config_taxonomies import TaxonomyConfig
from sitegen.locale import formats
from sitegen.model.site import Site
from sitegen.plan.archive import newest_of
from sitegen.plan.outputs import Feed, PlannedPage, feed_links, output_path
from sitegen.plan.pages import Listings, _feed, _listing, feed_title


def group_pages(config: Config, site: Site, feeds: list[Feed], main_feed: Feed,
                listings: Listings, newest: datetime | None,
                years: list[dict[str, Any]]) -> list[PlannedPage]:
    """Month archives (of `years`: plan.archive.archive_years), taxonomy indexes and term
    pages, series pages, in that order."""
    pages = month_pages(config, main_feed, listings, years)
    for taxonomy in config.taxonomies:
        pages += taxonomy_pages(config, site, taxonomy, feeds, main_feed, listings, newest)
    return pages + series_pages(config, site, main_feed, newest)


def month_pages(config: Config, main_feed: Feed, listings: Listings,
                years: list[dict[str, Any]]) -> list[PlannedPage]:
    """/archive/YYYY/MM/: one month's articles, newest first, paginated; its title and
    heading are the month and year as the page's language writes them (Babel's CLDR)."""
    pages = []
    strings = strings_of(config)
    for year in years:
        for month in year["months"]:
            title = strings.text("archive.month_title", month=formats.month_year(
                year["year"], month["month"], config.language))
            extra = {"year": year["year"], "month": month["month"],
                     "month_name": month["name"], "year_url": year["url"],
                     "month_year": formats.month_year(year["year"], month["month"],
                                                      config.language, heading=True)}
            pages += _listing(config, "month", "archive_month.html", month["url"], title,
                              month["articles"], (main_feed,), extra, listings)
    return pages


def taxonomy_pages(config: Config, site: Site, taxonomy: TaxonomyConfig, feeds: list[Feed],
                   main_feed: Feed, listings: Listings,
                   newest: datetime | None) -> list[PlannedPage]:
    """/<taxonomy>/ (every term with its count) and /<taxonomy>/<term>/ with its feeds."""
    url = f"{config.root_path}/{taxonomy.name}/"
    terms = site.terms.get(taxonomy.name, ())
    groups = site.by_term.get(taxonomy.name, {})
    counts = {slug: len(articles) for slug, articles in groups.items()}
    strings = strings_of(config)
    pages = [PlannedPage(url, output_path(config, url), "terms.html", "terms", taxonomy.title,
                         {"taxonomy": taxonomy, "terms": terms, "counts": counts}, newest,
                         feed_links((main_feed,)))]
    for term in terms:
        articles = groups[term.slug]
        feed = _feed(config, term.url, feed_title(config, term.name), articles)
        feeds.append(feed)
        pages += _listing(config, "term", "term.html", term.url,
                          strings.text("term.title", taxonomy=taxonomy.title, name=term.name),
                          articles, (feed, main_feed),
                          {"taxonomy": taxonomy, "term": term}, listings)
    return pages


def series_pages(config: Config, site: Site, main_feed: Feed,
                 newest: datetime | None) -> list[PlannedPage]:
    """/series/ (every series) and /series/<slug>/: its parts in reading order."""
    if not site.series:
        return []
    url = f"{config.root_path}/series/"
    counts = {slug: len(parts) for slug, parts in site.by_series.items()}
    strings = strings_of(config)
    pages = [PlannedPage(url, output_path(config, url), "series_index.html", "series-index",
                         strings.text("series.title"),
                         {"series": site.series, "counts": counts}, newest,
                         feed_links((main_feed,)))]
    for series in site.series:
        parts = site.by_series[series.slug]
        pages.append(PlannedPage(series.url, output_path(config, series.url), "series.html",
                                 "series", strings.text("series.page_title", name=series.name),
                                 {"series": series, "articles": parts}, newest_of(parts),
                                 feed_links((main_feed,))))
    return pages
