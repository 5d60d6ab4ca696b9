"""Watch the site's sources with watchdog, and turn bursts of events into single rebuilds.

What counts as a change: a file created, written, deleted or moved under `content/`, `themes/`
or `static/`, or `sitegen.yaml`. What never does: editors' temporary and swap files (the same
list the build skips, `sources.is_ignored`), hidden folders, and anything under the output
folder or its temporary siblings, which the build itself writes. A save by rename (write a
temporary, rename it over the file) is seen as a change of its target; the temporary is
ignored. Files created inside a new folder are reported: watchdog watches the new folder and
reports what was already in it.

The `Debouncer` waits until events have been quiet for a moment, then calls the rebuild once
with every path seen; events that arrive during a rebuild are kept for exactly one more.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from sitegen.config import CONFIG_NAME
from sitegen.content.sources import skipped

SOURCE_DIRS = ("content", "themes", "static")
# Only events that can change a file's bytes or existence; the build's own reads (open, close
# without writing) and metadata changes are filtered out by the kernel, not in Python.
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
CHANGES = {"created", "modified", "deleted", "moved", "closed"}
POLL_INTERVAL = 0.5


def in_output(path: Path, output: Path) -> bool:
    """True for the output folder, anything in it, and the build's temporary siblings
    (`.build.tmp-*` while writing, `.build.old-*` while swapping; see sitegen.output.write)."""
    if path.is_relative_to(output):
        return True
    if path.parent != output.parent and not path.is_relative_to(output.parent):
        return False
    try:
        first = path.relative_to(output.parent).parts[0]
    except (ValueError, IndexError):
        return False
    return first.startswith((f".{output.name}.tmp-", f".{output.name}.old-"))


def is_source(path: Path, site: Path, output: Path) -> bool:
    """True when a change at `path` (absolute) can change what the build makes."""
    if in_output(path, output):
        return False
    try:
        parts = path.relative_to(site).parts
    except ValueError:
        return False
    if not parts:
        return False
    if len(parts) == 1:
        return parts[0] == CONFIG_NAME or parts[0] in SOURCE_DIRS
    if parts[0] not in SOURCE_DIRS:
        return False
    # static/ and a theme's static/ publish hidden files too (.well-known/); nothing else does
    hidden = parts[0] == "static" or (parts[0] == "themes" and parts[2:3] == ("static",))
    if any(folder.startswith(".") and skipped(folder, hidden) for folder in parts[1:-1]):
        return False
    return not skipped(parts[-1], hidden)


def event_paths(event: FileSystemEvent) -> list[Path]:
    """The paths an event is about: both ends of a move."""
    paths = [event.src_path]
    if event.event_type == "moved" and event.dest_path:
        paths.append(event.dest_path)
    return [Path(os.fsdecode(p)) for p in paths if p]


# A batch whose first event came this soon after the last batch's last event continues its
# burst (a copy, a checkout): each such batch waits twice as long for quiet, up to
# BURST_QUIET, so that a copy stalling for a moment on a busy machine is not rebuilt
# again at every stall. A save after a pause waits `quiet` again.
CONTINUED = 0.25
BURST_QUIET = 0.4


class Debouncer:
    """Calls `action(paths)` once events have been quiet for `quiet` seconds (longer in a
    burst: see CONTINUED), or after `longest` seconds of unbroken events; one call at a
    time."""

    def __init__(self, action: Callable[[set[Path]], None], *, quiet: float = 0.05,
                 longest: float = 3.0) -> None:
        self.action = action
        self.quiet = quiet
        self.longest = longest
        self._pending: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._last_batch_end = float("-inf")  # the last event of the last batch
        self._streak = 0  # batches in a row that continued a burst
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=120)

    def poke(self, path: Path) -> None:
        """Note one changed path (from the watcher's thread)."""
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
            self._cond.notify_all()

    def _next_batch(self) -> set[Path] | None:
        with self._cond:
            while not self._pending and not self._stopped:
                self._cond.wait()
            continued = self._first - self._last_batch_end < CONTINUED
            self._streak = min(self._streak + 1, 8) if continued else 0  # 2**n stays small
            quiet = min(self.quiet * 2 ** self._streak, max(self.quiet, BURST_QUIET))
            while not self._stopped:
                now = time.monotonic()
                due = min(self._last + quiet, self._first + self.longest)
                if now >= due:
                    break
                self._cond.wait(due - now)
            if self._stopped:
                return None
            batch, self._pending = self._pending, set()
            self._last_batch_end = self._last
            return batch

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self.action(batch)
            except Exception:  # the preview must outlive a failing rebuild
                traceback.print_exc(file=sys.stderr)


class SiteWatcher(FileSystemEventHandler):
    """Watches a site's sources and reports each changed source path to `on_change`."""

    def __init__(self, site: Path, output: Path, on_change: Callable[[Path], None], *,
                 poll: bool = False) -> None:
        self.site = site.resolve()
        self.output = output.resolve()
        self.on_change = on_change
        self.observer: BaseObserver = (PollingObserver(timeout=POLL_INTERVAL) if poll
                                       else Observer())
        self._watches: dict[str, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        # The site folder itself is watched alone (not recursively), so that the output
        # folder's thousands of writes never even reach Python; its source folders are
        # watched whole, and watched again when one is created or replaced.
        self.observer.schedule(self, str(self.site), recursive=False, event_filter=EVENTS)
        for name in SOURCE_DIRS:
            self._watch(name)
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        with contextlib.suppress(RuntimeError):
            self.observer.join(timeout=5)

    def _watch(self, name: str) -> None:
        folder = self.site / name
        with self._lock:
            old = self._watches.pop(name, None)
            if old is not None:
                with contextlib.suppress(KeyError):
                    self.observer.unschedule(old)
            if folder.is_dir():
                self._watches[name] = self.observer.schedule(self, str(folder), recursive=True,
                                                             event_filter=EVENTS)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return
        for path in event_paths(event):
            if path == self.output:
                if event.event_type in ("deleted", "moved") and not path.is_dir():
                    self.on_change(path)  # the output folder deleted: build it again
                continue
            if not is_source(path, self.site, self.output):
                continue
            if path.parent == self.site and path.name in SOURCE_DIRS:
                self._watch(path.name)  # a source folder appeared, vanished or was replaced
            self.on_change(path)
