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
import jinja2.runtime

from sitegen.model.refs import REF_OF, WHOLE, ReadSet

_local = threading.local()  # the dev server renders pages in request threads too
ENTITIES = frozenset(REF_OF)

# What one page read so far: by object (its id), the object and the attributes read of it.
# Noted per lookup, so it is kept in the shape that costs least per lookup: a page makes
# hundreds, of a few dozen objects.
Reads = dict[int, tuple[Any, set[str]]]


@contextmanager
def recording() -> Iterator[Reads]:
    """Record the lookups made on model objects in this thread meanwhile."""
    outer = getattr(_local, "reads", None)
    reads: Reads = {}
    _local.reads = reads
    try:
        yield reads
    finally:
        _local.reads = outer


def add(reads: Reads, value: Any, attribute: str) -> None:
    hit = reads.get(id(value))
    if hit is None:
        reads[id(value)] = (value, {attribute})
    else:
        hit[1].add(attribute)


def merge(more: Iterable[tuple[Any, Iterable[str]]]) -> None:
    """Add what a part of the page read ((object, attributes) pairs: a reused partial's
    record) to this thread's record."""
    reads = getattr(_local, "reads", None)
    if reads is None:
        return
    for obj, attributes in more:
        hit = reads.get(id(obj))
        if hit is None:
            reads[id(obj)] = (obj, set(attributes))
        else:
            hit[1].update(attributes)


def note(value: Any, *attributes: str) -> None:
    """Python code read these attributes of `value` (a model object) for a template."""
    reads = getattr(_local, "reads", None)
    if reads is not None and type(value) in ENTITIES:
        for name in attributes:
            add(reads, value, name)


def site_only(func: Any) -> Any:
    """Mark a `pass_context` function that reads only `site` of its context (the page's
    language: `t`, `partial`...): see SiteContext."""
    func.site_only = True
    return func


class SiteContext(jinja2.runtime.Context):
    """Jinja2's context, whose `call` hands a `site_only` function the context itself
    rather than one derived with the loop's or block's variables (Jinja2 copies every
    variable into a new context for each such call: ten times an article page, each
    teaser of a list), unless those variables set `site` themselves."""

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if getattr(obj, "site_only", False):
            loop_vars = kwargs.get("_loop_vars") or ()
            block_vars = kwargs.get("_block_vars") or ()
            if "site" not in loop_vars and "site" not in block_vars:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                return obj(self, *args, **kwargs)
        return super().call(obj, *args, **kwargs)


class RecordingEnvironment(jinja2.Environment):
    """Jinja2's lookups (the same code as jinja2.Environment's), each one on a model object
    noted while a page is recorded."""

    context_class = SiteContext

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in ENTITIES:
            reads = getattr(_local, "reads", None)
            if reads is not None:
                hit = reads.get(id(obj))
                if hit is None:
                    reads[id(obj)] = (obj, {attribute})
                else:
                    hit[1].add(attribute)
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
        if type(obj) in ENTITIES and isinstance(argument, str):
            reads = getattr(_local, "reads", None)
            if reads is not None:
                add(reads, obj, argument)
        return super().getitem(obj, argument)


def fold(reads: Reads) -> tuple[ReadSet, list[Any]]:
    """The record of reads (in the order the page first read each object, which the same
    page with the same values repeats) and the objects it names, in the same order."""
    record: list[str] = []
    intern = sys.intern
    for obj, attributes in reads.values():
        record.append(intern(REF_OF[type(obj)](obj)))
        record.append(intern(WHOLE if WHOLE in attributes else " ".join(sorted(attributes))))
    return tuple(record), [obj for obj, _ in reads.values()]
