"""What names a model object across builds: its ref.

An article, an author, a tag, a section and a standalone page each have one value per
build, found by a name that does not change when the object is edited: an article's or a
page's source file, an author's, a tag's or a section's URL (each language of a
multilingual site has its own, under its folder: /fr/authors/ann-lee/). The engine records what a
page read of each object by that name (sitegen.render.recording), and looks the object up
by it in the next build's model (sitegen.engine.keys) to see whether what was read changed.
Everything else in the model (a correction, a link, a date) is a plain value, compared whole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from sitegen.model.site import Article, Author, Page, Section, Site, Tag

ReadSet = tuple[str, ...]  # what a page read: ref, attributes (sorted, space-separated), ...
WHOLE = "*"  # read as an attribute: every field of the object, and of the objects it holds

# Prefixed so that names of different kinds never meet (a tag and an author both "news").
REF_OF: dict[type, Callable[[Any], str]] = {
    Article: lambda a: "a" + a.source,
    Author: lambda a: "u" + a.url,
    Tag: lambda t: "t" + t.url,
    Section: lambda s: "s" + s.url,
    Page: lambda p: "p" + p.source,
}


def ref(value: Any) -> str | None:
    """The ref of a model object (interned: every page's record of reads shares it)."""
    of = REF_OF.get(type(value))
    return sys.intern(of(value)) if of is not None else None


def index(site: Site) -> dict[str, Any]:
    """Every object of the site (of each of its languages) by its ref: the authors, tags and
    sections of articles besides those with profiles or listings, so that every one an
    article points at is found."""
    found: dict[str, Any] = {}
    listed: set[int] = set()  # ids of the site's own: an article's parts are mostly those
    for one in (site, *site.others):
        for group in (one.sections, one.tags, one.authors, one.pages, one.articles):
            for value in group:
                found[REF_OF[type(value)](value)] = value
            listed.update(map(id, group))
        for article in one.articles:
            held: list[Any] = [*article.authors, *article.tags, article.section,
                               *(term for _, terms in article.terms for term in terms)]
            for part in held:
                if part is not None and id(part) not in listed:
                    found.setdefault(REF_OF[type(part)](part), part)
    return found
