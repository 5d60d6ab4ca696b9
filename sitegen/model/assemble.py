"""Stage 5: validated front matter plus rendered bodies into the immutable Site.

Resolves bylines, tags and sections; drops drafts and future articles unless asked; sorts
newest first; links neighbours in each section; picks related articles; and refuses two
outputs on one URL.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.config import Config, did_you_mean
from sitegen.content import handin, markup, plaintext, yamlio
from sitegen.content.fields import FieldReader
from sitegen.content.sanitize import safe_url
from sitegen.content.slugs import is_valid_slug, slugify
from sitegen.content.sources import Source
from sitegen.errors import Problems
from sitegen.model.site import Article, Author, Correction, Link, Page, Section, Site, Tag

ARTICLE_FIELDS = {
    "title", "subtitle", "date", "authors", "author", "tags", "section", "slug", "summary",
    "updated", "draft", "image", "image_alt", "corrections", "canonical", "layout",
    "extra",
}
PAGE_FIELDS = {"title", "slug", "summary", "draft", "extra"}
AUTHOR_FIELDS = {"name", "role", "bio", "photo", "email", "links", "extra"}
RELATED_COUNT = 5


@dataclass(frozen=True)
class Entry:
    """An article's front matter, checked and typed, before its body is rendered.

    For a plain-text hand-in, `byline`/`bios` hold what its byline says when the front
    matter names no authors: (author id, name) and (author id, bio) pairs.
    """

    source: Source
    title: str
    subtitle: str
    date: datetime
    author_ids: tuple[str, ...]
    tag_names: tuple[str, ...]
    section: str
    slug: str
    summary: str
    updated: datetime | None
    draft: bool
    image: str
    image_alt: str
    corrections: tuple[tuple[datetime, str], ...]
    canonical: str
    layout: str
    extra: dict[str, Any]
    byline: tuple[tuple[str, str], ...] = ()
    bios: tuple[tuple[str, str], ...] = ()
    byline_line: int = 0  # 1-based line of the byline in the file


def url_join(config: Config, path: str) -> str:
    """A root-relative URL for a site path, with base_url's own path in front."""
    return config.root_path + path


# ---------------------------------------------------------------- authors


def read_author(source: Source, config: Config, problems: Problems,
                inline: Callable[[str], str] = markup.inline_markdown) -> Author | None:
    """An author profile from `content/authors/<id>.yaml` (or `.md`, the bio as the body)."""
    fields = FieldReader(source, problems, AUTHOR_FIELDS)
    author_id = source.path.stem
    if not is_valid_slug(author_id):
        problems.error(source.path, 1, 1, f"`{author_id}` cannot be an author id. Rename the "
                       f"file to `{slugify(author_id)}{source.path.suffix}`.")
        return None
    name = fields.text("name", required=True)
    bio = fields.text("bio") or source.body.strip()
    links = []
    for label, url in fields.mapping("links").items():
        if not isinstance(url, str):
            fields.error("links", f"link `{label}` must be a URL in text.")
            continue
        if not safe_url(url.strip()) or not url.strip():
            fields.error("links", f"link `{label}` must be an http(s) or mailto URL, not "
                         f"{url.strip()[:40]!r}.")
            continue
        links.append(Link(str(label), url.strip()))
    bio_html = inline(bio) if bio else ""
    if not fields.ok:
        return None
    return Author(
        id=author_id, name=name, url=url_join(config, f"/authors/{author_id}/"),
        role=fields.text("role"), bio_html=bio_html, bio_text=markup.html_to_text(bio_html),
        photo=fields.text("photo"), email=fields.text("email"), links=tuple(links),
        source=source.rel,
    )


# ---------------------------------------------------------------- articles


def read_entry(source: Source, config: Config, problems: Problems,
               hand_in: handin.HandIn | None = None) -> Entry | None:
    """Check an article's front matter; None (with problems reported) when it is wrong.

    A `.txt` article is a hand-in (see `sitegen.content.handin`): what its front matter does not say
    its text may (title, subtitle, authors); front matter always wins. `hand_in` is its text
    already parsed (the content stage caches it), else the text in `source.body` is parsed.
    """
    if source.kind == "txt":
        return read_handin_entry(source, config, problems, hand_in)
    return read_front_matter(source, config, problems)


