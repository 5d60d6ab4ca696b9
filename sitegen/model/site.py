"""Stage 4: the site as immutable data. No I/O and no Jinja here.

Templates receive these objects as they are. Articles refer to their neighbours and related
articles by URL key (see `Site.article_by_url`) rather than by reference, so the model stays
a tree that any stage can build or cache piecewise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any


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


@dataclass(frozen=True)
class Tag:
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


@dataclass(frozen=True)
class Article:
    """One published piece. `subtitle` is the dek; `authors` is the byline, in order."""

    source: str
    slug: str
    url: str
    title: str
    date: datetime
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    tags: tuple[Tag, ...] = ()
    section: Section | None = None
    summary: str = ""
    body_html: str = ""
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
    featured: bool = False  # `featured: true`: pinned to the front page's top slots
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def dek(self) -> str:
        return self.subtitle

    @cached_property  # read for every article at each build: see sitegen.model.related
    def related_place(self) -> tuple[Any, ...]:
        """What related-article matching reads of it: its time and its tags' slugs."""
        return (self.date.timestamp(), *(t.slug for t in self.tags))

    @cached_property  # read for every listing and feed the article is in
    def modified(self) -> datetime:
        """When the article last changed for a reader: updated, or its latest correction."""
        times = [self.date, *(c.date for c in self.corrections)]
        if self.updated:
            times.append(self.updated)
        return max(times)


@dataclass(frozen=True)
class Page:
    """A standalone page (About, Corrections policy) at /<slug>/."""

    source: str
    slug: str
    url: str
    title: str
    body_html: str
    summary: str = ""


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
    logo_size: tuple[int, int] = (0, 0)  # the publisher logo's pixels, read from static/
