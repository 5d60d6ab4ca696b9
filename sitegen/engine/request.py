"""What a build is asked for and what it answers: the engine's inputs and outputs as data."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sitegen.errors import Problem

if TYPE_CHECKING:
    from sitegen.render.pages import PendingPages


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None  # the build's time; tests pin it
    jobs: int | None = None  # processes for Markdown and rendering; None: one per CPU
    clean: bool = False  # ignore the build cache (it is rewritten afterwards)
    in_place: bool = False  # write changed files straight into the output (sitegen serve)


@dataclass
class BuildResult:
    output: Path
    pages: Counter[str]
    feeds: int
    static_files: int
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    linked: int = 0
    rendered: tuple[str, ...] = ()  # output paths of the pages rendered (not kept)
    changed: frozenset[str] = frozenset()  # output paths with new bytes, or new
    removed: frozenset[str] = frozenset()  # output paths no longer produced
    notes: list[str] = field(default_factory=list)  # said once per build, e.g. search is off
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    reread: bool = False  # the dev server read only the changed articles again (see _build)
    reads_build_time: bool = False  # a template shows the build's time
    patched: bool = False  # the dev server patched its last build (see sitegen.engine.incremental)
    images: int = 0  # image files made (resized, cropped, drawn), not found in the cache

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


class Progress(Protocol):
    """What a build tells whoever shows its progress (sitegen.commands.progress)."""

    def stage(self, name: str) -> None: ...

    def pages(self, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class FirstPages:
    """Pages to write before all others in a dev server's build (see Builder.build):
    output paths, and what to call with the paths written once they are live.

    `serving`, when given, is handed the rest of the build's pages as they are not yet on
    disk, just before `done` (see sitegen.render.pages.PendingPages): a dev server answers
    for them from the new plan until the build ends. `gone` are filled in by the build."""

    paths: frozenset[str]
    done: Callable[[frozenset[str]], None]
    serving: Callable[[PendingPages], None] | None = None
    gone: frozenset[str] = frozenset()  # pages and feeds of the last build this one drops


def output_dir(options: BuildOptions) -> Path:
    """The folder a build writes: --output, else SITE/build (absolute, links resolved)."""
    return (options.output or options.site.resolve() / "build").resolve()


class Timer:
    """Each stage's time, for `--verbose`."""

    def __init__(self, on_stage: Callable[[str], None] | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.on_stage = on_stage  # told each stage's name as it starts (a progress line)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.on_stage is not None:
            self.on_stage(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start