def read_handin_entry(source: Source, config: Config, problems: Problems,
                      hand_in: handin.HandIn | None = None) -> Entry | None:
    """A `.txt` article: its text fills in title, subtitle and byline where front matter is
    silent; its body is the text without headline, dek, byline and bios."""
    hand_in = hand_in or read_handin(source, problems)
    if hand_in is None:
        return None
    if "date" not in source.meta and not source.meta_text and source.body_line == 1:
        problems.error(source.path, 1, 1, "has no date. Start the file with front matter that "
                       "gives it: a `---` line, `date: 2025-01-31`, another `---` line; the "
                       "headline, byline and text below can stay as they are.")
        return None
    meta = dict(source.meta)
    meta.setdefault("title", hand_in.title)
    if hand_in.dek:
        meta.setdefault("subtitle", hand_in.dek)
    entry = read_front_matter(dataclasses.replace(source, meta=meta, body=hand_in.body),
                              config, problems)
    if entry is None or "authors" in meta or "author" in meta:
        return entry
    byline = tuple((slugify(name), name) for name in hand_in.author_names)
    return dataclasses.replace(
        entry, author_ids=tuple(dict.fromkeys(a for a, _ in byline)), byline=byline,
        bios=tuple((slugify(name), bio) for name, bio in hand_in.bios),
        byline_line=source.body_line + hand_in.byline_line - 1 if byline else 0,
    )


def read_handin(source: Source, problems: Problems) -> handin.HandIn | None:
    """The hand-in in a `.txt` article's text; None (and an error) when it has no such shape."""
    title = source.meta.get("title")
    try:
        return handin.parse(source.body, title=None if title is None else str(title))
    except handin.HandInError as exc:
        problems.error(source.path, source.body_line + exc.line - 1, 1, f"{exc.message}.")
        return None


def read_front_matter(source: Source, config: Config, problems: Problems) -> Entry | None:
    """Check an article's front matter; None (with problems reported) when it is wrong."""
    f = FieldReader(source, problems, ARTICLE_FIELDS)
    tz = config.tz
    title = f.text("title", required=True)
    when = f.when("date", tz, required=True)
    author_ids = f.text_list("authors")
    if "author" in source.meta:
        if author_ids:
            f.error("author", "use either `author` or `authors`, not both.")
        author_ids = f.text_list("author")
    section = f.text("section")
    names = [s.name for s in config.sections]
    if section and section not in names:
        f.error("section", f"unknown section `{section}`.{did_you_mean(section, names)} "
                f"Sections: {', '.join(names)} (set them in sitegen.yaml).")
    slug = f.text("slug") or source.path.stem
    if not is_valid_slug(slug):
        if "slug" in source.meta:
            f.error("slug", f"`{slug}` cannot be used in a URL. Use letters, digits and "
                    f"hyphens, e.g. `{slugify(slug)}`.")
        else:
            slug = slugify(slug)
    corrections = _corrections(f, source, tz)
    costly = markup.too_costly(source.body) if source.kind == "md" else None
    if costly:
        problems.error(source.path, source.body_line + costly[0], 1, costly[1])
        f.ok = False
    for key in ("image",):
        if not safe_url(str(source.meta.get(key) or "")):
            f.error(key, f"`{key}` must be a path or an http(s) URL.")
    canonical = f.text("canonical")
    if canonical and not _is_canonical_url(canonical):
        f.error("canonical", f"`{canonical}` is not a URL. Write the full address where the "
                "article was first published (https://...) or a path on this site (/...).")
    entry = Entry(
        source=source, title=title, subtitle=f.text("subtitle"), date=when or datetime.min,
        author_ids=tuple(author_ids), tag_names=tuple(f.text_list("tags")), section=section,
        slug=slug, summary=f.text("summary"), updated=f.when("updated", tz),
        draft=f.flag("draft"), image=f.text("image"), image_alt=f.text("image_alt"),
        corrections=corrections, canonical=canonical, layout=_layout(f),
        extra=f.mapping("extra"),
    )
    return entry if f.ok and when is not None else None


