"""Stage 5: validated front matter plus rendered bodies into the immutable Site.

Resolves bylines, tags and sections; drops drafts and future articles unless asked; sorts
newest first; links neighbours in each section; picks related articles; and refuses two
outputs on one URL.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from sitegen.config import Config, did_you_mean
from sitegen.config_languages import section_text, table_namer
from sitegen.content import handin, markup, plaintext, yamlio
from sitegen.content.slugs import slugify
from sitegen.errors import Problems, name_list
from sitegen.model import related
from sitegen.model.body import Body
from sitegen.model.entries import Entry, alias_url, permalink, url_join
from sitegen.model.site import Article, Author, Correction, Page, Section, Series, Site, Tag

# Terms of every taxonomy (by taxonomy, then slug), and series by slug: see `groups`.
Groups = tuple[dict[str, dict[str, Tag]], dict[str, Series]]


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


def check_bylines(entries: Iterable[Entry], authors: dict[str, Author] | Collection[str],
                  problems: Problems) -> list[str]:
    """An error for each front matter author that is neither an id in `authors` nor the
    `name` of a profile (see `author_for`; ids alone: by id only); returns those bylines,
    each once, in path order."""
    known = sorted(authors)
    profiles = authors if isinstance(authors, dict) else {}
    unknown: dict[str, None] = {}
    named: set[str] = set()  # display names that found a profile by its `name`
    for entry in entries:
        for value in entry.author_ids:
            if value in authors or value in named:
                continue
            if value not in unknown and author_for(value, profiles) is not None:
                named.add(value)
                continue
            unknown[value] = None
            key = "authors" if entry.source.has_key("authors") else "author"
            _unknown_author(entry, key, value, profiles, known, problems)
    return list(unknown)


def author_for(value: str, authors: dict[str, Author]) -> Author | None:
    """The author a front matter byline names: by id, else by the profile's `name`
    (`author: Jacob Hoffman-Andrews` finds jacob-hoffman-andrews.yaml's `name:`)."""
    found = authors.get(value)
    if found is not None:
        return found
    key = _name_key(value)
    guess = authors.get(slugify(value))
    if guess is not None and _name_key(guess.name) == key:
        return guess
    return next((a for a in authors.values() if _name_key(a.name) == key), None)


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _unknown_author(entry: Entry, key: str, value: str, authors: dict[str, Author],
                    known: list[str], problems: Problems) -> None:
    """The error for a byline no profile answers, at its line, saying what file to make."""
    line, col = entry.source.line_of(key)
    item = yamlio.value_line(entry.source.meta_text, value, line - entry.source.meta_line)
    if item + entry.source.meta_line != line:
        line = item + entry.source.meta_line
        col = entry.source.meta_text.split("\n")[item].index(value) + 1
    problems.error(entry.source.path, line, col, unknown_author(value, authors, known))


def unknown_author(value: str, authors: dict[str, Author], known: list[str]) -> str:
    """What is wrong with a byline no profile answers, and the file that makes it right:
    an id names its file; a display name gets the id its file must have, and the `name`."""
    author_id = slugify(value)
    hint = did_you_mean(value, known) or _did_you_mean_name(value, authors)
    listed = f"Known authors: {name_list(known)}."
    if value == author_id:
        shown = value.replace("-", " ").title()
        return (f"unknown author `{value}`.{hint} {listed} To add this author, create "
                f"content/authors/{value}.yaml with the name to show, e.g. `name: {shown}`.")
    return (f"unknown author `{value}`: no profile has this id or this `name`.{hint} "
            f"{listed} To add this author, create content/authors/{author_id}.yaml with "
            f"`name: {value}` (the byline then finds the profile by its name; "
            f"`author: {author_id}` works too).")


def _did_you_mean_name(value: str, authors: dict[str, Author]) -> str:
    names = {a.name: a.id for a in authors.values()}
    close = difflib.get_close_matches(value, sorted(names), n=1, cutoff=0.8)
    return f" Did you mean `{close[0]}` (id `{names[close[0]]}`)?" if close else ""


def build_article(entry: Entry, config: Config, body: Body | str,
                  authors: dict[str, Author], tags: dict[str, Tag],
                  sections: dict[str, Section], words: int | None = None,
                  first_paragraph: str | None = None,
                  inline: Callable[[str], str] = markup.inline_markdown,
                  image_size: tuple[int, int] | None = None,
                  groups: Groups | None = None, chars: int | None = None) -> Article:
    """The published article; `words` (`chars` of them CJK characters) and
    `first_paragraph` may come precomputed (cache), with the body by reference (see
    Body); a body given as text is held."""
    if isinstance(body, str):
        if words is None or chars is None:
            words, chars = markup.text_counts(body)
        first = (first_paragraph if first_paragraph is not None
                 else markup.first_paragraph_text(body))
        body = Body.of(markup.named_tables(body, table_namer(config)), entry.source.rel,
                       first)
    else:
        if words is None or chars is None:
            words, chars = markup.text_counts(body.html)
        if body.tables:  # their captions are in the article's language, named as read
            body = body.named(functools.partial(markup.named_tables,
                                                name=table_namer(config)))
    return Article(
        source=entry.source.rel, slug=entry.slug, url=permalink(config, entry),
        title=entry.title, date=entry.date, subtitle=entry.subtitle,
        authors=tuple(dict.fromkeys(_author(authors, a) for a in entry.author_ids)),
        tags=tuple(dict.fromkeys(tags[slugify(t)] for t in entry.tag_names)),
        section=sections.get(entry.section), own_summary=entry.summary,
        body=body, word_count=words,
        reading_time=markup.reading_minutes(words, chars, entry.language),
        updated=entry.updated, draft=entry.draft,
        image=entry.image, image_alt=entry.image_alt,
        image_width=image_size[0] if image_size else 0,
        image_height=image_size[1] if image_size else 0,
        corrections=tuple(Correction(d, inline(t)) for d, t in entry.corrections),
        canonical=entry.canonical, layout=entry.layout, featured=entry.featured,
        extra=entry.extra,
        **grouped(entry, groups),
        aliases=tuple(alias_url(config, a) for a in entry.aliases),
        language=entry.language, translation_key=entry.translation_key,
    )


def _author(authors: dict[str, Author], value: str) -> Author:
    found = authors.get(value) or author_for(value, authors)
    if found is None:
        raise KeyError(value)  # an author the site does not have (see check_bylines)
    return found


def grouped(entry: Entry, groups: Groups | None) -> dict[str, Any]:
    """An article's terms and series, as `groups` made them (none without)."""
    if groups is None:
        return {"terms": (), "series": None, "series_order": None}
    terms, series = groups
    return {"terms": tuple((name, tuple(dict.fromkeys(terms[name][slugify(t)] for t in names)))
                           for name, names in entry.terms if names),
            "series": series.get(slugify(entry.series)) if entry.series else None,
            "series_order": entry.series_order}


def make_groups(entries: Iterable[Entry], config: Config) -> Groups:
    """The terms of each taxonomy and the series the entries name: one object per slug,
    named by its first spelling in path order, as tags are."""
    terms: dict[str, dict[str, Tag]] = {t.name: {} for t in config.taxonomies}
    series: dict[str, Series] = {}
    for entry in sorted(entries, key=lambda e: e.source.rel):
        for name, names in entry.terms:
            for term in names:
                slug = slugify(term)
                terms[name].setdefault(slug, Tag(term, slug, url_join(config, f"/{name}/{slug}/")))
        if entry.series:
            slug = slugify(entry.series)
            series.setdefault(slug, Series(entry.series, slug,
                                           url_join(config, f"/series/{slug}/")))
    return terms, series


def group_site(ordered: tuple[Article, ...]) -> dict[str, Any]:
    """The Site's taxonomy and series fields for its articles (newest first)."""
    by_term: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    by_series: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for name, its_terms in article.terms:
            for term in its_terms:
                by_term[name][term.slug].append(article)
        if article.series:
            by_series[article.series.slug].append(article)
    terms = {name: tuple(sorted({t.slug: t for a in ordered for t in a.terms_of(name)}.values(),
                                key=lambda t: t.slug)) for name in by_term}
    series = {a.series.slug: a.series for a in ordered if a.series}
    return {
        "terms": terms,
        "by_term": {name: {slug: tuple(arts) for slug, arts in groups.items()}
                    for name, groups in by_term.items()},
        "series": tuple(sorted(series.values(), key=lambda s: s.slug)),
        "by_series": {slug: tuple(sorted(arts, key=_series_place))
                      for slug, arts in by_series.items()},
    }


def _series_place(article: Article) -> tuple[float, float, str]:
    """Reading order: `series_order` where given (parts without one after), then date."""
    order = article.series_order if article.series_order is not None else float("inf")
    return order, article.date.timestamp(), article.url


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
    """The sections, titled and described in the configuration's language."""
    return {s.name: Section(s.name, section_text(config, s, "title"),
                            section_text(config, s, "description"),
                            url_join(config, f"/{s.name}/"), s.schema_type)
            for s in config.sections}


# ---------------------------------------------------------------- pages


# ---------------------------------------------------------------- the site


def url_key(url: str) -> str:
    """A URL as hosts and file systems may compare it: case-insensitively, normalised."""
    if url.isascii():  # nearly every URL: nothing to normalise, nothing worth remembering
        return url.lower()
    return _unicode_key(url)


@functools.lru_cache(maxsize=1 << 12)  # the dev server checks the same URLs at each save
def _unicode_key(url: str) -> str:
    return unicodedata.normalize("NFC", url).casefold()


def check_collisions(urls: list[tuple[str, str]], problems: Problems, root: Path) -> None:
    """Two outputs on one URL, compared case-insensitively and after Unicode normalisation."""
    seen: dict[str, str] = {}
    for url, source in urls:
        key = url_key(url)
        if key in seen and seen[key] != source:
            problems.error(Path(root / source), 1, 1, f"its URL {url} is also the URL of "
                           f"{seen[key]}. Give one of them another `slug`.")
        seen.setdefault(key, source)


def check_aliases(site: Site, published: Iterable[Entry], problems: Problems,
                  root: Path) -> None:
    """An alias that is the URL of another article or page, or an alias of another file
    too: an error naming both files, at the `aliases` line where the file has one."""
    owners = {url_key(a.url): a.source for a in site.articles}
    owners.update({url_key(p.url): p.source for p in site.pages})
    # Where each file's `aliases` line is, looked up for the files reported only.
    sources = {e.source.rel: e.source for e in published}
    claimed: dict[str, str] = {}
    pieces: list[tuple[str, tuple[str, ...]]] = [(a.source, a.aliases) for a in site.articles]
    pieces += [(p.source, p.aliases) for p in site.pages]
    for source, aliases in pieces:
        for alias in aliases:
            key = url_key(alias if not alias.endswith("/index.html") else alias[:-10])
            other = owners.get(key) or claimed.setdefault(key, source)
            if other != source:
                what = "the URL" if key in owners else "an alias"
                found = sources.get(source)
                line = found.line_of("aliases")[0] if found is not None else 1
                problems.error(root / source, line, 1, f"alias {alias} is "
                               f"also {what} of {other}. Remove it from one of the two files.")
def newest_first(article: Article) -> tuple[float, str]:
    """The site's order of articles (every list of them): newest first, then by URL."""
    return -article.date.timestamp(), article.url


def index_site(articles: list[Article], authors: dict[str, Author], tags: dict[str, Tag],
               sections: dict[str, Section], pages: list[Page],
               memo: dict[str, Any] | None = None) -> Site:
    """Sort, group and link the published articles into the Site."""
    ordered = tuple(sorted(articles, key=newest_first))
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
        related=related.related_articles(ordered, tag_lists, memo),
        **group_site(ordered),
    )
