"""What a build keeps for the next: the dev server's session in memory (the last build's
snapshot, the output's files, the search index's progress), the output's record in the
cache, and the garbage collector kept out of the way of long-lived models."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.config import Config
from sitegen.engine import incremental, load, produce
from sitegen.engine.cache import Cache
from sitegen.engine.changes import Keyed
from sitegen.engine.keys import PageKeys
from sitegen.engine.request import FirstPages
from sitegen.errors import Problems
from sitegen.model.entries import Entry
from sitegen.model.refs import ReadSet
from sitegen.model.site import Article
from sitegen.output.folder import MARKER
from sitegen.output.write import Manifest
from sitegen.plan.outputs import Plan, output_path

FULL_COLLECT_EVERY = 16  # dev server builds between two full garbage collections


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a build.

    A build makes hundreds of thousands of long-lived objects (the model, the plan); the
    collector kept rescanning them (a quarter of a warm build's time at 10,000 articles).
    They hold no reference cycles worth collecting meanwhile: peak memory is the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Session:
    """What a dev server's Builder keeps between builds (a one-off build keeps nothing)."""

    snapshot: incremental.Snapshot | None = None  # the last build's model, plan and keys
    output_files: dict[str, int] | None = None  # the output's files, by path
    last_outputs: frozenset[str] | None = None  # the last plan's pages and feeds
    kept_builds: int = 0  # builds kept in memory (see FULL_COLLECT_EVERY)
    # The dev server indexes search apart from builds (Pagefind reads the whole output:
    # 20 s at 10,000 articles, which no edit should wait for): `search_builds` counts the
    # builds since the start, `search_indexed` the count the index last caught up with.
    search_later: bool = False
    pagefind: Path | None = None  # the indexer the last build would run
    search_builds: int = 0
    search_indexed: int = 0
    output_id: tuple[int, int] | None = None  # the output folder the last build wrote


def folder_id(out: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(out)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if (out / MARKER).is_file() else None


def intact(out: Path, session: Session) -> bool:
    """The output folder is still the one the session's last build wrote."""
    return session.output_id is not None and folder_id(out) == session.output_id



def remember_manifest(cache: Cache, out: Path, manifest: Manifest,
                       reads: dict[str, ReadSet], keyed: Keyed) -> None:
    """The output's files and keys, what each page read, and what they were keyed from
    (sitegen.engine.changes): one record, kept together."""
    where = str(out)
    # A cache already to be saved (the dev server's never is) needs no comparison: at
    # 100,000 articles the three comparisons took 30 ms of each save's rebuild.
    if (cache.dirty or cache.manifests.get(where) != manifest
            or cache.reads.get(where) != reads or cache.keyed.get(where) != keyed):
        cache.manifests[where] = manifest
        cache.reads[where] = reads
        cache.keyed[where] = keyed
        cache.dirty = True


def snapshot(config: Config, model: load.Model, plan: Plan, env: jinja2.Environment,
              keys: PageKeys, done: produce.Produced,
              last: incremental.Snapshot | None) -> incremental.Snapshot:
    """What the dev server keeps of this build for the next one."""
    record: dict[str, tuple[str, Entry, Article]] = {
        item.source.rel: (item.digest, entry, model.by_source[item.source.rel])
        for entry, item in model.found.entries if item.source.rel in model.by_source}
    snapshot = incremental.Snapshot(config, model.site, plan, env, keys, done.page_keys,
                                    done.feed_keys, done.counts, done.static_files, record,
                                    model.found)
    snapshot.index(last)
    return snapshot


def set_aside(full_collect: bool) -> None:
    """The dev server keeps this build in memory: set it aside from the collector, so that
    later rebuilds do not pay for scanning it again and again. A full collection first only
    now and then: at 10,000 articles it scans half a million objects (0.3 s after each added
    article) to find next to no cycles, as the old model and plan are freed by reference
    counting. Called while the collector is paused: once back, its first young-generation
    pass would scan the whole build (3.4 s after the first build at 100,000 articles)."""
    if full_collect:
        gc.collect()
    gc.freeze()


def with_saved_pages(first: FirstPages | None, config: Config, model: load.Model,
                      changed: Iterable[Path] | None, problems: Problems) -> FirstPages | None:
    """The pages of the articles just saved come first too."""
    if first is None:
        return None
    saved = [model.by_source.get(problems.rel(p)) for p in changed or ()]
    return dataclasses.replace(first, paths=first.paths | {
        output_path(config, article.url) for article in saved if article})


def outputs(plan: Plan) -> frozenset[str]:
    """The output paths of a plan's pages and feeds."""
    return frozenset([*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds)])
