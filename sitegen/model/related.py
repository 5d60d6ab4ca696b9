"""Related articles: up to RELATED_COUNT per article, most shared tags first, then newest.

Counting over every article that shares a tag is quadratic on a real archive, where a few
tags hold thousands of articles; so is scanning every article that shares two of them. An
article's choice is made level by level instead, from the sets of its tags that another
article holds all of, taking the newest few of each (`_choose`). Articles are numbered by
their place (newest first), so sets and sorts work on small integers. The build cache keeps
the choices (`memo`): after an edit, only the articles whose box held a moved article
choose again, and those a moved article may enter merge it in (`_related_again`).
"""

from __future__ import annotations

import operator
from typing import Any

from sitegen.model.site import Article

RELATED_COUNT = 5
_URL = operator.attrgetter("url")

Places = dict[str, tuple[Any, ...]]  # article URL -> its related_place (date, *tag slugs)
Choices = dict[str, tuple[str, ...]]  # article URL -> the URLs of its related articles


def related_articles(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                     memo: dict[str, Any] | None = None) -> dict[str, tuple[Article, ...]]:
    """Up to 5 per article: most shared tags first, then newest.

    An article's choice depends only on the articles that share a tag with it, their order
    and their tags, so `memo` (the build cache's) keeps the choices for as long as those do
    not change: editing a headline or a body does not redo the whole archive's matching, and
    adding, deleting, re-dating or re-tagging an article reaches only the articles that share
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
            memo.update(urls=urls, places=places)
    return {url: tuple(by_url[u] for u in chosen) for url, chosen in urls.items()}


def _related_again(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                   places: Places, memo: dict[str, Any] | None) -> Choices:
    """Related URLs for every article, recomputed only where the memo's may have changed.

    The choice is the first RELATED_COUNT of one order (most shared tags, then newest), and
    an article moved (added, deleted, re-dated or re-tagged: its old place gone, its new
    one come) changes no other article's order of the rest. So an article whose box held a
    moved article as it was chooses anew (what comes next is unknown); one whose box did
    not can only gain: its new box is the first few of its old box and the moved articles,
    as they are now, that share a tag with it (merged in `_gaining`, no matching at all).
    Moved articles still published choose anew; all others keep their box.
    """
    memo = memo or {}
    before, old_urls = memo.get("places"), memo.get("urls")
    if not (isinstance(before, dict) and isinstance(old_urls, dict)):
        return related_urls(articles, by_tag)
    moved = {u for u in places.keys() | before.keys() if places.get(u) != before.get(u)}
    if len(moved) > len(articles) // 10:
        return related_urls(articles, by_tag)
    gone = moved & before.keys()
    redo = moved & places.keys()
    for slug in {slug for url in gone for slug in before[url][1:]}:
        for article in by_tag.get(slug, ()):
            if article.url not in redo and not gone.isdisjoint(old_urls[article.url]):
                redo.add(article.url)
    result = {url: old_urls[url] for url in places if url not in redo}
    result.update(_gaining(articles, by_tag, places, moved & places.keys(), redo, result))
    result.update(related_urls(articles, by_tag, redo))
    return result


def _gaining(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
             places: Places, come: set[str], redo: set[str], kept: Choices) -> Choices:
    """The new boxes of the articles sharing a tag with a `come` article and not choosing
    anew: the first RELATED_COUNT of their old box and those `come` articles, by the order
    itself (most shared tags, then the place in `articles`: newest first). An article is
    met once per tag it shares with a `come` one, which counts them; a full box it cannot
    enter (its last pick ranks higher) is kept as it is, most of them for an old article."""
    if not come:
        return {}
    number = {a.url: i for i, a in enumerate(articles)}
    offers: dict[str, dict[str, int]] = {}
    for url in come:
        for slug in places[url][1:]:
            for article in by_tag.get(slug, ()):
                if article.url not in redo:
                    shared = offers.setdefault(article.url, {})
                    shared[url] = shared.get(url, 0) + 1
    boxes: Choices = {}
    for url, shared in offers.items():
        own, box = set(places[url][1:]), kept[url]

        def rank(u: str, own: set[str] = own) -> tuple[int, int]:
            return -len(own.intersection(places[u][1:])), number[u]

        entering = {u: (-n, number[u]) for u, n in shared.items()}
        if len(box) == RELATED_COUNT:
            last = rank(box[-1])
            entering = {u: place for u, place in entering.items() if place < last}
            if not entering:
                continue
        ranks = {u: rank(u) for u in box} | entering
        boxes[url] = tuple(sorted(ranks, key=ranks.__getitem__)[:RELATED_COUNT])
    return boxes


def related_urls(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                 only: set[str] | None = None) -> Choices:
    """The URLs of up to 5 related articles per article URL (see `related_articles`);
    with `only`, for those article URLs only."""
    number = {a.url: i for i, a in enumerate(articles)}
    holding = _Holding(by_tag, number)
    result: Choices = {}
    for me, article in enumerate(articles):
        if only is None or article.url in only:
            chosen = _choose(me, {t.slug for t in article.tags}, holding)
            result[article.url] = tuple(articles[n].url for n in chosen)
    return result


def _choose(me: int, own: set[str], holding: _Holding) -> list[int]:
    """The numbers of article `me`'s related articles: those sharing the most of its tags,
    newest first among equals.

    Level by level, from the most tags shared down to one: the candidates sharing k tags
    are the members of the k-tag sets of its tags that another article also holds (found
    bottom up, a set grown only while someone else still holds it all), and the newest
    few of each are all that can be chosen. Scanning every article that shares two or
    three tags instead is quadratic on a news archive, where a few tags hold a tenth of it.
    """
    levels = _shared_sets(me, sorted(own, key=holding.rank), holding)
    if levels is None:  # tagged so heavily that its sets run to thousands: count instead
        return _by_count(me, own, holding)
    chosen: list[int] = []
    taken = {me}
    for level in reversed(levels):
        need = RELATED_COUNT - len(chosen)
        # Every article sharing more tags was taken, or the box is full: those left in a
        # set share exactly its tags with `me`, so its newest untaken few are the picks.
        picks = {n for members in level.values() for n in _first(members, need, taken)}
        found = sorted(picks)[:need]
        chosen += found
        taken.update(found)
        if len(chosen) == RELATED_COUNT:
            break
    return chosen


MAX_SETS = 1024  # shared tag sets of one article before it is matched by counting


def _shared_sets(me: int, own: list[str], holding: _Holding,
                 ) -> list[dict[tuple[str, ...], list[int]]] | None:
    """Per number of tags (1, 2, ...), the sets of `own` (rarest tag first) some other
    article holds all of, with their holders; None past MAX_SETS."""
    levels: list[dict[tuple[str, ...], list[int]]] = [{(s,): holding[(s,)] for s in own}]
    place = {slug: i for i, slug in enumerate(own)}
    count = len(own)
    while True:
        grown: dict[tuple[str, ...], list[int]] = {}
        for tags, members in levels[-1].items():
            for slug in own[place[tags[-1]] + 1:]:
                more = holding.grow(tags, members, slug)
                if len(more) > 1:  # `me` holds them all: someone else does too
                    grown[(*tags, slug)] = more
        if not grown:
            return levels
        count += len(grown)
        if count > MAX_SETS:
            return None
        levels.append(grown)


def _by_count(me: int, own: set[str], holding: _Holding) -> list[int]:
    """`_choose` by counting the shared tags of every article sharing one."""
    shared: dict[int, int] = {}
    for slug in own:
        for n in holding[(slug,)]:
            shared[n] = shared.get(n, 0) + 1
    shared.pop(me, None)
    return sorted(shared, key=lambda n: (-shared[n], n))[:RELATED_COUNT]


def _first(items: list[int], count: int, taken: set[int]) -> list[int]:
    """The first `count` numbers of `items` (in order) not `taken`."""
    picked = []
    for n in items:
        if n not in taken:
            picked.append(n)
            if len(picked) == count:
                break
    return picked


class _Holding(dict[tuple[str, ...], list[int]]):
    """The numbers (in order: newest first) of the articles holding every tag of a set,
    the set named rarest tag first. A set is its first tags' list filtered by its last
    tag, so the filtered list is the shortest at hand; a list made from a long one is
    kept for the next article asking (a few common tags' sets are asked for by thousands
    of articles), a short one made again. Only single tags are looked up by key."""

    KEEP = 64

    def __init__(self, by_tag: dict[str, tuple[Article, ...]], number: dict[str, int]) -> None:
        super().__init__()
        self.by_tag = by_tag
        self.number = number
        self.sets: dict[str, frozenset[int]] = {}

    def rank(self, slug: str) -> tuple[int, str]:
        return len(self.by_tag[slug]), slug

    def __missing__(self, tags: tuple[str, ...]) -> list[int]:
        found = self[tags] = list(map(self.number.__getitem__, map(_URL, self.by_tag[tags[0]])))
        return found  # only single tags are asked for: sets are grown

    def grow(self, tags: tuple[str, ...], members: list[int], slug: str) -> list[int]:
        """The holders of `tags` and `slug`, from `members`, the holders of `tags`."""
        more = (*tags, slug)
        found = self.get(more)
        if found is None:
            last = self.sets.get(slug)
            if last is None:
                last = self.sets[slug] = frozenset(self[(slug,)])
            found = sorted(last.intersection(members))
            if len(members) >= self.KEEP:
                self[more] = found
        return found