def _corrections(f: FieldReader, source: Source, tz: Any) -> tuple[tuple[datetime, str], ...]:
    value = source.meta.get("corrections", [])
    shape = "`corrections` must be a list of `- date: 2025-01-31` / `text: ...` entries."
    if not isinstance(value, list):
        f.error("corrections", shape)
        return ()
    result = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            f.error("corrections", shape)
            continue
        from sitegen.content.fields import parse_when

        try:
            when = parse_when(item.get("date"), tz)
        except ValueError as exc:
            f.error("corrections", f"a correction's date is not valid ({exc}). Write YYYY-MM-DD.")
            continue
        result.append((when, item["text"]))
    return tuple(sorted(result, key=lambda c: c[0], reverse=True))


_LAYOUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _layout(f: FieldReader) -> str:
    """A template name chosen by the article: a bare name, so it can never leave the theme."""
    layout = f.text("layout")
    if layout and not _LAYOUT.match(layout):
        f.error("layout", f"`{layout}` is not a template name. Use lowercase letters, digits "
                "and hyphens, e.g. `layout: wide` for the theme's wide.html.")
        return ""
    return layout


def _is_canonical_url(value: str) -> bool:
    if any(c.isspace() for c in value):
        return False
    if value.startswith("/"):
        return not value.startswith("//")
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def is_published(entry: Entry, now: datetime, drafts: bool, future: bool) -> bool:
    return (drafts or not entry.draft) and (future or entry.date <= now)


def permalink(config: Config, entry: Entry) -> str:
    local = entry.date.astimezone(config.tz)
    path = config.article_permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
        slug=entry.slug, section=entry.section or "articles",
    )
    return url_join(config, path)


def add_byline_authors(entries: Iterable[Entry], authors: dict[str, Author], config: Config,
                       problems: Problems) -> dict[str, Author]:
    """`authors` plus an Author for each hand-in byline name that has no profile, made from
    the name and the first bio found (in path order); each gets a warning naming the file to
    create. Front matter bylines never create authors: an unknown id there stays an error."""
    result = dict(authors)
    names: dict[str, str] = {}
    bios: dict[str, str] = {}
    first: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.source.rel):
        entry_bios = dict(entry.bios)
        for author_id, name in entry.byline:
            if author_id in authors:
                continue
            names.setdefault(author_id, name)
            first.setdefault(author_id, entry)
            if not bios.get(author_id) and entry_bios.get(author_id):
                bios[author_id] = entry_bios[author_id]
    for author_id, name in sorted(names.items()):
        bio = bios.get(author_id, "")
        result[author_id] = byline_author(author_id, name, bio, config)
        said = "byline and bio" if bio else "byline"
        problems.warn(first[author_id].source.path, first[author_id].byline_line, 1,
                      f"author `{name}` has no profile, so sitegen made one from the {said}. "
                      f"Create content/authors/{author_id}.yaml (name, role, bio) to keep it.")
    return result


def byline_author(author_id: str, name: str, bio: str, config: Config) -> Author:
    """An author known only from a byline: the bio, as typed, and the role it states."""
    bio_html = markup.inline_markdown(plaintext.line_to_markdown(bio)) if bio else ""
    return Author(id=author_id, name=name, url=url_join(config, f"/authors/{author_id}/"),
                  role=handin.role_from_bio(name, bio), bio_html=bio_html,
                  bio_text=markup.html_to_text(bio_html))


