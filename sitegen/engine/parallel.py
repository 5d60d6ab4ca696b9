"""Process parallelism for the expensive stages of a cold build (Markdown, page rendering).

Workers are forked, so they start with everything the parent built (the model, the plan,
the compiled templates) without pickling it; only chunk numbers go to them and small results
come back. Results are returned in chunk order, so output never depends on which worker
finished first. With one job, or too little work to pay for the fork, chunks run here.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sitegen.errors import OutputError

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Held while a pool forks its workers, and by the dev server's threads while they render a
# page (see render.PendingPages): a fork copies locks as they are, so no worker may start
# with a lock (Jinja2's template cache, say) that a rendering thread held at that instant.
FORK_LOCK = threading.Lock()

# What forked workers read: (function, state, chunks). Set only while a pool runs.
_WORK: tuple[Callable[[Any, Any], Any], Any, Sequence[Any]] | None = None


_WORKERS: set[int] = set()  # the pids of the running pools' workers


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run_chunk(index: int) -> Any:
    assert _WORK is not None
    func, state, chunks = _WORK
    return func(state, chunks[index])


_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to its parent (which stops the pool) and dies quietly when
    the pool ends it: the handlers it was forked with (the dev server's, `sitegen build`'s)
    are not its own. It was forked with those signals blocked (see map_chunks), so one
    sent before this point waits for these handlers instead of running the parent's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGUSR1, _stop_renders)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    _die_with_parent()


PR_SET_PDEATHSIG = 1  # linux/prctl.h
_POOL_THREAD: int | None = None  # the thread making the pool that forks now (see _forking)


@contextlib.contextmanager
def _forking() -> Iterator[None]:
    """FORK_LOCK, held while a pool forks its workers, and the forking thread named for
    them (see _die_with_parent)."""
    global _POOL_THREAD
    with FORK_LOCK:
        _POOL_THREAD = threading.get_ident()
        yield


def _die_with_parent() -> None:
    """A worker dies with its parent. A parent killed outright (SIGKILL, the out-of-memory
    killer) never ends its pool: its workers went on drawing cards and rendering pages
    nobody would read, into the image cache, and printed a traceback each when they found
    the pipe back closed. Linux's parent-death signal; elsewhere the workers run out.

    The signal comes when the thread that forked the worker ends, not the process. A pool
    forks its workers in the thread that makes it, which outlives the pool; but a worker
    replacing a dead one is forked by the pool's handler thread, which ends as the pool is
    terminated: one killed then held the pool's queue lock, and the terminate waited for
    it for ever. A worker forked by any other thread than the pool's maker (the same
    thread id in the child, as fork copies the calling thread) runs out as before."""
    libc = _libc()
    if libc is not None and threading.get_ident() == _POOL_THREAD:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the signal was asked for


def _stop_renders(signum: int, frame: object) -> None:
    """SIGUSR1 from the parent (see stop_workers): stop the page being rendered."""
    from sitegen.render import deadline

    deadline.stop_renders()


def stop_workers() -> None:
    """Ask every worker of the running pools to stop the page it renders (the dev server
    closing while a template never ends): their chunk fails and the pool finishes."""
    for pid in list(_WORKERS):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGUSR1)


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _here(jobs: int, items: int, chunks: int, min_items: int) -> bool:
    """Run in this process: one job, too little work to pay for the fork, or no fork."""
    return (jobs <= 1 or items < min_items or chunks < 2
            or "fork" not in multiprocessing.get_all_start_methods())


def map_chunks(func: Callable[[S, Sequence[T]], R], state: S, items: Sequence[T], *,
               jobs: int, chunk_size: int, min_items: int) -> list[R]:
    """`func(state, chunk)` for each chunk of `items`, in order, on up to `jobs` processes.

    `func` must be a module-level function. Below `min_items` items, or with one job, or
    where fork is unavailable, everything runs in this process.
    """
    global _WORK
    chunks = chunked(items, chunk_size)
    if _here(jobs, len(items), len(chunks), min_items):
        return [func(state, chunk) for chunk in chunks]
    _WORK = (func, state, chunks)
    gc.freeze()  # the workers' collector leaves the parent's objects alone (copy-on-write)
    _trim()
    try:
        with _forking():
            # A pool that ends at once (a few quick chunks) sends SIGTERM to workers still
            # starting: with the parent's handler (which raises KeyboardInterrupt) one could
            # die holding the pool's queue lock and leave the others waiting on it forever.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
            try:
                pool = multiprocessing.get_context("fork").Pool(min(jobs, len(chunks)),
                                                                initializer=_worker_signals)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        with pool:
            workers = list(pool._pool)  # type: ignore[attr-defined]
            pids = [process.pid for process in workers if process.pid]
            _WORKERS.update(pids)
            try:
                result = pool.map_async(_run_chunk, range(len(chunks)), chunksize=1)
                while not result.ready():
                    result.wait(WATCH_SECONDS)
                    _check_alive(workers)
                return result.get()
            finally:
                _WORKERS.difference_update(pids)
    finally:
        _WORK = None
        gc.unfreeze()


WATCH_SECONDS = 1.0  # how often a waiting parent looks for a worker that died


def _check_alive(workers: list[Any]) -> None:
    """Fail when a worker died in the middle of the work (the kernel's out-of-memory
    killer, a kill -9): a multiprocessing pool starts another, but the chunk the dead one
    held is never done, and the build would wait for it for ever."""
    for process in workers:
        code = process.exitcode
        if code is not None:
            how = (f"exited with {code}" if code >= 0 else
                   "was killed (signal 9, as the kernel does when memory runs out)"
                   if code == -signal.SIGKILL else f"was killed by signal {-code}")
            raise OutputError(
                f"a worker process of this build {how}; nothing was written. "
                "Build again with fewer processes (--jobs 1) or with more memory free.")


def _trim() -> None:
    """Give the C heap's free pages back before forking: a worker starts with its parent's
    resident pages, so the ones a stage freed (a cold build's bodies, passed through on
    their way to the store) would count in every worker's memory. glibc only."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    """glibc, with the two calls used here; None where there is none."""
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
            _LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong,
                                    ctypes.c_ulong, ctypes.c_ulong]
        except (OSError, AttributeError):
            _LIBC = False
    return _LIBC if isinstance(_LIBC, ctypes.CDLL) else None


