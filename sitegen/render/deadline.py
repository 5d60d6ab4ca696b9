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
import threading
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


_ACTIVE: dict[int, _Limit] = {}
_ACTIVE_LOCK = threading.Lock()
_STOPPED = threading.Event()


class _Limit:
    """One render's limit: fires at most once, never after the render ended."""

    def __init__(self, ident: int) -> None:
        self.ident = ident
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


@contextmanager
def render_deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise RenderTimeout in this thread if the block runs longer than `seconds` (and
    RenderStopped at once, once stop_renders was called)."""
    if _STOPPED.is_set():
        raise RenderStopped
    limit = _Limit(threading.get_ident())
    timer = threading.Timer(RENDER_TIMEOUT if seconds is None else seconds, limit.fire,
                            args=(RenderTimeout,))
    timer.daemon = True
    with _ACTIVE_LOCK:
        _ACTIVE[limit.ident] = limit
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        limit.finish()
        with _ACTIVE_LOCK:
            _ACTIVE.pop(limit.ident, None)


def stop_renders() -> None:
    """Stop every render in progress in this process, and refuse any later one (the dev
    server closing: a build rendering many pages of a template that never ends)."""
    _STOPPED.set()
    with _ACTIVE_LOCK:
        limits = list(_ACTIVE.values())
    for limit in limits:
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