def check_bylines(entries: Iterable[Entry], authors: Collection[str], problems: Problems) -> None:
    """An error for each front matter author id that is not in `authors` (ids or profiles)."""
    known = sorted(authors)
    for entry in entries:
        key = "authors" if "authors" in entry.source.meta else "author"
        for author_id in entry.author_ids:
            if author_id not in authors:
                line, col = entry.source.line_of(key)
                item = yamlio.value_line(entry.source.meta_text, author_id,
                                         line - entry.source.meta_line)
                if item + entry.source.meta_line != line:
                    line = item + entry.source.meta_line
                    col = entry.source.meta_text.split("\n")[item].index(author_id) + 1
                hint = did_you_mean(author_id, known)
                problems.error(entry.source.path, line, col, f"unknown author `{author_id}`."
                               f"{hint} Known authors: {', '.join(known) or 'none'}; add "
                               f"content/authors/{author_id}.yaml to create one.")


def build_article(entry: Entry, config: Config, body_html: str,
                  authors: dict[str, Author], tags: dict[str, Tag],
                  sections: dict[str, Section], words: int | None = None,
                  first_paragraph: str | None = None,
                  inline: Callable[[str], str] = markup.inline_markdown,
                  image_size: tuple[int, int] | None = None) -> Article:
    """The published article; `words` and `first_paragraph` may come precomputed (cache)."""
    if words is None:
        words = markup.word_count(body_html)
    if first_paragraph is None:
        first_paragraph = markup.first_paragraph_text(body_html)
    return Article(
        source=entry.source.rel, slug=entry.slug, url=permalink(config, entry),
        title=entry.title, date=entry.date, subtitle=entry.subtitle,
        authors=tuple(authors[a] for a in entry.author_ids),
        tags=tuple(dict.fromkeys(tags[slugify(t)] for t in entry.tag_names)),
        section=sections.get(entry.section), summary=entry.summary or first_paragraph,
        body_html=body_html, word_count=words,
        reading_time=markup.reading_minutes(words), updated=entry.updated, draft=entry.draft,
        image=entry.image, image_alt=entry.image_alt,
        image_width=image_size[0] if image_size else 0,
        image_height=image_size[1] if image_size else 0,
        corrections=tuple(Correction(d, inline(t)) for d, t in entry.corrections),
        canonical=entry.canonical, layout=entry.layout, extra=entry.extra,
    )


def make_tags(entries: Iterable[Entry], config: Config) -> dict[str, Tag]:
    """One Tag per slug; its name is the first spelling met in path order (deterministic)."""
    tags: dict[str, Tag] = {}
    for entry in sorted(entries, key=lambda e: e.source.rel):
        for name in entry.tag_names:
            slug = slugify(name)
            if slug not in tags:
                tags[slug] = Tag(name, slug, url_join(config, f"/tags/{slug}/"))
    return tags


def make_sections(config: Config) -> dict[str, Section]:
    return {s.name: Section(s.name, s.title, s.description, url_join(config, f"/{s.name}/"),
                            s.schema_type)
            for s in config.sections}


# ---------------------------------------------------------------- pages


def read_page(source: Source, config: Config, problems: Problems, pages_dir: Path,
              render: Callable[[Source], str]) -> Page | None:
    f = FieldReader(source, problems, PAGE_FIELDS)
    title = f.text("title", required=True)
    rel = source.path.relative_to(pages_dir).with_suffix("")
    slug = f.text("slug") or rel.name
    if not is_valid_slug(slug):
        f.error("slug", f"`{slug}` cannot be used in a URL. Use e.g. `{slugify(slug)}`.")
    parents = [p for p in rel.parent.parts if p]
    for part in parents:
        if not is_valid_slug(part):
            problems.error(source.path, 1, 1, f"folder `{part}` cannot be used in a URL. "
                           f"Rename it to `{slugify(part)}`.")
            return None
    if not f.ok or f.flag("draft"):
        return None
    body = render(source)
    path = "/" + "/".join([*parents, slug]) + "/"
    return Page(source.rel, slug, url_join(config, path), title, body,
                f.text("summary") or markup.first_paragraph_text(body))


# ---------------------------------------------------------------- the site


