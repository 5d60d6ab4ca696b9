"""Stages 2 and 3 for articles, at archive scale: each file read, split and rendered once.

An article whose file is unchanged since the last build (same stat signature, or same
content digest) comes from the cache: no YAML parsing, no Markdown. The others are read in
parallel on a cold build. Problems are reported in path order whatever the parallelism.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import cache as cache_mod
from sitegen import markup, sources
from sitegen.cache import Cache, Signature
from sitegen.errors import Problem, Problems
from sitegen.parallel import map_chunks
from sitegen.sources import Source

CHUNK = 32  # articles per task sent to a worker
MIN_PARALLEL = 96  # fewer cache misses than this are not worth forking for


@dataclass(frozen=True)
class ArticleSource:
    """An article file read and rendered. `source.body` is empty: `html` is what counts."""

    source: Source
    digest: str
    html: str
    words: int
    first_paragraph: str


def _record(source: Source, html: str) -> tuple[Any, ...]:
    """The cached form of a parsed article (marshal-able plain data)."""
    return (source.meta, source.meta_text, source.meta_line, source.body_line, html,
            markup.word_count(html), markup.first_paragraph_text(html))


def _from_record(path: Path, rel: str, digest: str, record: tuple[Any, ...]) -> ArticleSource:
    meta, meta_text, meta_line, body_line, html, words, first = record
    return ArticleSource(Source(path, rel, meta, meta_text, meta_line, "", body_line), digest,
                         html, words, first)


def _read_one(site: Path, known: dict[str, Any], path: Path) -> tuple[str, Any, list[Problem]]:
    """(digest, record or None if already known, problems) for one article file."""
    problems = Problems(site)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 1, 1, f"cannot be read ({exc.strerror}). Check its permissions.")
        return "", None, problems.errors
    # The suffix is part of what the bytes mean: the same text as .md and .txt renders apart.
    digest = cache_mod.digest_bytes(path.suffix.encode() + b"\x00" + data)
    if digest in known:
        return digest, None, []
    text = sources.decode(path, data, problems)
    source = sources.split(path, text, problems) if text is not None else None
    if source is None:
        return digest, None, problems.errors
    html = markup.body_to_html(source.kind, source.body)
    return digest, _record(source, html), problems.errors


def _read_chunk(state: tuple[Path, dict[str, Any]],
                paths: Sequence[Path]) -> list[tuple[str, Any, list[Problem]]]:
    site, known = state
    return [_read_one(site, known, path) for path in paths]


def _signature(path: Path) -> Signature | None:
    try:
        return cache_mod.signature(os.stat(path))
    except OSError:
        return None


def read_articles(paths: Sequence[Path], site: Path, cache: Cache, jobs: int,
                  problems: Problems) -> list[ArticleSource]:
    """Every article file as an ArticleSource (None-free, in path order); bad files are
    reported to `problems` and left out."""
    stamp = cache_mod.now_ns()
    found: dict[Path, ArticleSource] = {}
    misses: list[tuple[Path, str, Signature | None]] = []
    for path in paths:
        rel = problems.rel(path)
        sig = _signature(path)
        digest = cache.known_digest(rel, sig) if sig else None
        record = cache.records.get(digest) if digest else None
        if digest and record is not None:
            found[path] = _from_record(path, rel, digest, record)
        else:
            misses.append((path, rel, sig))
    results = [r for chunk in map_chunks(_read_chunk, (site, cache.records),
                                         [m[0] for m in misses], jobs=jobs, chunk_size=CHUNK,
                                         min_items=MIN_PARALLEL)
               for r in chunk]
    errors: dict[Path, list[Problem]] = {}
    for (path, rel, sig), (digest, record, errs) in zip(misses, results, strict=True):
        if errs:
            errors[path] = errs
            continue
        if record is not None:
            cache.records[digest] = record
        record = cache.records[digest]
        if sig is not None:
            cache.stats[rel] = (sig, digest, stamp)
        cache.dirty = True
        found[path] = _from_record(path, rel, digest, record)
    for path in paths:  # problems in path order, as a serial build reports them
        problems.errors.extend(errors.get(path, ()))
    return [found[p] for p in paths if p in found]
