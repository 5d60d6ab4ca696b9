"""The one updating line a long `sitegen build` shows on a terminal: the stage it is in
and, while rendering, the pages done of how many. Nothing when the output is not a
terminal, with --quiet, or for a build done within a second; the line is cleared before
the summary."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TextIO

DELAY = 1.0  # seconds of silence before the line appears
TICK = 0.2  # how often it is redrawn
STAGES = {"check": "checking what changed", "config": "reading the configuration",
          "content": "reading articles", "plan": "planning pages",
          "render+write": "rendering pages", "cache": "saving the cache",
          "patch": "rendering the edited pages"}


class ProgressLine:
    """Shows a build's progress on `stream` from a thread of its own (a stage such as
    reading ten thousand articles reports nothing for seconds). Use it as a context."""

    def __init__(self, stream: TextIO, delay: float | None = None) -> None:
        self.stream = stream
        self.delay = DELAY if delay is None else delay
        self.state = ("starting", 0, 0)
        self.shown = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sitegen-progress", daemon=True)

    def stage(self, name: str) -> None:
        self.state = (STAGES.get(name, name), 0, 0)

    def pages(self, done: int, total: int) -> None:
        self.state = (self.state[0], done, total)

    def line(self) -> str:
        what, done, total = self.state
        return f"{what}: {done} of {total}" if total else f"{what}..."

    def __enter__(self) -> ProgressLine:
        self._start = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            if self.shown:
                self.stream.write("\r\x1b[K")  # the summary or the errors take the line
                self.stream.flush()

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            with self._lock:
                self.stream.write(f"\r\x1b[K{self.line()}"[:200])
                self.stream.flush()
                self.shown = True
            self._stop.wait(TICK)