@functools.lru_cache(maxsize=1 << 17)  # the dev server checks the same URLs at each save
def _url_key(url: str) -> str:
    return unicodedata.normalize("NFC", url).casefold()


def check_collisions(urls: list[tuple[str, str]], problems: Problems, root: Path) -> None:
    """Two outputs on one URL, compared case-insensitively and after Unicode normalisation."""
    seen: dict[str, str] = {}
    for url, source in urls:
        key = _url_key(url)
        if key in seen and seen[key] != source:
            problems.error(Path(root / source), 1, 1, f"its URL {url} is also the URL of "
                           f"{seen[key]}. Give one of them another `slug`.")
        seen.setdefault(key, source)


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


_URL = operator.attrgetter("url")
REACH = 2 * RELATED_COUNT + 2  # how far down a tag's list one-tag matches are looked for


def _heads(by_tag: dict[str, tuple[Article, ...]]) -> dict[str, tuple[str, ...]]:
    """The URLs of the first REACH articles of each tag: where one-tag matches come from."""
    return {slug: tuple(a.url for a in tagged[:REACH]) for slug, tagged in by_tag.items()}


def _related_again(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                   places: dict[str, tuple[Any, ...]],
                   memo: dict[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """Related URLs for every article, recomputed only where the memo's may have changed.

    An article moved (added, deleted, re-dated or re-tagged) changes the choice of another
    only through a tag they share: as one of its matches on two or more tags, or as one of
    the newest articles of a tag, scanned for one-tag matches (at most RELATED_COUNT picks
    past at most RELATED_COUNT taken: the first 2 * RELATED_COUNT + 1 of the tag's list).
    Articles sharing one tag with it, where it stands (stood) further down that tag's list,
    choose as before: the heads of their tag lists and their order are the same.
    """
    before = memo.get("places") if memo is not None else None
    old_urls = memo.get("urls") if memo is not None else None
    old_heads = memo.get("heads") if memo is not None else None
    if not (isinstance(before, dict) and isinstance(old_urls, dict)
            and isinstance(old_heads, dict)):
        return related_urls(articles, by_tag)
    moved = {u for u in places.keys() | before.keys() if places.get(u) != before.get(u)}
    if len(moved) > len(articles) // 10:
        return related_urls(articles, by_tag)
    redo = moved & places.keys()
    tag_sets = [set(place[1:]) for u in moved for place in (places.get(u), before.get(u))
                if place]
    slugs = {slug for tags in tag_sets for slug in tags}
    # Tags where a moved article is (was) near the head: their articles' one-tag matches.
    whole_tags = {slug for slug in slugs
                  if not moved.isdisjoint(old_heads.get(slug, ()))
                  or any(a.url in moved for a in by_tag.get(slug, ())[:REACH])}
    for slug in slugs:  # only articles sharing a tag with a moved one can choose anew
        for article in by_tag.get(slug, ()):
            url = article.url
            if url in redo:
                continue
            own = set(places[url][1:])
            if any(len(own & tags) >= 2 for tags in tag_sets) or (
                    not own.isdisjoint(whole_tags)
                    and not _full_of_pairs(own, old_urls[url], before)):
                redo.add(url)
    result = related_urls(articles, by_tag, redo)
    return {url: result[url] if url in redo else old_urls[url] for url in places}


def _full_of_pairs(own: set[str], chosen: Sequence[str],
                   before: dict[str, tuple[Any, ...]]) -> bool:
    """True when an article's last choice was all matches on two or more tags. No moved
    article shares two tags with it (else it is redone anyway), so those matches, their
    counts and their order are the same, and the heads of its tag lists, where a moved
    article may now stand, are never read: its choice stands."""
    return len(chosen) == RELATED_COUNT and all(
        len(own.intersection(before[url][1:])) >= 2 for url in chosen)


def related_urls(articles: tuple[Article, ...], by_tag: dict[str, tuple[Article, ...]],
                 only: set[str] | None = None) -> dict[str, tuple[str, ...]]:
    """The URLs of up to 5 related articles per article URL (see `related_articles`);
    with `only`, for those article URLs only.

    Counting over every article that shares a tag is quadratic on a real archive, where a few
    tags hold thousands of articles; only pairwise intersections can share two or more tags,
    and the best one-tag matches are the newest heads of each tag list. Articles are numbered
    by their place (newest first), so sets and sorts work on small integers.
    """
    number = {a.url: i for i, a in enumerate(articles)}
    tag_lists = _ByTag(lambda slug: list(map(number.__getitem__, map(_URL, by_tag[slug]))))
    tag_sets = _ByTag(lambda slug: frozenset(tag_lists[slug]))
    # Articles by pair of tags: far shorter lists than by tag, and exactly those sharing two.
    # For a few articles, only their own pairs are needed: intersections, not a full index.
    by_pair: dict[tuple[str, str], Collection[int]]
    if only is not None and len(only) < len(articles) // 4:
        by_pair = _PairIntersections(tag_sets)
    else:
        by_pair = defaultdict(list)
        for n, article in enumerate(articles):
            for pair in itertools.combinations(sorted({t.slug for t in article.tags}), 2):
                by_pair[pair].append(n)  # type: ignore[attr-defined]
    result: dict[str, tuple[str, ...]] = {}
    for me, article in enumerate(articles):
        if only is not None and article.url not in only:
            continue
        own = sorted({t.slug for t in article.tags})
        slugs = sorted(own, key=lambda s: len(tag_sets[s]))
        sets = [tag_sets[s] for s in slugs]
        shared: set[int] = set()
        for pair in itertools.combinations(own, 2):
            shared.update(by_pair[pair])
        shared.discard(me)
        ranked = sorted((-sum(n in s for s in sets), n) for n in shared)
        chosen = [n for _, n in ranked[:RELATED_COUNT]]
        if len(chosen) < RELATED_COUNT:
            taken = {me, *chosen}
            heads: set[int] = set()
            for slug in slugs:
                picked = 0
                for other in tag_lists[slug]:
                    if other not in taken:
                        heads.add(other)
                        picked += 1
                        if picked > RELATED_COUNT:
                            break
            chosen += sorted(heads)[:RELATED_COUNT - len(chosen)]
        result[article.url] = tuple(articles[n].url for n in chosen)
    return result


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


def index_site(articles: list[Article], authors: dict[str, Author], tags: dict[str, Tag],
               sections: dict[str, Section], pages: list[Page],
               memo: dict[str, Any] | None = None) -> Site:
    """Sort, group and link the published articles into the Site."""
    ordered = tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.url)))
    by_author: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    by_section: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for author in article.authors:
            by_author[author.id].append(article)
        for tag in article.tags:
            by_tag[tag.slug].append(article)
        if article.section:
            by_section[article.section.slug].append(article)
    # Every article has an entry (an article without a section has no neighbours), so that
    # whoever patches the site can look any article up, as by_author and by_tag allow.
    neighbours: dict[str, tuple[Article | None, Article | None]] = {
        article.url: (None, None) for article in ordered if not article.section}
    for group in by_section.values():
        for i, article in enumerate(group):
            newer = group[i - 1] if i > 0 else None
            older = group[i + 1] if i + 1 < len(group) else None
            neighbours[article.url] = (older, newer)
    tag_lists = {k: tuple(v) for k, v in by_tag.items()}
    used_tags = tuple(sorted((tags[s] for s in tag_lists), key=lambda t: t.slug))
    return Site(
        articles=ordered,
        authors=tuple(sorted(authors.values(), key=lambda a: (a.name.casefold(), a.id))),
        tags=used_tags,
        sections=tuple(sections.values()),
        pages=tuple(sorted(pages, key=lambda p: p.url)),
        by_author={k: tuple(v) for k, v in by_author.items()},
        by_tag=tag_lists,
        by_section={k: tuple(v) for k, v in by_section.items()},
        neighbours=neighbours,
        related=related_articles(ordered, tag_lists, memo),
    )
