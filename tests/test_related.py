"""Related articles kept from the last build and recomputed only where a change can reach
must be exactly what a full computation chooses."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sitegen.model.assemble import index_site
from sitegen.model.site import Article, Tag

SLUGS = [f"t{i}" for i in range(7)]
TAGS = {s: Tag(s.upper(), s, f"/tags/{s}/") for s in SLUGS}
START = datetime(2024, 1, 1, tzinfo=UTC)


def article(n: int, day: int, tags: list[str]) -> Article:
    return Article(source=f"a{n}.md", slug=f"a{n}", url=f"/a{n}/", title=f"A{n}",
                   date=START + timedelta(days=day), tags=tuple(TAGS[t] for t in tags))


def related(articles: dict[int, Article], memo: dict[str, Any] | None) -> dict[str, list[str]]:
    site = index_site(list(articles.values()), {}, TAGS, {}, [], memo)
    return {url: [a.url for a in chosen] for url, chosen in site.related.items()}


@pytest.mark.parametrize("seed", range(40))
def test_kept_and_recomputed_related_articles_match_a_full_computation(seed: int) -> None:
    # Few tags and small archives make matches on two tags common (an article's box full of
    # them, or one short); many make it hang on the newest heads of each tag's list. Both
    # must be reached, or a rule narrowed too far would pass.
    rng = random.Random(seed)
    count = rng.choice([30, 60, 120])
    slugs = SLUGS[:rng.choice([3, 4, 5, 7])]
    most = rng.choice([2, 3])

    def tags() -> list[str]:
        return rng.sample(slugs, rng.randint(1, min(most, len(slugs))))

    articles = {n: article(n, rng.randint(0, 90), tags()) for n in range(count)}
    memo: dict[str, Any] = {}
    related(articles, memo)
    for step in range(30):
        n = rng.randrange(count + 20)
        change = rng.choice(["add", "delete", "retag", "redate", "newest", "newest"])
        if change == "delete" and n in articles:
            del articles[n]
        elif change == "newest":
            articles[n] = article(n, 200 + step, tags())
        elif change == "redate" and n in articles:
            articles[n] = article(n, rng.randint(0, 90), [t.slug for t in articles[n].tags])
        else:
            articles[n] = article(n, rng.randint(0, 90), tags())
        assert related(articles, memo) == related(articles, None), (step, change, n)


def by_counting(articles: list[Article]) -> dict[str, list[str]]:
    """The rule itself, counted out for every pair: most shared tags, then newest."""
    ordered = sorted(articles, key=lambda a: (-a.date.timestamp(), a.url))
    chosen = {}
    for place, me in enumerate(ordered):
        own = {t.slug for t in me.tags}
        shared = [(-len(own & {t.slug for t in other.tags}), n, other.url)
                  for n, other in enumerate(ordered) if n != place]
        chosen[me.url] = [url for count, _, url in sorted(shared) if count < 0][:5]
    return chosen


@pytest.mark.parametrize("seed", range(30))
def test_related_articles_are_those_sharing_most_tags_then_newest(seed: int) -> None:
    # Tag sets from very common to unique, articles with one tag to a dozen, and copies
    # of one heavily tagged article (the sets its tags share run to thousands, past
    # which it is matched by counting): each path must choose as the rule says.
    rng = random.Random(seed)
    pool = [f"t{i}" for i in range(rng.choice([4, 12, 40]))]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    articles = []
    for n in range(rng.choice([40, 150, 400])):
        count = rng.choice([1, 2, 3, 3, 4, 5, 8, 12])
        tags = sorted(set(rng.choices(pool, weights, k=count)))
        articles.append(Article(source=f"a{n}.md", slug=f"a{n}", url=f"/a{n}/", title="A",
                                date=START + timedelta(days=rng.randint(0, 60)),
                                tags=tuple(Tag(s, s, f"/tags/{s}/") for s in tags)))
    if seed % 3 == 0:
        heavy = tuple(Tag(s, s, f"/tags/{s}/") for s in pool[:12])
        articles += [Article(source=f"h{n}.md", slug=f"h{n}", url=f"/h{n}/", title="H",
                             date=START + timedelta(days=n), tags=heavy) for n in range(3)]
    tags = {t.slug: t for a in articles for t in a.tags}
    site = index_site(articles, {}, tags, {}, [], None)
    assert {url: [a.url for a in chosen] for url, chosen in site.related.items()} \
        == by_counting(articles)
