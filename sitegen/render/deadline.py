"""A time limit on rendering one page, so that a template that never ends (a loop over a
huge range, nested loops) fails the build at its line instead of hanging it, and the dev
server can stop a render in progress when it closes.

Templates are compiled Python, so the limit is an exception raised inside the rendering
thread (CPython's PyThreadState_SetAsyncExc, delivered between two bytecodes): it works in
any thread, the dev server's rebuild thread included, where signal-based alarms cannot.
The exception carries the template frames of the loop, which template_problem turns into
`path:line`.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

RENDER_TIMEOUT = 60.0  # seconds for one page; the slowest real page takes well under one
MAX_RANGE = 100_000  # items of one range() in a template (Jinja2's sandbox uses the same)


class RenderTimeout(Exception):
    """Rendering one page took longer than RENDER_TIMEOUT."""

    def __str__(self) -> str:
        return (f"rendering took over {RENDER_TIMEOUT:.0f} s and was stopped (a loop that "
                "never ends, or over far too much?)")


class RenderStopped(Exception):
    """The dev server is closing: the render in progress was stopped."""

    def __str__(self) -> str:
        return "rendering was stopped because the preview is closing"


class _Limit:
    """One render's limit: fires at most once, never after the render ended."""

    def __init__(self, ident: int, due: float) -> None:
        self.ident = ident
        self.due = due
        self.lock = threading.Lock()
        self.done = False

    def fire(self, exc: type[BaseException]) -> None:
        with self.lock:
            if not self.done:
                self.done = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident),
                                                           ctypes.py_object(exc))

    def finish(self) -> None:
        with self.lock:
            fired, self.done = self.done, True
        if fired:  # fired as the render ended: make sure it does not land later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident), None)


class _Watch:
    """The renders in progress in this process, and one thread that stops those past their
    time. One thread for all, started once: a timer thread per page cost a thread's start,
    and a switch to it, for every page (about a tenth of a cold build)."""

    def __init__(self) -> None:
        self.active: dict[int, _Limit] = {}
        self.changed = threading.Condition()
        self.waiting_for = float("inf")  # when the watcher wakes next
        self.started = False

    def add(self, limit: _Limit) -> None:
        with self.changed:
            self.active[limit.ident] = limit
            if not self.started:
                self.started = True
                threading.Thread(target=self._run, name="render-deadline", daemon=True).start()
            elif limit.due < self.waiting_for:
                self.changed.notify()  # due before the watcher would wake

    def remove(self, limit: _Limit) -> None:
        with self.changed:
            if self.active.get(limit.ident) is limit:
                del self.active[limit.ident]

    def all(self) -> list[_Limit]:
        with self.changed:
            return list(self.active.values())

    def _run(self) -> None:
        with self.changed:
            while True:
                now = time.monotonic()
                for limit in [one for one in self.active.values() if one.due <= now]:
                    del self.active[limit.ident]
                    limit.fire(RenderTimeout)
                self.waiting_for = min((one.due for one in self.active.values()),
                                       default=float("inf"))
                wait = self.waiting_for - now
                self.changed.wait(None if wait == float("inf") else wait)


_WATCH = _Watch()
_STOPPED = threading.Event()


def _after_fork() -> None:
    # A forked render worker has none of its parent's threads: it starts its own watch.
    global _WATCH
    _WATCH = _Watch()


os.register_at_fork(after_in_child=_after_fork)


@contextmanager
def render_deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise RenderTimeout in this thread if the block runs longer than `seconds` (and
    RenderStopped at once, once stop_renders was called)."""
    if _STOPPED.is_set():
        raise RenderStopped
    limit = _Limit(threading.get_ident(),
                   time.monotonic() + (RENDER_TIMEOUT if seconds is None else seconds))
    watch = _WATCH
    watch.add(limit)
    try:
        yield
    finally:
        watch.remove(limit)
        limit.finish()


def stop_renders() -> None:
    """Stop every render in progress in this process, and refuse any later one (the dev
    server closing: a build rendering many pages of a template that never ends)."""
    _STOPPED.set()
    for limit in _WATCH.all():
        limit.fire(RenderStopped)


def reset() -> None:
    """Let renders run again (a new build: stop_renders stopped the one before)."""
    _STOPPED.clear()


def bounded_range(*args: int) -> range:
    """range() for templates, at most MAX_RANGE long."""
    made = range(*args)
    if len(made) > MAX_RANGE:
        raise OverflowError(f"range() of {len(made)} items in a template; at most {MAX_RANGE}")
    return made
