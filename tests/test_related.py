"""Related articles kept from the last build and recomputed only where a change can reach
must be exactly what a full computation chooses."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sitegen.assemble import index_site
from sitegen.model import Article, Tag

SLUGS = [f"t{i}" for i in range(7)]
TAGS = {s: Tag(s.upper(), s, f"/tags/{s}/") for s in SLUGS}
START = datetime(2024, 1, 1, tzinfo=UTC)


def article(n: int, day: int, tags: list[str]) -> Article:
    return Article(source=f"a{n}.md", slug=f"a{n}", url=f"/a{n}/", title=f"A{n}",
                   date=START + timedelta(days=day), tags=tuple(TAGS[t] for t in tags))


def related(articles: dict[int, Article], memo: dict[str, Any] | None) -> dict[str, list[str]]:
    site = index_site(list(articles.values()), {}, TAGS, {}, [], memo)
    return {url: [a.url for a in chosen] for url, chosen in site.related.items()}


@pytest.mark.parametrize("seed", range(12))
def test_kept_and_recomputed_related_articles_match_a_full_computation(seed: int) -> None:
    rng = random.Random(seed)
    count = rng.choice([30, 60, 120])
    articles = {n: article(n, rng.randint(0, 90), rng.sample(SLUGS, rng.randint(1, 3)))
                for n in range(count)}
    memo: dict[str, Any] = {}
    related(articles, memo)
    for step in range(25):
        n = rng.randrange(count + 20)
        change = rng.choice(["add", "delete", "retag", "redate", "newest"])
        if change == "delete" and n in articles:
            del articles[n]
        elif change == "newest":
            articles[n] = article(n, 200 + step, rng.sample(SLUGS, rng.randint(1, 3)))
        elif change == "redate" and n in articles:
            articles[n] = article(n, rng.randint(0, 90), [t.slug for t in articles[n].tags])
        else:
            articles[n] = article(n, rng.randint(0, 90), rng.sample(SLUGS, rng.randint(1, 3)))
        assert related(articles, memo) == related(articles, None), (step, change, n)
