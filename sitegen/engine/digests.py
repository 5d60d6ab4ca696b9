"""Digests of model values: what a page key hashes of the objects a page shows (see
sitegen.engine.keys). Model objects are immutable, so each one is digested once per build
(memoised by identity)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from sitegen.model.body import Body
from sitegen.model.refs import REF_OF
from sitegen.model.site import Article


def hexdigest(*parts: str) -> str:
    """A short, stable digest of text parts (stable across processes, unlike hash())."""
    data = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Digester:
    """Digests of model values, each dataclass instance computed once (by identity).

    A whole archive's keys are computed on every build, so this is written for speed:
    dispatch on the exact type, each class's field names looked up once.
    """

    def __init__(self, by_ref: bool = False) -> None:
        """`by_ref`: a model object with a ref (sitegen.model.refs) stands for its ref, not
        its fields: a page's context says which article it shows, its record of reads what
        of it."""
        # id -> (object, digest); the object is held so its id is never reused meanwhile.
        self._memo: dict[int, tuple[Any, str]] = {}
        self._refs = REF_OF if by_ref else {}

    def seed(self, value: Any, *parts: str) -> None:
        """Give `value` the digest of the inputs it was made from, when they are known to
        determine it: an article from its file's digest, its authors, tags and section."""
        self._memo[id(value)] = (value, hexdigest(type(value).__name__, *parts))

    def keeping(self, values: Iterable[Any]) -> Digester:
        """A new Digester that remembers only these values' digests (the articles a dev
        server's next build keeps), so that old listings do not pile up in memory."""
        kept = Digester(bool(self._refs))
        for value in values:
            hit = self._memo.get(id(value))
            if hit is not None and hit[0] is value:
                kept._memo[id(value)] = hit
        return kept

    def of(self, value: Any) -> str:
        """A digest of `value` as a template could see it."""
        return hexdigest(self.text(value))

    def text(self, value: Any) -> str:
        kind = type(value)
        if kind is str:  # an article body is kilobytes: hash it rather than repr it
            return "'" + value if len(value) < 256 else "#" + hexdigest(value)
        if kind in _PLAIN:
            return repr(value)
        of = self._refs.get(kind)
        if of is not None:
            return "@" + of(value)
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if kind is tuple or kind is list:
            text = self.text
            joined = "[" + ",".join([text(v) for v in value]) + "]"
            if kind is tuple and len(joined) > 64:  # listings share their tuples of articles
                joined = "T" + hexdigest(joined)
                self._memo[id(value)] = (value, joined)
            return joined
        if dataclasses.is_dataclass(value):
            return self._object(value)
        return self._other(value)

    def _object(self, value: Any) -> str:
        kind = type(value)
        names = _FIELDS.get(kind)
        if names is None:  # the fields it is made from (not those derived from them)
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value) if f.init)
        text = self.text
        digest = hexdigest(kind.__name__, *[f"{name}={text(getattr(value, name))}"
                                            for name in names])
        self._memo[id(value)] = (value, digest)
        return digest

    def _other(self, value: Any) -> str:
        if isinstance(value, Body):  # by its key, a digest of what it was made from
            return "B" + value.key
        if isinstance(value, dict):
            items = sorted(value.items(), key=lambda kv: repr(kv[0]))
            return "{" + ",".join(f"{self.text(k)}:{self.text(v)}" for k, v in items) + "}"
        if isinstance(value, datetime | date):
            return f"{type(value).__name__}({value.isoformat()}|{getattr(value, 'tzinfo', None)!s})"
        if isinstance(value, tzinfo | Path):
            return repr(str(value))
        if isinstance(value, set | frozenset):
            return "{" + ",".join(sorted(self.text(v) for v in value)) + "}"
        if isinstance(value, tuple | list | str | int | float):  # subclasses
            return self.text(type(value).__mro__[1](value))
        # Anything else has no stable digest: a fresh value every build renders the page.
        return f"<{type(value).__name__} {id(value)}>"


_PLAIN = {int, float, bool, type(None)}
_FIELDS: dict[type, tuple[str, ...]] = {}


def seed_article(digester: Digester, article: Article, file_digest: str) -> None:
    """Everything an Article is made of besides the configuration (in every page key): its
    file's bytes and suffix, its file's place (slug, URL), its authors, tags and section,
    and its lead image's size (read from the image file). It is the article's fingerprint
    in the change set too (sitegen.engine.changes), so nothing it is made of may be left out."""
    text = digester.text
    digester.seed(article, file_digest, article.source, article.slug, article.url,
                  f"{article.image_width}x{article.image_height}",
                  *map(text, article.authors), *map(text, article.tags), text(article.section),
                  *map(text, article.corrections), text(article.terms), text(article.series))
