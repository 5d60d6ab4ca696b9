"""Related articles: up to RELATED_COUNT per article, most shared tags first, then newest.

Counting over every article that shares a tag is quadratic on a real archive, where a few
tags hold thousands of articles; only pairwise intersections can share two or more tags, and
the best one-tag matches are the newest heads of each tag list. Articles are numbered by
their place (newest first), so sets and sorts work on small integers. The build cache keeps
the choices (`memo`), and only the articles an edit can reach choose again.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sitegen.model.site import Article

RELATED_COUNT = 5
REACH = 2 * RELATED_COUNT + 2  # how far down a tag's list one-tag matches are looked for
_URL = operator.attrgetter("url")

Places = dict[str, tuple[Any, ...]]  # article URL -> its related_place (date, *tag slugs)
Choices = dict[str, tuple[str, ...]]  # article URL -> the URLs of its related articles


def related_articles(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                     memo: dict[str, Any] | None = None) -> dict[str, tuple[Article, ...]]:
    """Up to 5 per article: most shared tags first, then newest.

    An article's choice depends only on the articles that share a tag with it, their order
    and their tags, so `memo` (the build cache's) keeps the choices for as long as those do
    not change: editing a headline or a body does not redo the whole archive's matching, and
    adding, deleting, re-dating or re-tagging an article redoes only the articles that share
    a tag with it (old tags or new).
    """
    by_url = {a.url: a for a in articles}
    places = {a.url: a.related_place for a in articles}
    if memo is not None and memo.get("places") == places and isinstance(memo.get("urls"), dict):
        urls = memo["urls"]
    else:
        urls = _related_again(articles, by_tag, places, memo)
        if memo is not None:
            memo.clear()
            memo.update(urls=urls, places=places, heads=_heads(by_tag))
    return {url: tuple(by_url[u] for u in chosen) for url, chosen in urls.items()}


def _heads(by_tag: dict[str, tuple[Article, ...]]) -> dict[str, tuple[str, ...]]:
    """The URLs of the first REACH articles of each tag: where one-tag matches come from."""
    return {slug: tuple(a.url for a in tagged[:REACH]) for slug, tagged in by_tag.items()}


def _related_again(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                   places: Places, memo: dict[str, Any] | None) -> Choices:
    """Related URLs for every article, recomputed only where the memo's may have changed.

    An article moved (added, deleted, re-dated or re-tagged) changes the choice of another
    only through a tag they share: as one of its matches on two or more tags, or as one of
    the newest articles of a tag, scanned for one-tag matches (at most RELATED_COUNT picks
    past at most RELATED_COUNT taken: the first 2 * RELATED_COUNT + 1 of the tag's list).
    Articles sharing one tag with it, where it stands (stood) further down that tag's list,
    choose as before: the heads of their tag lists and their order are the same.
    """
    memo = memo or {}
    before, old_urls, old_heads = memo.get("places"), memo.get("urls"), memo.get("heads")
    if not (isinstance(before, dict) and isinstance(old_urls, dict)
            and isinstance(old_heads, dict)):
        return related_urls(articles, by_tag)
    moved = {u for u in places.keys() | before.keys() if places.get(u) != before.get(u)}
    if len(moved) > len(articles) // 10:
        return related_urls(articles, by_tag)
    redo = _choosing_anew(moved, by_tag, places, before, old_urls, old_heads)
    result = related_urls(articles, by_tag, redo)
    return {url: result[url] if url in redo else old_urls[url] for url in places}


def _choosing_anew(moved: set[str], by_tag: dict[str, tuple[Article, ...]], places: Places,
                   before: Places, old_urls: Choices,
                   old_heads: dict[str, tuple[str, ...]]) -> set[str]:
    """The articles whose choice a moved article can change (and the moved ones still
    published): only those sharing a tag with a moved one can choose anew."""
    redo = moved & places.keys()
    tag_sets = [set(place[1:]) for u in moved for place in (places.get(u), before.get(u))
                if place]
    slugs = {slug for tags in tag_sets for slug in tags}
    # Tags where a moved article is (was) near the head: their articles' one-tag matches.
    whole_tags = {slug for slug in slugs
                  if not moved.isdisjoint(old_heads.get(slug, ()))
                  or any(a.url in moved for a in by_tag.get(slug, ())[:REACH])}
    for slug in slugs:
        for article in by_tag.get(slug, ()):
            url = article.url
            if url in redo:
                continue
            own = set(places[url][1:])
            if any(len(own & tags) >= 2 for tags in tag_sets) or (
                    not own.isdisjoint(whole_tags)
                    and not _full_of_pairs(own, old_urls[url], before)):
                redo.add(url)
    return redo


def _full_of_pairs(own: set[str], chosen: Sequence[str], before: Places) -> bool:
    """True when an article's last choice was all matches on two or more tags. No moved
    article shares two tags with it (else it is redone anyway), so those matches, their
    counts and their order are the same, and the heads of its tag lists, where a moved
    article may now stand, are never read: its choice stands."""
    return len(chosen) == RELATED_COUNT and all(
        len(own.intersection(before[url][1:])) >= 2 for url in chosen)


def related_urls(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                 only: set[str] | None = None) -> Choices:
    """The URLs of up to 5 related articles per article URL (see `related_articles`);
    with `only`, for those article URLs only."""
    number = {a.url: i for i, a in enumerate(articles)}
    tag_lists = _ByTag(lambda slug: list(map(number.__getitem__, map(_URL, by_tag[slug]))))
    tag_sets = _ByTag(lambda slug: frozenset(tag_lists[slug]))
    by_pair = _pair_index(articles, tag_sets, only)
    result: Choices = {}
    for me, article in enumerate(articles):
        if only is None or article.url in only:
            chosen = _choose(me, article, tag_lists, tag_sets, by_pair)
            result[article.url] = tuple(articles[n].url for n in chosen)
    return result


def _pair_index(articles: tuple[Article, ...], tag_sets: _ByTag, only: set[str] | None,
                ) -> Mapping[tuple[str, str], Collection[int]]:
    """Articles by pair of tags: far shorter lists than by tag, and exactly those sharing
    two. For a few articles, only their own pairs are needed: intersections, not an index."""
    if only is not None and len(only) < len(articles) // 4:
        return _PairIntersections(tag_sets)
    by_pair: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for n, article in enumerate(articles):
        for pair in itertools.combinations(sorted({t.slug for t in article.tags}), 2):
            by_pair[pair].append(n)
    return by_pair


def _choose(me: int, article: Article, tag_lists: _ByTag, tag_sets: _ByTag,
            by_pair: Mapping[tuple[str, str], Collection[int]]) -> list[int]:
    """The numbers of article `me`'s related articles: matches on two or more tags, most
    shared first (then newest), topped up with the newest one-tag matches.

    Linear in the archive, not quadratic: every match on three or more tags is found (in
    the list of its two rarer tags' pair, filtered by the third), but of the matches on
    exactly two only the newest few of each pair are looked at, which is all that can be
    chosen (two very common tags share a tenth of an archive)."""
    own = sorted({t.slug for t in article.tags})
    slugs = sorted(own, key=lambda s: len(tag_sets[s]))
    sets = [tag_sets[s] for s in slugs]
    many = _three_or_more(me, slugs, tag_sets, by_pair)
    ranked = sorted((-sum(n in s for s in sets), n) for n in many)
    chosen = [n for _, n in ranked[:RELATED_COUNT]]
    if len(chosen) < RELATED_COUNT:  # every match on three or more is chosen: add twos
        taken = {me, *chosen}
        need = RELATED_COUNT - len(chosen)
        twos: set[int] = set()
        for pair in itertools.combinations(own, 2):
            twos.update(_first(by_pair[pair], need, taken))  # a pair no other has: empty
        chosen += sorted(twos)[:need]
    if len(chosen) < RELATED_COUNT:
        chosen += _newest_heads(slugs, tag_lists, {me, *chosen})[:RELATED_COUNT - len(chosen)]
    return chosen


def _three_or_more(me: int, slugs: list[str], tag_sets: _ByTag,
                   by_pair: Mapping[tuple[str, str], Collection[int]]) -> set[int]:
    """The articles sharing three or more of these tags (rarest first) with article `me`:
    each is in the pair list of two of them, filtered by a third, more common one."""
    found: set[int] = set()
    for a, b, c in itertools.combinations(slugs, 3):
        third = tag_sets[c]
        found.update(n for n in by_pair[(a, b) if a < b else (b, a)] if n in third)
    found.discard(me)
    return found


def _first(items: Collection[int], count: int, taken: set[int]) -> list[int]:
    """The `count` lowest numbers of `items` not `taken` (a pair's list is in order)."""
    if isinstance(items, list):
        picked = []
        for n in items:
            if n not in taken:
                picked.append(n)
                if len(picked) == count:
                    break
        return picked
    return heapq.nsmallest(count, (n for n in items if n not in taken))


def _newest_heads(slugs: list[str], tag_lists: _ByTag, taken: set[int]) -> list[int]:
    """One-tag matches: up to RELATED_COUNT + 1 untaken articles from the head of each of
    the article's tag lists, newest first."""
    heads: set[int] = set()
    for slug in slugs:
        picked = 0
        for other in tag_lists[slug]:
            if other not in taken:
                heads.add(other)
                picked += 1
                if picked > RELATED_COUNT:
                    break
    return sorted(heads)


class _ByTag(dict[str, Any]):
    """Per tag, made when first asked for: a few redone articles need a few tags' lists."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, slug: str) -> Any:
        found = self[slug] = self.make(slug)
        return found


class _PairIntersections(dict[tuple[str, str], Collection[int]]):
    """The articles holding both tags of a pair, intersected when first asked for."""

    def __init__(self, tag_sets: dict[str, frozenset[int]]) -> None:
        super().__init__()
        self.tag_sets = tag_sets

    def __missing__(self, pair: tuple[str, str]) -> Collection[int]:
        found = self[pair] = self.tag_sets[pair[0]] & self.tag_sets[pair[1]]
        return found
