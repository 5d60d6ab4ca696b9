"""Page keys: a digest of everything a page's bytes depend on, so unchanged pages are skipped.

A page's key hashes its template and every template that template extends, includes,
imports or renders with `partial()` (found in the parsed templates, not guessed), the
site-wide values every template sees, the page's own context with each model object in it
by its ref (which article, which author: sitegen.model.refs), and the values of what the
page read of those objects when it was last rendered (its record of reads,
sitegen.render.recording). Two builds that give a page the same key write the same bytes,
so the second neither renders nor writes it (the incremental tests check exactly that
against clean builds): rendering is a function of the template and of what it read, so if
none of that changed, neither did the page.

A page never rendered has no record, hence no key before it is rendered; its key is made
from what it read. Feeds are written by Python (sitegen.plan.feedformats), which declares
what it reads of each kind of object instead.

Model objects are immutable, so each one is digested once per build (memoised by identity).
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import jinja2
from jinja2 import meta

from sitegen import __version__
from sitegen.engine.changes import UNMATCHED, Since
from sitegen.engine.digests import Digester as Digester
from sitegen.engine.digests import hexdigest as hexdigest
from sitegen.engine.digests import seed_article as seed_article
from sitegen.model.refs import REF_OF, WHOLE, ReadSet
from sitegen.model.site import Article
from sitegen.plan.outputs import Feed, Paginator, PlannedPage, SiteInfo
from sitegen.render import compiled, partials

# Bump when the meaning of a key changes, so old manifests never match.
KEY_FORMAT = f"sitegen {__version__} keys 2"
MISSING = "~"  # the value of an attribute the object does not have (a template's typo)


class TemplateKeys:
    """The key of each template: its source and the sources of all it pulls in."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._sources: dict[str, str] = {}
        self._keys: dict[str, str] = {}

    def _source(self, name: str) -> str:
        if name not in self._sources:
            assert self.env.loader is not None
            try:
                source, _, _ = self.env.loader.get_source(self.env, name)
            except jinja2.TemplateNotFound:
                source = "\x00missing"
            self._sources[name] = source
        return self._sources[name]

    def _references(self, name: str) -> frozenset[str | None]:
        return compiled.references(self._source(name), self._find)  # once per source

    def _find(self, source: str) -> frozenset[str | None]:
        try:
            ast = self.env.parse(source)
        except jinja2.TemplateSyntaxError:
            return frozenset()
        return frozenset({*meta.find_referenced_templates(ast), *partials.referenced(ast)})

    def closure(self, name: str) -> list[str]:
        """`name` and every template it reaches; all templates if one is named at run time."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for ref in self._references(current):
                if ref is None:  # {% include some_variable %}: depend on the whole theme
                    return sorted(set(self.env.list_templates()) | seen)
                todo.append(ref)
        return sorted(seen)

    def key(self, name: str) -> str:
        if name not in self._keys:
            names = self.closure(name)
            self._keys[name] = hexdigest(*(f"{n}\x01{self._source(n)}" for n in names))
        return self._keys[name]

    def mentions(self, name: str, word: str) -> bool:
        """True when `word` appears in the source of any template `name` uses."""
        return any(word in self._source(n) for n in self.closure(name))


class PageKeys:
    """Keys for every page and feed of one plan.

    `entities`: every model object of the plan's site by its ref (sitegen.model.refs.index),
    where a page's record of reads finds what it read. `feed_reads`: what the feed writer
    reads of each kind of object (sitegen.plan.feedformats.reads); a kind it does not name
    is digested whole."""

    def __init__(self, env: jinja2.Environment, site: SiteInfo, config_text: str,
                 entities: dict[str, Any], feed_reads: dict[type, tuple[str, ...]],
                 digester: Digester | None = None,
                 templates: TemplateKeys | None = None,
                 last: tuple[PageKeys, Sequence[PlannedPage], Sequence[str]] | None = None,
                 since: Since | None = None) -> None:
        """`templates`: the last build's, when its environment is reused (none changed).
        `last`: the dev server's last keys, pages and page keys (see `page`). `since`: what
        changed since the output was keyed (sitegen.engine.changes)."""
        self.digester = digester or Digester()
        self.shallow = Digester(by_ref=True)
        self.entities = entities
        self.feed_reads = feed_reads
        self.templates = templates if templates is not None and templates.env is env else (
            TemplateKeys(env))
        info = dataclasses.replace(site, build_time=datetime.min)
        self._base = hexdigest(KEY_FORMAT, config_text, self.digester.of(info))
        self._with_time = hexdigest(self._base, site.build_time.isoformat())
        self._template_base: dict[str, str] = {}
        self._urls: dict[int, tuple[tuple[str, ...], str]] = {}
        # id -> (object, {attributes read: digest of their values}); and the same by ref
        # (a record of reads names objects by ref: one lookup, no object needed on a hit).
        # (id, attributes read) -> (object, digest): one flat table, as most objects are
        # read with one set of attributes (a dict per object cost 180 bytes more).
        self._parts: dict[tuple[int, str], tuple[Any, str]] = {}
        self._by_ref: dict[str, dict[str, str]] = {}
        self._feed_parts: dict[int, tuple[Any, str]] = {}  # id -> (object, digest)
        self._infos: dict[int, tuple[SiteInfo, str]] = {}
        self.since = since
        self.shapes: dict[str, str] = {}  # output path -> shape, of every output keyed
        # The last build's template parts of keys, and its keys by page object; a copy and
        # not the last PageKeys, so that no build holds on to the one before (see forget).
        self._last: tuple[dict[str, str], dict[int, tuple[PlannedPage, str]]] | None = None
        if last is not None and last[0]._base == self._base and last[0].templates is (
                self.templates):
            self._last = (dict(last[0]._template_base),
                          {id(p): (p, k) for p, k in zip(last[1], last[2], strict=True)})

    def with_entities(self, changed: Iterable[Any]) -> PageKeys:
        """These keys, with `changed` objects (edited articles) in place of those of their
        refs: the dev server's patch of the last build."""
        keys = copy.copy(self)
        keys.since, keys.shapes = None, {}  # the last build's change set holds no more
        keys.entities = {**self.entities}
        keys._by_ref = {**self._by_ref}
        for value in changed:
            ref = REF_OF[type(value)](value)
            keys.entities[ref] = value
            keys._by_ref.pop(ref, None)
        return keys

    def _for_template(self, name: str) -> str:
        """The site part of the key and the template's own; the build time only for
        templates that read it."""
        if name not in self._template_base:
            base = self._with_time if self.templates.mentions(name, "build_time") else self._base
            self._template_base[name] = base + self.templates.key(name) + name
        return self._template_base[name]

    def page(self, page: PlannedPage, reads: ReadSet | None) -> str | None:
        """The key of one page, given what it read when it was last rendered; None when it
        has no record (it was never rendered): then it must be.

        A page the dev server's plan took from the last one (the very same object: after
        an added article, most article and tag pages) has the last key, when the site and
        its template give the same part of the key as last time."""
        base = self._for_template(page.template)  # computed for every page: see __init__
        if self._last is not None:
            bases, known = self._last
            hit = known.get(id(page))
            if hit is not None and hit[0] is page and bases.get(page.template) == base:
                self._carry(page.path)
                return hit[1]
        if reads is None:
            return None
        parts = self._page_parts(base, page)
        shape = self.shapes[page.path] = hexdigest(*parts)
        if self.since is not None:  # the key its file has, when nothing it read changed
            kept = self.since.kept(page.path, shape, reads[::2])
            if kept is not None:
                return kept
        by_ref = self._by_ref
        for i in range(0, len(reads), 2):  # the hot loop of a warm build: 30 reads a page
            attributes = by_ref.get(reads[i])
            digest = attributes.get(reads[i + 1]) if attributes is not None else None
            parts.append(digest if digest is not None else self._ref_part(reads[i],
                                                                          reads[i + 1]))
        return hexdigest(*parts)

    def _carry(self, path: str) -> None:
        """A page kept as the very one of the last build has the shape it had."""
        shape = self.since.shapes.get(path) if self.since is not None else None
        if shape is not None:
            self.shapes[path] = shape

    def _ref_part(self, ref: str, attributes: str) -> str:
        """`_part` of the object `ref` names in the site; a ref it does not have (an
        article deleted since) gives a part no rendered page has."""
        value = self.entities.get(ref)
        if value is None:
            return "?" + ref
        digest = self._part(value, attributes)
        self._by_ref.setdefault(ref, {})[attributes] = digest
        return digest

    def rendered(self, page: PlannedPage, read: list[Any], record: ReadSet) -> str:
        """The key of a page just rendered, from its record of reads (`read`: the objects
        the record names, in order). An object that is not the one its ref finds in the
        site (two values under one name) cannot be looked up again: such a page gets a key
        that no later build matches, so it is rendered every time rather than go stale."""
        entities = self.entities
        for i, value in enumerate(read):
            if entities.get(record[2 * i]) is not value:
                return UNMATCHED + os.urandom(8).hex()
        parts = self._page_parts(self._for_template(page.template), page)
        parts += [self._part(value, record[2 * i + 1]) for i, value in enumerate(read)]
        return hexdigest(*parts)

    def _page_parts(self, base: str, page: PlannedPage) -> list[str]:
        """The key's parts besides the record of reads: template, site, and the page's own
        fields and context, with model objects by ref."""
        text = self.shallow.text
        parts = [base, page.url, page.path, page.kind, page.title,
                 text(page.lastmod), text(page.feeds), "s" if page.in_sitemap else "-"]
        context = page.context
        for name in sorted(context):
            value = context[name]
            parts.append(name)
            if type(value) is Paginator:
                parts.append(self._paginator(value))
            elif type(value) is SiteInfo:  # a language's own `site` (sitegen.plan.alternates)
                parts.append(self._site(value))
            else:
                parts.append(text(value))
        return parts

    def _part(self, value: Any, attributes: str) -> str:
        """A digest of what was read of a model object: the named attributes (objects in
        them by ref; what was read of those is a part of its own), or all of it (WHOLE)."""
        place = (id(value), attributes)
        hit = self._parts.get(place)
        if hit is not None and hit[0] is value:
            return hit[1]
        if attributes == WHOLE:
            digest = self.digester.of(value)
        else:
            text = self.shallow.text
            digest = hexdigest(*[f"{name}={text(_value(value, name))}"
                                 for name in attributes.split(" ")])
        self._parts[place] = (value, digest)
        return digest

    def _site(self, info: SiteInfo) -> str:
        """A language's SiteInfo without its build time: that enters only the keys of the
        templates that read it (see `_for_template`), as for the default language's."""
        hit = self._infos.get(id(info))
        if hit is None or hit[0] is not info:
            timeless = dataclasses.replace(info, build_time=datetime.min)
            hit = self._infos[id(info)] = (info, self.digester.of(timeless))
        return hit[1]

    def forget(self) -> None:
        """Drop the last build's keys once every page has its own (they hold its pages),
        and the change set since the build before (it holds no more)."""
        self._last = None
        self.since = None

    def _paginator(self, pager: Paginator) -> str:
        hit = self._urls.get(id(pager.urls))
        if hit is None or hit[0] is not pager.urls:
            hit = self._urls[id(pager.urls)] = (pager.urls, hexdigest(*pager.urls))
        return f"P{pager.number}/{pager.total}/{hit[1]}{self.shallow.text(pager.items)}"

    def feed(self, feed: Feed) -> str:
        """A feed's key: its shape (which articles, by ref), and what the feed writer reads
        of each model object in it, and of the authors, tags and sections those hold."""
        parts = [self._base, "feed", self.shallow.text(feed)]
        shape = self.shapes[feed.path] = hexdigest(*parts)
        if self.since is not None:  # its articles (and what they hold) as they were
            shown = [REF_OF[Article](a) for a in feed.articles]
            shown += [REF_OF[Article](n.article) for n in feed.corrections]
            kept = self.since.kept(feed.path, shape, tuple(shown))
            if kept is not None:
                return kept
        parts += [self._feed_part(a) for a in feed.articles]
        parts += [self._feed_part(n.article) for n in feed.corrections]
        return hexdigest(*parts)

    def _feed_part(self, value: Any) -> str:
        """What the feed writer reads of `value` and of the objects it holds (memoised: an
        article is in its site's, section's, authors' and tags' feeds)."""
        hit = self._feed_parts.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        names = self.feed_reads.get(type(value))
        if names is None:
            digest = self.digester.of(value)
        else:
            parts = [self._part(value, " ".join(names))]
            for name in names:
                parts += [self._feed_part(held) for held in _held(_value(value, name))]
            digest = hexdigest(*parts)
        self._feed_parts[id(value)] = (value, digest)
        return digest


def _value(value: Any, name: str) -> Any:
    """The attribute `name` of a model object as its key digests it: an article's body by
    its reference, and the summary taken from it by the digest of that summary, which name
    them (reading them would load the body)."""
    if type(value) is Article:
        if name == "body_html":
            return value.body
        if name == "summary" and not value.own_summary:  # the body's first paragraph
            return "S" + value.body.first_key
    return getattr(value, name, MISSING)


def _held(value: Any) -> list[Any]:
    """The model objects with refs that an attribute's value is or holds."""
    if type(value) in REF_OF:
        return [value]
    if isinstance(value, tuple):
        return [v for v in value if type(v) in REF_OF]
    return []
