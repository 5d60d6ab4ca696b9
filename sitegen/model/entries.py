"""Front matter into typed, checked entries: an article's Entry (an author's profile and a
standalone page are read in sitegen.model.profiles). Every problem is reported at the
field's line; nothing here knows the rest of the site (that is sitegen.model.assemble).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from sitegen.config import Config, did_you_mean
from sitegen.content import handin, markup
from sitegen.content.fields import FieldReader
from sitegen.content.sanitize import safe_url
from sitegen.content.slugs import MAX_SLUG_BYTES, is_valid_slug, slugify
from sitegen.content.sources import Source
from sitegen.errors import Problems
from sitegen.model import translations

# Each tag of an article is a page and a feed (in every format) that carries the article's
# entry, which lists all its tags, and the related-article choice pairs them up: an
# article's cost grows with the square of its tag count (2,000 tags on 21 articles: 3 min,
# and gigabytes for the tag pairs). Beyond this many, an article's tags are an error.
MAX_TAGS = 50

ARTICLE_FIELDS = {
    "title", "subtitle", "date", "authors", "author", "tags", "section", "slug", "summary",
    "updated", "draft", "image", "image_alt", "corrections", "canonical", "layout",
    "aliases", "extra", "series", "series_order", "language", "lang", "translation_key",
    "featured",
}
PAGE_FIELDS = {"title", "slug", "summary", "draft", "aliases", "extra"}
AUTHOR_FIELDS = {"name", "role", "bio", "photo", "email", "links", "type", "extra"}
AUTHOR_TYPES = ("person", "organization")


@dataclass(frozen=True, slots=True)
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
    featured: bool = False  # pinned to the front page's lead and top stories
    byline: tuple[tuple[str, str], ...] = ()
    bios: tuple[tuple[str, str], ...] = ()
    byline_line: int = 0  # 1-based line of the byline in the file
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # taxonomy -> names, as written
    series: str = ""
    series_order: int | None = None
    aliases: tuple[str, ...] = ()  # old URLs that redirect here (see read_aliases)
    language: str = "en"  # a tag of the site's languages (sitegen.model.translations)
    translation_key: str = ""  # shared by the article's translations


def url_join(config: Config, path: str) -> str:
    """A root-relative URL for a site path, with base_url's own path in front."""
    return config.root_path + path


def alias_url(config: Config, alias: str) -> str:
    """An old URL as a root-relative URL: a path from the site's root, in any language (a
    Persian article's old `/fa/1403/x/` stays there, not under a second `/fa/`)."""
    return config.site_path + alias


# ---------------------------------------------------------------- authors


# ---------------------------------------------------------------- articles


def read_entry(source: Source, config: Config, problems: Problems,
               hand_in: handin.HandIn | None = None, *,
               salvage: list[Entry] | None = None) -> Entry | None:
    """Check an article's front matter; None (with problems reported) when it is wrong.

    A `.txt` article is a hand-in (see `sitegen.content.handin`): what its front matter does not say
    its text may (title, subtitle, authors); front matter always wins. `hand_in` is its text
    already parsed (the content stage caches it), else the text in `source.body` is parsed.
    `salvage` receives a wrong article's entry when it has a date, with its wrong values
    left out: a failing build checks its byline, layout and templates too (see
    `salvaged`), so that its next run does not bring new problems to light.
    """
    if source.kind == "txt":
        return read_handin_entry(source, config, problems, hand_in, salvage)
    return read_front_matter(source, config, problems, salvage)


def read_handin_entry(source: Source, config: Config, problems: Problems,
                      hand_in: handin.HandIn | None = None,
                      salvage: list[Entry] | None = None) -> Entry | None:
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
                              config, problems, salvage)
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


def read_front_matter(source: Source, config: Config, problems: Problems,
                      salvage: list[Entry] | None = None) -> Entry | None:
    """Check an article's front matter; None (with problems reported) when it is wrong."""
    taxonomies = [t.name for t in config.taxonomies]
    f = FieldReader(source, problems, ARTICLE_FIELDS | set(taxonomies))
    tz = config.tz
    title = f.text("title", required=True)
    when = _date(f, source, tz)  # or, wrong but named in the file name, that date
    costly = _check_body(f, source, problems)
    placed = translations.place(source, config, f)  # its language, and its name in it
    entry = Entry(
        source=source, title=title, subtitle=f.text("subtitle"), date=when or datetime.min,
        author_ids=tuple(_byline_ids(f, source)), tag_names=_tags(f),
        section=_section(f, config), slug=_slug(f, source, placed.name),
        summary=f.text("summary"),
        updated=_updated(f, tz, when), draft=f.flag("draft"), image=_image(f, source),
        image_alt=f.text("image_alt"), corrections=_corrections(f, source, tz),
        canonical=_canonical(f), layout=_layout(f), extra=f.mapping("extra"),
        aliases=read_aliases(f),
        terms=tuple((name, tuple(f.text_list(name))) for name in taxonomies),
        series=f.text("series"), series_order=_series_order(f, source),
        language=placed.language, translation_key=placed.translation_key,
        featured=f.flag("featured"),
    )
    return _checked(entry, f, when is not None and not costly, salvage)


def _byline_ids(f: FieldReader, source: Source) -> list[str]:
    author_ids = f.text_list("authors")
    if "author" in source.meta:
        if author_ids:
            f.error("author", "use either `author` or `authors`, not both.")
        author_ids = f.text_list("author")
    return author_ids


def _section(f: FieldReader, config: Config) -> str:
    section = f.text("section")
    names = [s.name for s in config.sections]
    if section and section not in names:
        f.error("section", f"unknown section `{section}`.{did_you_mean(section, names)} "
                f"Sections: {', '.join(names)} (set them in sitegen.yaml).")
    return section


