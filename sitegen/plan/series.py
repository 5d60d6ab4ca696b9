"""Where an article stands in its series: "Part 2 of 5", and the parts before and after."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model.site import Article, Series, Site


@dataclass(frozen=True)
class SeriesNav:
    """An article's place in its series, as its page shows it (`series` in its context)."""

    series: Series
    part: int  # 1 for the first
    total: int
    prev: Article | None  # the part before, None for the first
    next: Article | None  # the part after, None for the last


def series_nav(site: Site, article: Article) -> SeriesNav | None:
    """The article's place in its series, or None when it is in none."""
    if article.series is None:
        return None
    parts = site.by_series.get(article.series.slug, ())
    index = next((i for i, a in enumerate(parts) if a is article), None)
    if index is None:
        return None
    return SeriesNav(article.series, index + 1, len(parts),
                     parts[index - 1] if index > 0 else None,
                     parts[index + 1] if index + 1 < len(parts) else None)
