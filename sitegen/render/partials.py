"""`partial("partials/teaser.html", article=a, level=3)`: a template rendered with `site` and
the arguments given, and nothing else, so that its HTML is a function of them. Within one
build it is then rendered once per distinct call and the HTML reused (Hugo's
`partialCached`, with the variant read from the arguments themselves): an article's teaser
appears on its tags', author's, section's and month's pages and in other articles' related
boxes, about seven times, and was rendered each time.

A reused partial still counts as read by every page that shows it: the lookups it made on
the model when it was first rendered (sitegen.render.recording) are added to each later
page's record, so an edited dek re-renders every page whose teaser shows it, as before.

The memo lives for one build's render (`memo`), never longer: its keys hold the model's
objects by identity, which only one build's model keeps alive and unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.render import recording

_local = threading.local()

Memo = dict[tuple[Any, ...], tuple[Markup, recording.Reads]]


@contextmanager
def memo(kept: Memo) -> Iterator[None]:
    """Partials rendered in this thread meanwhile are kept in `kept` (one build's)."""
    outer = getattr(_local, "memo", None)
    _local.memo = kept
    try:
        yield
    finally:
        _local.memo = outer


def _arg_key(value: Any) -> Any:
    # Model objects by identity (one build's model holds each once); plain values by value.
    if type(value) in recording.ENTITIES:
        return ("id", id(value))
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


@jinja2.pass_context
def partial(context: Any, name: str, /, **args: Any) -> Markup:
    """`name` rendered with the page's `site` and `args` (a memo hit when one is open)."""
    site = context.get("site")
    kept: Memo | None = getattr(_local, "memo", None)
    key = (name, id(site), *sorted((k, _arg_key(v)) for k, v in args.items()))
    if kept is not None:
        hit = kept.get(key)
        if hit is not None:
            recording.merge(hit[1])
            return hit[0]
    template = context.environment.get_template(name)
    with recording.recording() as reads:
        html = Markup(template.render({"site": site, **args}))
    recording.merge(reads)
    if kept is not None:
        kept[key] = (html, reads)
    return html