def _slug(f: FieldReader, source: Source, name: str) -> str:
    slug = f.text("slug") or name
    if is_valid_slug(slug):
        return slug
    if "slug" in source.meta:
        f.error("slug", f"`{slug[:60]}` cannot be used in a URL. Use letters, digits "
                f"and hyphens, at most {MAX_SLUG_BYTES} bytes, e.g. `{slugify(slug)}`.")
        return slug
    return slugify(slug)


def _check_body(f: FieldReader, source: Source, problems: Problems) -> bool:
    """A Markdown body whose nesting would make rendering it take minutes is refused."""
    costly = markup.too_costly(source.body) if source.kind == "md" else None
    if costly:
        problems.error(source.path, source.body_line + costly[0], 1, costly[1])
        f.ok = False
    return costly is not None


def _image(f: FieldReader, source: Source) -> str:
    if not safe_url(str(source.meta.get("image") or "")):
        f.error("image", "`image` must be a path or an http(s) URL.")
    return f.text("image")


def _canonical(f: FieldReader) -> str:
    canonical = f.text("canonical")
    if canonical and not _is_canonical_url(canonical):
        f.error("canonical", f"`{canonical}` is not a URL. Write the full address where the "
                "article was first published (https://...) or a path on this site (/...).")
    return canonical


def _updated(f: FieldReader, tz: Any, published: datetime | None) -> datetime | None:
    """`updated`, which cannot come before the article's `date`."""
    updated = f.when("updated", tz)
    if updated is not None and published is not None and updated < published:
        f.error("updated", f"`updated` ({updated.isoformat()}) is before `date` "
                f"({published.isoformat()}). An update comes after publication: correct one "
                "of them, or remove `updated`.")
        return None
    return updated


_NAMED_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")


def _date(f: FieldReader, source: Source, tz: tzinfo) -> datetime | None:
    """The `date` field; or, when it is missing but the file name starts with one
    (Jekyll's `2001-01-18-slug.md`), an error saying the line to add, and that date: a
    failing build checks the article further with it (see `salvaged`)."""
    found = _NAMED_DATE.match(source.path.name)
    named = None
    if found:
        year, month, day = map(int, found.groups())
        try:
            named = datetime(year, month, day, tzinfo=tz)
        except ValueError:
            named = None
    if "date" in source.meta or named is None:
        return f.when("date", tz, required=True)
    text = named.date().isoformat()
    f.problems.error(source.path, max(source.meta_line, 1), 1, f"`date` is required; the "
                     f"file name gives {text}. Add `date: {text}` to the front matter (with "
                     f"a time if it has one: `date: {text} 09:30`).",
                     kind="`date` is required, and the file name gives it. Add `date:` and "
                     "that date to the front matter.")
    f.ok = False
    return named


def _checked(entry: Entry, f: FieldReader, dated: bool,
             salvage: list[Entry] | None) -> Entry | None:
    """The entry when its front matter is right; else None, and (when it is dated and its
    body can be read) the entry without its wrong values into `salvage`."""
    if f.ok and dated:
        return entry
    if salvage is not None and dated:
        salvage.append(salvaged(entry, f.bad))
    return None


def salvaged(entry: Entry, bad: set[str]) -> Entry:
    """A wrong article's entry without its wrong values, for the checks of the stages after
    (it is never published: the build that read it fails)."""
    return dataclasses.replace(
        entry, section="" if "section" in bad else entry.section,
        slug=slugify(entry.slug) if "slug" in bad else entry.slug,
        image="" if "image" in bad else entry.image,
        canonical="" if "canonical" in bad else entry.canonical)


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


def _series_order(f: FieldReader, source: Source) -> int | None:
    value = source.meta.get("series_order")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        f.error("series_order", "`series_order` must be a whole number of at least 1: the "
                "article's part in its series (1 for the first).")
        return None
    if not source.meta.get("series"):
        f.error("series_order", "`series_order` needs a `series: name` beside it.")
    return value


_LAYOUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _layout(f: FieldReader) -> str:
    """A template name chosen by the article: a bare name, so it can never leave the theme."""
    layout = f.text("layout")
    if layout and not _LAYOUT.match(layout):
        f.error("layout", f"`{layout}` is not a template name. Use lowercase letters, digits "
                "and hyphens, e.g. `layout: wide` for the theme's wide.html.")
        return ""
    return layout


_ALIAS_CHARS = re.compile(r"^/[^\s\\<>\"'`#]*$")


def read_aliases(f: FieldReader) -> tuple[str, ...]:
    """The `aliases` field: old paths of this site that must keep answering. `/2019/05/x/`
    and `/2019/05/x.html` get a redirect page; one with a query (`/?p=12`, WordPress's
    short link) only a line in `_redirects`, as no file can answer a query."""
    aliases = []
    for alias in f.text_list("aliases"):
        path = alias.split("?", 1)[0]
        if (not _ALIAS_CHARS.match(alias) or alias.startswith("//")
                or ".." in path.split("/") or "/./" in path):
            f.error("aliases", f"alias `{alias[:80]}` is not a path on this site. Write old "
                    "URLs as paths from the site's root: `/2019/05/old-slug.html`, "
                    "`/old/path/`.")
            continue
        aliases.append(alias)
    return tuple(dict.fromkeys(aliases))


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


def _tags(f: FieldReader) -> tuple[str, ...]:
    names = f.text_list("tags")
    if len(dict.fromkeys(n.casefold() for n in names)) > MAX_TAGS:
        f.error("tags", f"{len(names)} tags; an article takes at most {MAX_TAGS} (each is a "
                "page and a feed that lists them all). Keep the ones readers browse by, or "
                "put the others under `extra`.")
        return ()
    return tuple(names)
