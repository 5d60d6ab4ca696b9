"""The archive's pages: /archive/ (every year with its months' counts, the newest year in
full) and a page per year. The month pages are planned with the other groupings
(sitegen.plan.groups), from the same `archive_years`."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from sitegen.config import Config
from sitegen.config_languages import strings_of
from sitegen.locale import formats
from sitegen.model.site import Article, Site
from sitegen.plan.outputs import Feed, PlannedPage, feed_links, output_path

_MODIFIED = operator.attrgetter("modified")


def newest_of(articles: Sequence[Article]) -> datetime | None:
    return max(map(_MODIFIED, articles), default=None)


def _year_month(date: datetime, tz: tzinfo) -> tuple[int, int]:
    """Not memoised: a memo would hold an entry for every article of the archive."""
    local = date.astimezone(tz)
    return local.year, local.month


def archive_years(articles: Sequence[Article], config: Config) -> list[dict[str, Any]]:
    """Years, newest first, each with its URL, its count and its months (newest first, with
    their articles)."""
    years: dict[int, dict[int, list[Article]]] = {}
    for article in articles:
        year, month = _year_month(article.date, config.tz)
        years.setdefault(year, {}).setdefault(month, []).append(article)
    base = config.root_path + "/archive/"
    return [{"year": y, "url": f"{base}{y}/", "count": sum(map(len, months.values())),
             "months": [{"month": m, "name": formats.month_name(m, config.language),
                         "url": f"{base}{y}/{m:02d}/", "articles": tuple(arts)}
                        for m, arts in sorted(months.items(), reverse=True)]}
            for y, months in sorted(years.items(), reverse=True)]


MONTH_SHOWN = 25  # a month's newest articles listed on its year's page


def _shown(year: dict[str, Any], config: Config) -> dict[str, Any]:
    """A year as its page lists it: each month's newest MONTH_SHOWN articles, its `count`
    and `month_year` (for the link to the month's own pages, which list them all). A year of
    a large archive lists thousands (1.5 MB of HTML at 100,000 articles), and every edit to
    one of them rendered it again."""
    return {**year, "months": [
        {**month, "articles": month["articles"][:MONTH_SHOWN],
         "count": len(month["articles"]),
         "month_year": formats.month_year(year["year"], month["month"], config.language)}
        for month in year["months"]]}


def archive_pages(config: Config, site: Site, main_feed: Feed,
                  years: list[dict[str, Any]]) -> list[PlannedPage]:
    """/archive/: every year (with its months' counts) and the newest year; then a page per
    year. A year's page holds only that year, and of each month its newest articles, so
    that an edit to one article re-renders one short list, not a list of the archive."""
    # `years`: archive_years(site.articles, config), made once for these and the months
    summary = tuple({"year": y["year"], "url": y["url"], "count": y["count"],
                     "months": tuple({"month": m["month"], "name": m["name"], "url": m["url"],
                                      "count": len(m["articles"])} for m in y["months"])}
                    for y in years)
    url = config.root_path + "/archive/"
    newest = years[0] if years else None
    strings = strings_of(config)
    pages = [PlannedPage(url, output_path(config, url), "archive.html", "archive",
                         strings.text("archive.title"),
                         {"years": summary, "shown": _shown(newest, config) if newest else None},
                         newest_of([a for m in newest["months"] for a in m["articles"]])
                         if newest else None, feed_links((main_feed,)))]
    for year in years:
        articles = [a for m in year["months"] for a in m["articles"]]
        pages.append(PlannedPage(year["url"], output_path(config, year["url"]), "archive.html",
                                 "archive", strings.text(
                                     "archive.year_title",
                                     year=formats.number(year["year"], config.language,
                                                         grouping=False)),
                                 {"years": summary, "shown": _shown(year, config)},
                                 newest_of(articles),
                                 feed_links((main_feed,))))
    return pages
