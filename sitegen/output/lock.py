"""One writer of a site's output at a time: the lock every `sitegen build`, every rebuild
of `sitegen serve` and every `sitegen deploy` holds while it works.

Two builds of one site used to delete each other's work trees (each start-up clears the
leftovers of a killed build), so that a failed build left an incomplete `build/` behind
and the next one called it up to date. The lock is `flock(2)` on
`.sitegen-cache/lock`: the kernel drops it when its holder exits, however it exits, so a
lock left by a killed process (a dead pid) is simply free and the next build takes it. The
file names its holder (pid and command) for the message a refused build prints.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sitegen.errors import OutputError

LOCK_DIR = ".sitegen-cache"
LOCK_FILE = "lock"
POLL_SECONDS = 0.1


class OutputLocked(OutputError):
    """Another sitegen process is writing this site's output."""


def lock_path(site: Path) -> Path:
    return site / LOCK_DIR / LOCK_FILE


@contextlib.contextmanager
def output_lock(site: Path, out: Path, what: str, *, wait: float = 0.0,
                waiting: str | None = None,
                stop: Callable[[], bool] | None = None) -> Iterator[None]:
    """Hold the site's output lock for the `with` block, as `what` ("sitegen build").

    Taken by another process: wait up to `wait` seconds for it (printing `waiting` once,
    if given) or until `stop()` is true, then raise OutputLocked naming the holder."""
    fd = _open(site)
    try:
        _acquire(fd, site, out, wait, waiting, stop)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _open(site: Path) -> int:
    folder = site / LOCK_DIR
    try:
        folder.mkdir(exist_ok=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        return os.open(lock_path(site), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the build lock ({exc.strerror}). Check "
                          "the site folder's permissions and free space.") from None


def _acquire(fd: int, site: Path, out: Path, wait: float, waiting: str | None,
             stop: Callable[[], bool] | None) -> None:
    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline or (stop is not None and stop()):
            raise OutputLocked(_refusal(site, out))
        if waiting is not None and not said:
            print(f"{waiting}: {_refusal(site, out)}", flush=True)
            said = True
        time.sleep(POLL_SECONDS)


def holder(site: Path) -> tuple[int, str] | None:
    """The pid and command written by the lock's holder (or its last holder), if any."""
    try:
        text = lock_path(site).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    pid, _, what = text.strip().partition(" ")
    return (int(pid), what or "sitegen") if pid.isdigit() else None


def _refusal(site: Path, out: Path) -> str:
    found = holder(site)
    who = f"another {found[1]} (pid {found[0]})" if found else "another sitegen process"
    doing = "publishing" if found and found[1] == "sitegen deploy" else "writing"
    stop = f" or stop it (kill {found[0]})" if found else ""
    name = out.name if out.parent == site else str(out)
    return (f"{who} is {doing} {name}/ of {site}; wait for it to finish{stop}, then run "
            "this again. A lock left by a process that no longer runs is taken over by itself.")