_LIBC: ctypes.CDLL | bool | None = None


# For `imap_stretches`, while its pool runs: each worker's stretch of the chunks as
# [next, end) by rank, in one array shared with the workers; the ranks given out so far.
_STRETCHES: Any = None
_RANKS: Any = None
_RANK = 0  # this worker's


def _take_rank() -> None:
    global _RANK
    _worker_signals()
    with _RANKS.get_lock():
        _RANK = _RANKS.value
        _RANKS.value += 1


def _next_chunk() -> int:
    """The next chunk of this worker's stretch; once that is done, the last chunk of the
    stretch with the most left (another worker's, from its far end)."""
    spans = _STRETCHES
    with spans.get_lock():
        count = len(spans) // 2
        own = _RANK % count
        if spans[2 * own] < spans[2 * own + 1]:
            spans[2 * own] += 1
            return int(spans[2 * own]) - 1
        most = max(range(count), key=lambda rank: spans[2 * rank + 1] - spans[2 * rank])
        spans[2 * most + 1] -= 1
        return int(spans[2 * most + 1])


def _run_stretch(ticket: int) -> Any:
    assert _WORK is not None
    func, state, chunks = _WORK
    return func(state, chunks[_next_chunk()])


def imap_stretches(func: Callable[[S, Sequence[T]], R], state: S, items: Sequence[T], *,
                   jobs: int, chunk_size: int, min_items: int) -> Iterator[R]:
    """`imap_chunks`, each worker taking the chunks of its own stretch of `items` in order
    (the first half for one of two, the second for the other), then helping the others;
    results come as they are done, in no set order. Where neighbouring items share work
    a worker keeps for itself (the render's teasers, see render.partials), each is done
    by one worker rather than by all."""
    global _WORK, _STRETCHES, _RANKS
    chunks = chunked(items, chunk_size)
    if _here(jobs, len(items), len(chunks), min_items):
        for chunk in chunks:
            yield func(state, chunk)
        return
    context = multiprocessing.get_context("fork")
    count = min(jobs, len(chunks))
    _STRETCHES = context.Array("q", [bound for rank in range(count) for bound in (
        rank * len(chunks) // count, (rank + 1) * len(chunks) // count)])
    _RANKS = context.Value("i", 0)
    _WORK = (func, state, chunks)
    gc.freeze()
    _trim()
    try:
        with _forking():
            pool = context.Pool(count, initializer=_take_rank)
        with pool:
            workers = list(pool._pool)  # type: ignore[attr-defined]
            pids = [process.pid for process in workers if process.pid]
            _WORKERS.update(pids)
            try:
                yield from _watched(pool.imap_unordered(_run_stretch, range(len(chunks)),
                                                        chunksize=1), workers)
            finally:
                _WORKERS.difference_update(pids)
    finally:
        _WORK = _STRETCHES = _RANKS = None
        gc.unfreeze()


def _watched(results: Any, workers: list[Any]) -> Iterator[Any]:
    """A pool's results as they come, its workers checked while none does (_check_alive)."""
    while True:
        try:
            yield results.next(WATCH_SECONDS)
        except multiprocessing.TimeoutError:
            _check_alive(workers)
        except StopIteration:
            return


def imap_chunks(func: Callable[[S, Sequence[T]], R], state: S, items: Sequence[T], *,
                jobs: int, chunk_size: int, min_items: int) -> Iterator[R]:
    """`map_chunks`, its results given one by one as they come (in order), so that the
    caller need not hold them all: a cold build's bodies go to the store meanwhile."""
    global _WORK
    chunks = chunked(items, chunk_size)
    if _here(jobs, len(items), len(chunks), min_items):
        for chunk in chunks:
            yield func(state, chunk)
        return
    _WORK = (func, state, chunks)
    gc.freeze()
    _trim()
    try:
        with _forking():
            pool = multiprocessing.get_context("fork").Pool(min(jobs, len(chunks)),
                                                            initializer=_worker_signals)
        with pool:
            workers = list(pool._pool)  # type: ignore[attr-defined]
            yield from _watched(pool.imap(_run_chunk, range(len(chunks)), chunksize=1),
                                workers)
    finally:
        _WORK = None
        gc.unfreeze()
