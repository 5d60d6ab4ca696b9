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

from sitegen.content import handin, markup, sources
from sitegen.content.sources import Source
from sitegen.engine import cache as cache_mod
from sitegen.engine.cache import Cache, Signature
from sitegen.engine.parallel import map_chunks
from sitegen.errors import Problem, Problems
from sitegen.model import entries

CHUNK = 32  # articles per task sent to a worker
MIN_PARALLEL = 96  # fewer cache misses than this are not worth forking for


@dataclass(frozen=True)
class ArticleSource:
    """An article file read and rendered. `html` is what counts: the body text is not kept.
    A plain-text hand-in keeps what its text says (`hand_in`: headline, dek, byline, bios),
    parsed once here and cached, for the assembly stage."""

    source: Source
    digest: str
    html: str
    words: int
    first_paragraph: str
    hand_in: handin.HandIn | None = None
    chars: int = 0  # Chinese and Japanese characters among `words` (read per character)


def _record(source: Source, html: str, hand_in: handin.HandIn | None) -> tuple[Any, ...]:
    """The cached form of a parsed article (marshal-able plain data)."""
    said = None
    if hand_in is not None:
        said = (hand_in.title, hand_in.dek, list(hand_in.author_names),
                [list(bio) for bio in hand_in.bios], hand_in.title_line, hand_in.byline_line)
    words, chars = markup.text_counts(html)
    return (source.meta, source.meta_text, source.meta_line, source.body_line, html,
            words, markup.first_paragraph_text(html), said, chars)


def _from_record(path: Path, rel: str, digest: str, record: tuple[Any, ...]) -> ArticleSource:
    meta, meta_text, meta_line, body_line, html, words, first, said, chars = record
    hand_in = None
    if said is not None:
        title, dek, names, bios, title_line, byline_line = said
        hand_in = handin.HandIn(title, dek, tuple(names), tuple((n, b) for n, b in bios), "",
                                title_line, byline_line)
    return ArticleSource(Source(path, rel, meta, meta_text, meta_line, "", body_line), digest,
                         html, words, first, hand_in, chars)


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


Read = tuple[str, Any, list[Problem], list[Problem]]  # digest, record, errors, warnings


def _read_one(site: Path, known: dict[str, Any], settings: ReadSettings, path: Path) -> Read:
    """(digest, record or None if already known, errors, warnings) for one article file."""
    problems = Problems(site)
    try:
        size = path.stat().st_size
        if size > settings.max_size:
            problems.error(path, 1, 1, f"is {size:,} bytes, over the limit of "
                           f"{settings.max_size:,}. Split it, or raise `max_file_size` in "
                           "sitegen.yaml.")
            return "", None, problems.errors, []
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 1, 1, f"cannot be read ({exc.strerror}). Check its permissions.")
        return "", None, problems.errors, []
    # The suffix and the HTML policy are part of what the bytes mean: the same text as .md
    # and .txt, or under another policy, renders apart.
    digest = cache_mod.digest_bytes(path.suffix.encode() + b"\x00" + repr(settings).encode()
                                    + b"\x00" + data)
    if digest in known:
        return digest, None, [], []
    text = sources.decode(path, data, problems)
    # A plain-text hand-in may have no front matter; the assembly stage says what it lacks.
    source = (sources.split(path, text, problems, required=path.suffix != ".txt")
              if text is not None else None)
    body, hand_in = _body_to_render(source, problems) if source is not None else (None, None)
    if source is None or body is None:
        return digest, None, problems.errors, problems.warnings
    html = markup.body_to_html(source.kind, body, settings.policy)
    return digest, _record(source, html, hand_in), problems.errors, problems.warnings


def _read_chunk(state: tuple[Path, dict[str, Any], ReadSettings],
                paths: Sequence[Path]) -> list[Read]:
    site, known, settings = state
    return [_read_one(site, known, settings, path) for path in paths]


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
    results = [r for chunk in map_chunks(_read_chunk, (site, cache.records, settings),
                                         [m[0] for m in misses], jobs=jobs, chunk_size=CHUNK,
                                         min_items=MIN_PARALLEL)
               for r in chunk]
    errors: dict[Path, list[Problem]] = {}
    warnings: dict[Path, list[Problem]] = {}
    for (path, rel, sig), (digest, record, errs, warns) in zip(misses, results, strict=True):
        warnings[path] = warns
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
        problems.warnings.extend(warnings.get(path, ()))
    return [found[p] for p in paths if p in found]
