"""Stages 2 and 3 for articles, at archive scale: each file read, split and rendered once.

An article whose file is unchanged since the last build (same stat signature, or same
content digest) comes from the cache: no YAML parsing, no Markdown. The others are read in
parallel on a cold build. Problems are reported in path order whatever the parallelism.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sitegen.content import handin, markup, sources
from sitegen.content.sources import Source
from sitegen.engine import cache as cache_mod
from sitegen.engine.bodystore import MemoryStore, Row, Store
from sitegen.engine.cache import Cache, Signature
from sitegen.engine.parallel import imap_chunks
from sitegen.errors import Problem, Problems
from sitegen.model import entries
from sitegen.model.body import Body, text_key
from sitegen.model.placeholder import PLACEHOLDER

CHUNK = 32  # articles per task sent to a worker
STORE_BATCH = 256  # articles read anew per write to the store
RECORD_BATCH = 2048  # unchanged articles whose records are fetched together
T = TypeVar("T")
MIN_PARALLEL = 96  # fewer cache misses than this are not worth forking for


@dataclass(frozen=True)
class ArticleSource:
    """An article file read and rendered. `body` is what counts: the body text is not
    kept, and the body's HTML is in the cache's store (or held, without one). A plain-text
    hand-in keeps what its text says (`hand_in`: headline, dek, byline, bios), parsed once
    here and cached, for the assembly stage. `placeholder`: the body still holds the text
    `sitegen new article` leaves (see sitegen.model.placeholder)."""

    source: Source
    digest: str
    body: Body
    words: int
    first_paragraph: str
    hand_in: handin.HandIn | None = None
    placeholder: bool = False
    chars: int = 0  # Chinese and Japanese characters among `words` (read per character)


def _record(source: Source, html: str, hand_in: handin.HandIn | None) -> tuple[Any, ...]:
    """The cached form of a parsed article (marshal-able plain data), its body apart."""
    said = None
    if hand_in is not None:
        said = (hand_in.title, hand_in.dek, list(hand_in.author_names),
                [list(bio) for bio in hand_in.bios], hand_in.title_line, hand_in.byline_line)
    words, chars = markup.text_counts(html)
    return (source.meta, source.meta_text, source.meta_line, source.body_line,
            words, markup.first_paragraph_text(html), said,
            PLACEHOLDER in html, chars, markup.has_named_tables(html),
            markup.has_pictures(html))


def _from_record(path: Path, rel: str, digest: str, record: tuple[Any, ...],
                 store: Store) -> ArticleSource:
    (meta, meta_text, meta_line, body_line, words, first, said, placeholder, chars, tables,
     pictures) = record
    hand_in = None
    if said is not None:
        title, dek, names, bios, title_line, byline_line = said
        hand_in = handin.HandIn(title, dek, tuple(names), tuple((n, b) for n, b in bios), "",
                                title_line, byline_line)
    return ArticleSource(Source(path, rel, meta, meta_text, meta_line, "", body_line), digest,
                         Body(digest, rel, store, first_key=text_key(first), tables=tables,
                              pictures=pictures),
                         words, first,
                         hand_in, placeholder, chars)


@dataclass(frozen=True)
class ReadSettings:
    """What reading an article depends on besides its bytes (part of its cache digest)."""

    policy: markup.HtmlPolicy = markup.SAFE
    max_size: int = sources.MAX_FILE_SIZE


def _body_to_render(source: Source, problems: Problems) -> tuple[str | None,
                                                                   handin.HandIn | None]:
    """The text whose HTML is the article body, or None (with an error) when it cannot be:
    a hand-in without its headline and byline, or Markdown that would take unbounded time.
    Second: the hand-in the text is, for a `.txt` article."""
    if source.kind == "txt":
        hand_in = entries.read_handin(source, problems)
        return (hand_in.body if hand_in is not None else None), hand_in
    costly = markup.too_costly(source.body) if source.kind == "md" else None
    if costly:
        problems.error(source.path, source.body_line + costly[0], 1, costly[1])
        return None, None
    return source.body, None


# digest, record, body HTML, errors, warnings
Read = tuple[str, Any, str, list[Problem], list[Problem]]


def _read_one(site: Path, store: Store | None, settings: ReadSettings, path: Path) -> Read:
    """(digest, record or None if the store has it, its body's HTML, errors, warnings) for
    one article file. `store` None: an empty store (a cold build's), not looked up."""
    problems = Problems(site)
    try:
        size = path.stat().st_size
        if size > settings.max_size:
            problems.error(path, 1, 1, f"is {size:,} bytes, over the limit of "
                           f"{settings.max_size:,}. Split it, or raise `max_file_size` in "
                           "sitegen.yaml.")
            return "", None, "", problems.errors, []
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 1, 1, f"cannot be read ({exc.strerror}). Check its permissions.")
        return "", None, "", problems.errors, []
    # The suffix and the HTML policy are part of what the bytes mean: the same text as .md
    # and .txt, or under another policy, renders apart.
    digest = cache_mod.digest_bytes(path.suffix.encode() + b"\x00" + repr(settings).encode()
                                    + b"\x00" + data)
    # The same bytes as another file, or as before a touch:
    if store is not None and store.records([digest]):
        return digest, None, "", [], []
    text = sources.decode(path, data, problems)
    # A plain-text hand-in may have no front matter; the assembly stage says what it lacks.
    source = (sources.split(path, text, problems, required=path.suffix != ".txt")
              if text is not None else None)
    body, hand_in = _body_to_render(source, problems) if source is not None else (None, None)
    if source is None or body is None:
        return digest, None, "", problems.errors, problems.warnings
    html = markup.body_to_html(source.kind, body, settings.policy)
    return digest, _record(source, html, hand_in), html, problems.errors, problems.warnings


def _read_chunk(state: tuple[Path, Store | None, ReadSettings],
                paths: Sequence[Path]) -> list[Read]:
    site, store, settings = state
    return [_read_one(site, store, settings, path) for path in paths]


def render_again(site: Path, settings: ReadSettings) -> Callable[[str], str | None]:
    """The body of an article file (site-relative) read and rendered anew, for a body the
    store has lost (see sitegen.engine.bodystore); None when the file gives none now."""
    def body_of(rel: str) -> str | None:
        _, _, html, errors, _ = _read_one(site, MemoryStore(), settings, site / rel)
        return None if errors else html
    return body_of


def _signature(path: Path) -> Signature | None:
    try:
        return cache_mod.signature(os.stat(path))
    except OSError:
        return None


def read_articles(paths: Sequence[Path], site: Path, cache: Cache, jobs: int,
                  problems: Problems,
                  settings: ReadSettings = ReadSettings()) -> list[ArticleSource]:
    """Every article file as an ArticleSource (None-free, in path order); bad files are
    reported to `problems` and left out."""
    return read_and_convert(paths, site, cache, jobs, problems, settings, _same)


def _same(item: ArticleSource, problems: Problems) -> ArticleSource:
    return item


class Memo(Protocol[T]):
    """What `convert` made of unchanged files before (sitegen.engine.entrymemo)."""

    def recall(self, path: Path, rel: str, digest: str) -> T | None: ...

    def keep(self, rel: str, digest: str, value: T) -> None: ...


def read_and_convert(paths: Sequence[Path], site: Path, cache: Cache, jobs: int,
                     problems: Problems, settings: ReadSettings,
                     convert: Callable[[ArticleSource, Problems], T | None],
                     memo: Memo[T] | None = None) -> list[T]:
    """`read_articles`, each article given to `convert` as soon as it is read and only
    what that returns kept (an archive's parsed front matter is not all held at once).
    The files read anew are read in worker processes, their bodies put in the cache's
    store as they come back. What `convert` reports follows the files' own problems, in
    path order, as a serial build reports them. `memo`: what `convert` made of an
    unchanged file, taken as it is; it is given what `convert` makes of the others the
    store has, when it reports nothing."""
    stamp = cache_mod.now_ns()
    later = _Later(site, convert)
    found, misses = _known(paths, cache, problems, later, memo)
    errors: dict[Path, list[Problem]] = {}
    warnings: dict[Path, list[Problem]] = {}
    results = _read_misses(misses, site, cache, jobs, settings)
    for (path, rel, sig), (digest, record, errs, warns) in zip(misses, results, strict=True):
        warnings[path] = warns
        if errs:
            errors[path] = errs
            continue
        if sig is not None:
            cache.stats[rel] = (sig, digest, stamp)
        cache.dirty = True
        found[path] = later(path, _from_record(path, rel, digest, record, cache.store))
    for path in paths:  # the files' problems in path order, then what convert said
        problems.errors.extend(errors.get(path, ()))
        problems.warnings.extend(warnings.get(path, ()))
    for path in paths:
        problems.errors.extend(later.errors.get(path, ()))
        problems.warnings.extend(later.warnings.get(path, ()))
    return [kept for p in paths if (kept := found.get(p)) is not None]


class _Later(Generic[T]):
    """Converts each article as it is read, keeping what it reports by file."""

    def __init__(self, site: Path, convert: Callable[[ArticleSource, Problems], T | None],
                 ) -> None:
        self.convert = convert
        self.scratch = Problems(site)
        self.errors: dict[Path, list[Problem]] = {}
        self.warnings: dict[Path, list[Problem]] = {}

    def __call__(self, path: Path, item: ArticleSource) -> T | None:
        kept = self.convert(item, self.scratch)
        if self.scratch.errors or self.scratch.warnings:
            self.errors[path], self.warnings[path] = self.scratch.errors, self.scratch.warnings
            self.scratch = Problems(self.scratch.site_root)
        return kept


Miss = tuple[Path, str, Signature | None]


def _read_misses(misses: list[Miss], site: Path, cache: Cache, jobs: int,
                 settings: ReadSettings) -> Iterator[tuple[str, Any, list[Problem],
                                                           list[Problem]]]:
    """(digest, record, errors, warnings) of each file to read, in order; each body goes
    into the store as it comes back from its worker, in batches."""
    store = cache.store
    rows: list[Row] = []
    # An empty store (a cold build) is not asked for each file: 2% of reading one.
    lookup = store if misses and store.holds_any() else None
    chunks = imap_chunks(_read_chunk, (site, lookup, settings), [m[0] for m in misses],
                         jobs=jobs, chunk_size=CHUNK, min_items=MIN_PARALLEL)
    for (path, _, _), (digest, record, html, errs, warns) in zip(
            misses, (r for chunk in chunks for r in chunk), strict=True):
        fresh = record is not None
        if not errs and not fresh:  # the store has it (same bytes as another file)
            record = store.records([digest]).get(digest)
            if record is None:  # gone from the store meanwhile: read it again here
                digest, record, html, errs, warns = _read_one(site, MemoryStore(), settings,
                                                              path)
                fresh = True
        if not errs and fresh:
            rows.append((digest, record, html))
        if len(rows) >= STORE_BATCH:
            store.put(rows)
            rows = []
        yield digest, record, errs, warns
    store.put(rows)


def _known(paths: Sequence[Path], cache: Cache, problems: Problems, later: _Later[T],
           memo: Memo[T] | None) -> tuple[dict[Path, T | None], list[Miss]]:
    """The articles whose file is unchanged, from the memo or converted from the record
    the store has; and the others, to read. Records are fetched a batch at a time, and
    let go once converted."""
    hits: list[tuple[Path, str, Signature | None, str]] = []
    misses: list[Miss] = []
    found: dict[Path, T | None] = {}
    for path in paths:
        rel = problems.rel(path)
        sig = _signature(path)
        digest = cache.known_digest(rel, sig) if sig else None
        if not digest:
            misses.append((path, rel, sig))
        elif memo is None or (found_before := memo.recall(path, rel, digest)) is None:
            hits.append((path, rel, sig, digest))
        else:
            found[path] = found_before
    for start in range(0, len(hits), RECORD_BATCH):
        batch = hits[start:start + RECORD_BATCH]
        records = cache.store.records(list({hit[3] for hit in batch}))
        for path, rel, sig, digest in batch:
            record = records.get(digest)
            if record is None:  # a store that lost it (or was set aside): read it again
                misses.append((path, rel, sig))
                continue
            made = found[path] = later(path, _from_record(path, rel, digest, record,
                                                          cache.store))
            if memo is not None and made is not None and path not in later.errors:
                memo.keep(rel, digest, made)
    return found, misses
