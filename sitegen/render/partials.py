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
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.nodes
from markupsafe import Markup

from sitegen.render import recording

_local = threading.local()

# At most this many partials kept (the longest unused dropped first): 17 MB in each worker
# whatever the archive's size, where keeping all would grow by some 8 KB per article
# (sitegen holds nothing per article that large). Pages are rendered in the order of the
# articles they show (sitegen.engine.produce), so most reuse is of teasers used recently:
# at 10,000 articles, 43,600 teasers rendered against 42,000 when 20,000 were kept.
MAX_KEPT = 10_000

Kept = tuple[tuple[Any, tuple[str, ...]], ...]  # what a partial read: (object, attributes)


@dataclass
class Memo:
    """One build's partials: their HTML and record of reads by arguments, and the templates."""

    html: dict[tuple[Any, ...], tuple[Markup, Kept]] = field(default_factory=dict)
    templates: dict[str, tuple[jinja2.Template, dict[str, Any]]] = field(default_factory=dict)


@contextmanager
def memo(kept: Memo) -> Iterator[None]:
    """Partials rendered in this thread meanwhile are kept in `kept` (one build's)."""
    outer = getattr(_local, "memo", None)
    _local.memo = kept
    try:
        yield
    finally:
        _local.memo = outer


def referenced(ast: jinja2.nodes.Template) -> Iterator[str | None]:
    """The templates a parsed template renders through `partial(...)`: a name, or None for
    one chosen at run time (the page then depends on every template, as for an include
    of a variable). Read with Jinja2's own `find_referenced_templates` by the engine."""
    for call in ast.find_all(jinja2.nodes.Call):
        if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "partial":
            first = call.args[0] if call.args else None
            yield (first.value if isinstance(first, jinja2.nodes.Const)
                   and isinstance(first.value, str) else None)


def _template(env: jinja2.Environment, name: str,
              kept: Memo | None) -> tuple[jinja2.Template, dict[str, Any]]:
    """The template and its globals as one dict, looked up once per build (Jinja2 merges
    its chain of globals into every render's context)."""
    if kept is None:
        template = env.get_template(name)
        return template, dict(template.globals)
    hit = kept.templates.get(name)
    if hit is None:
        template = env.get_template(name)
        hit = kept.templates[name] = (template, dict(template.globals))
    return hit


def _render(template: jinja2.Template, names: dict[str, Any]) -> Markup:
    """Template.render, with `names` (globals included) as the context itself."""
    env = template.environment
    try:
        return Markup(env.concat(template.root_render_func(
            template.new_context(names, shared=True))))
    except Exception:
        env.handle_exception()  # re-raised with the template's own lines in the traceback
        raise


@recording.site_only
@jinja2.pass_context
def partial(context: Any, name: str, /, **args: Any) -> Markup:
    """`name` rendered with the page's `site` and `args` (a memo hit when one is open)."""
    site = context.get("site")
    kept: Memo | None = getattr(_local, "memo", None)
    key: tuple[Any, ...] = ()
    if kept is not None:
        # The arguments in the call's order (one call site always gives the same), model
        # objects by identity; an unhashable value makes the key unhashable: not kept.
        entities = recording.ENTITIES
        key = (name, id(site), *[(k, ("id", id(v)) if type(v) in entities else v)
                                 for k, v in args.items()])
        memo = kept.html
        try:
            hit = memo.get(key)
        except TypeError:
            kept, hit = None, None
        if hit is not None:
            del memo[key]  # kept as the newest: the longest unused are dropped first
            memo[key] = hit
            recording.merge(hit[1])
            return hit[0]
    template, names = _template(context.environment, name, kept)
    with recording.recording() as reads:
        html = _render(template, {**names, "site": site, **args})
    read = tuple((obj, tuple(attributes)) for obj, attributes in reads.values())
    recording.merge(read)
    if kept is not None:
        if len(kept.html) >= MAX_KEPT:
            del kept.html[next(iter(kept.html))]
        kept.html[key] = (html, read)
    return html
