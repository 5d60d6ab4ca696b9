"""What a page read of the model while it was rendered: the page's record of reads.

Lektor records a page's dependencies while it renders; so does this. Templates see the
model's objects (articles, authors, tags, sections, pages) only through Jinja2's attribute
and item lookups, and `RecordingEnvironment` notes each lookup on such an object: the
archive reads an article's `title`, `url`, `date` and `section`, an article page its `body_html`
too. The record is kept with the page (sitegen.engine.keys): the next build's key of the page
digests the values of exactly what it read, so an edited dek renders the pages that show
the dek and not the archive, which shows only the headline.

Python code that reads the model on a template's behalf (a filter, the head metadata) says
what it reads with `note`. A template that prints a whole object or compares two objects
with `==` reads more than a lookup shows; the default theme does neither (it compares
slugs and URLs), and a theme that must can read `this.context` through lookups too.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import jinja2

from sitegen.model.refs import REF_OF, WHOLE, ReadSet

_local = threading.local()  # the dev server renders pages in request threads too
_ENTITIES = frozenset(REF_OF)


@contextmanager
def recording() -> Iterator[list[tuple[Any, str]]]:
    """Record the lookups made on model objects in this thread meanwhile."""
    outer = getattr(_local, "reads", None)
    reads: list[tuple[Any, str]] = []
    _local.reads = reads
    try:
        yield reads
    finally:
        _local.reads = outer


def note(value: Any, *attributes: str) -> None:
    """Python code read these attributes of `value` (a model object) for a template."""
    reads = getattr(_local, "reads", None)
    if reads is not None and type(value) in _ENTITIES:
        reads.extend((value, name) for name in attributes)


class RecordingEnvironment(jinja2.Environment):
    """Jinja2's lookups (the same code as jinja2.Environment's), each one on a model object
    noted while a page is recorded."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _ENTITIES:
            reads = getattr(_local, "reads", None)
            if reads is not None:
                reads.append((obj, attribute))
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        # Filters given an attribute name (sort, map, selectattr, groupby) look up here.
        if type(obj) in _ENTITIES and isinstance(argument, str):
            reads = getattr(_local, "reads", None)
            if reads is not None:
                reads.append((obj, argument))
        return super().getitem(obj, argument)


def fold(reads: Iterable[tuple[Any, str]]) -> tuple[ReadSet, list[Any]]:
    """The record of reads, by ref in order, and the objects it names (in the same order)."""
    by_object: dict[int, tuple[Any, set[str]]] = {}
    for obj, attribute in reads:
        hit = by_object.get(id(obj))
        if hit is None:
            by_object[id(obj)] = (obj, {attribute})
        else:
            hit[1].add(attribute)
    named = sorted(((sys.intern(REF_OF[type(obj)](obj)), obj, names)
                    for obj, names in by_object.values()), key=lambda item: item[0])
    record: list[str] = []
    for name, _, attributes in named:
        record.append(name)
        record.append(sys.intern(WHOLE if WHOLE in attributes else " ".join(sorted(attributes))))
    return tuple(record), [obj for _, obj, _ in named]
