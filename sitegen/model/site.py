"""Stage 4: the site as immutable data. No I/O and no Jinja here.

Templates receive these objects as they are. Articles refer to their neighbours and related
articles by URL key (see `Site.article_by_url`) rather than by reference, so the model stays
a tree that any stage can build or cache piecewise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sitegen.model.body import NO_BODY, Body


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Author:
    """A byline's person (or organisation) and their page at /authors/<id>/."""

    id: str
    name: str
    url: str
    role: str = ""
    bio_html: str = ""
    bio_text: str = ""
    photo: str = ""
    email: str = ""
    links: tuple[Link, ...] = ()
    source: str = ""
    organization: bool = False  # `type: organization`: an editorial board, a desk, a wire
    bios: tuple[tuple[str, str, str], ...] = ()  # (language, HTML, text) when given per language
    roles: tuple[tuple[str, str], ...] = ()  # (language, role) when given per language


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Series:
    """A multi-part story (`series:` in front matter) and its page at /series/<slug>/."""

    name: str
    slug: str
    url: str


@dataclass(frozen=True)
class Section:
    """A desk (news, opinion, analysis, editorial); `title` is the label readers see."""

    slug: str
    title: str
    description: str
    url: str
    schema_type: str = "NewsArticle"  # schema.org type of its articles (sitegen.yaml sets it)

    @property
    def kind(self) -> str:
        """How the theme marks its articles apart (DESIGN.md §6): `news`, `analysis`,
        `opinion` or `editorial` (the opinion desk that speaks for the publication)."""
        if self.schema_type == "OpinionNewsArticle":
            return "editorial" if self.slug == "editorial" else "opinion"
        return "analysis" if self.schema_type == "AnalysisNewsArticle" else "news"


@dataclass(frozen=True)
class Correction:
    date: datetime
    text_html: str


@dataclass(frozen=True, slots=True)
class Article:
    """One published piece. `subtitle` is the dek; `authors` is the byline, in order.

    Slotted, and its body by reference (`body`; `body_html` reads it): an archive holds one
    per article, in the build and in the dev server, so it holds what listings, feeds,
    related articles and page keys read, and no more."""

    source: str
    slug: str
    url: str
    title: str
    date: datetime
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    tags: tuple[Tag, ...] = ()
    section: Section | None = None
    own_summary: str = ""  # the front matter's `summary`; `summary` falls back on the body's
    body: Body = NO_BODY
    word_count: int = 0
    reading_time: int = 1
    updated: datetime | None = None
    draft: bool = False
    image: str = ""
    image_alt: str = ""
    image_width: int = 0  # pixels, read from the file in static/; 0 when it is not there
    image_height: int = 0
    corrections: tuple[Correction, ...] = ()
    canonical: str = ""  # where the article was first published, when not here
    layout: str = ""  # a template of the theme to use instead of article.html
    # The terms of each taxonomy of sitegen.yaml besides tags: ((taxonomy, terms), ...).
    terms: tuple[tuple[str, tuple[Tag, ...]], ...] = ()
    series: Series | None = None
    series_order: int | None = None  # its place in the series, when not by date
    aliases: tuple[str, ...] = ()  # old URLs (root-relative) that redirect to this one
    language: str = "en"  # one of the site's languages (BCP 47)
    translation_key: str = ""  # shared with its translations (sitegen.model.translations)
    featured: bool = False  # `featured: true`: pinned to the front page's top slots
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # Made from the fields above (see __post_init__), read for every article at each build.
    # What related-article matching reads of it (sitegen.model.related): its time and its
    # tags' slugs; and when it last changed for a reader: updated, or its latest correction.
    related_place: tuple[Any, ...] = field(init=False, repr=False, compare=False)
    modified: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        set_field(self, "related_place",
                  (self.date.timestamp(), *(t.slug for t in self.tags)))
        times = [self.date, *(c.date for c in self.corrections)]
        if self.updated:
            times.append(self.updated)
        set_field(self, "modified", max(times))

    @property
    def body_html(self) -> str:
        """The rendered body (read from the body store when it is not held)."""
        return self.body.html

    @property
    def summary(self) -> str:
        """The front matter's summary, else the body's first paragraph as text (read with
        the body: feeds and head metadata show it, listings and keys need not hold it)."""
        return self.own_summary or self.body.first_paragraph

    def terms_of(self, taxonomy: str) -> tuple[Tag, ...]:
        """Its terms in one taxonomy (`regions`, `topics`...), in the order written."""
        return next((terms for name, terms in self.terms if name == taxonomy), ())

    @property
    def dek(self) -> str:
        return self.subtitle



@dataclass(frozen=True)
class Translation:
    """One language version of an article, for hreflang links and the "Read in" list."""

    language: str  # BCP 47 tag
    name: str  # the language's name in itself: Français, فارسی
    url: str
    title: str


@dataclass(frozen=True)
class Page:
    """A standalone page (About, Corrections policy) at /<slug>/."""

    source: str
    slug: str
    url: str
    title: str
    body_html: str
    summary: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """Everything that will be published, sorted newest first where it is a list of articles."""

    articles: tuple[Article, ...]
    authors: tuple[Author, ...]
    tags: tuple[Tag, ...]
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    by_author: dict[str, tuple[Article, ...]] = field(hash=False, compare=False)
    by_tag: dict[str, tuple[Article, ...]] = field(hash=False, compare=False)
    by_section: dict[str, tuple[Article, ...]] = field(hash=False, compare=False)
    neighbours: dict[str, tuple[Article | None, Article | None]] = field(hash=False, compare=False)
    related: dict[str, tuple[Article, ...]] = field(hash=False, compare=False)
    # Taxonomy -> its terms used (by slug), and taxonomy -> term slug -> articles.
    terms: dict[str, tuple[Tag, ...]] = field(default_factory=dict, hash=False, compare=False)
    by_term: dict[str, dict[str, tuple[Article, ...]]] = field(
        default_factory=dict, hash=False, compare=False)
    series: tuple[Series, ...] = ()
    by_series: dict[str, tuple[Article, ...]] = field(  # in reading order, part 1 first
        default_factory=dict, hash=False, compare=False)
    # A multilingual site: this Site is one language's; `others` the other languages'
    # (on the default language's Site only), `translations` every version of each of its
    # articles that has more than one, by article URL, in the order of `languages`.
    language: str = "en"
    others: tuple[Site, ...] = field(default=(), hash=False, compare=False)
    translations: dict[str, tuple[Translation, ...]] = field(
        default_factory=dict, hash=False, compare=False)

    @property
    def every_article(self) -> tuple[Article, ...]:
        """The articles of every language."""
        if not self.others:
            return self.articles
        return tuple(a for site in (self, *self.others) for a in site.articles)
    logo_size: tuple[int, int] = (0, 0)  # the publisher logo's pixels, read from static/
