"""Parallel builds write the same bytes as serial ones, whatever the hash seed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXED_NOW, REPO, tree_bytes
from newsroom import write_newsroom

from sitegen.content import read as content
from sitegen.engine import parallel
from sitegen.engine.build import BuildOptions, build
from sitegen.engine.produce import MIN_PARALLEL_RENDER

ARTICLES = 130  # enough for both stages to fork (see the thresholds asserted below)


def test_one_and_two_processes_write_the_same_bytes(tmp_path: Path) -> None:
    site = write_newsroom(tmp_path / "site", articles=ARTICLES)
    serial = build(BuildOptions(site=site, output=tmp_path / "j1", now=FIXED_NOW, jobs=1,
                                clean=True))
    parallel = build(BuildOptions(site=site, output=tmp_path / "j2", now=FIXED_NOW, jobs=2,
                                  clean=True))
    assert ARTICLES >= content.MIN_PARALLEL
    assert len(parallel.rendered) >= MIN_PARALLEL_RENDER
    assert serial.pages == parallel.pages
    assert tree_bytes(tmp_path / "j1") == tree_bytes(tmp_path / "j2")


def test_parallel_build_reports_every_template_error(tmp_path: Path) -> None:
    """A broken template fails the build from the workers too, output untouched."""
    site = write_newsroom(tmp_path / "site", articles=ARTICLES)
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=2))
    before = tree_bytes(site / "build")
    broken = site / "themes/default/templates/partials/byline.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{{ article.no_such_field.deeper }}\n")
    from sitegen.errors import ContentError

    try:
        build(BuildOptions(site=site, now=FIXED_NOW, jobs=2))
    except ContentError as exc:
        assert "byline.html" in str(exc)
    else:
        raise AssertionError("a broken template must fail the build")
    assert tree_bytes(site / "build") == before


def _cli_build(site: Path, out: Path, seed: str, jobs: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                           "--output", str(out), "--now", FIXED_NOW.isoformat(), "--clean",
                           "--jobs", jobs, "-q"], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    site = write_newsroom(tmp_path / "site", articles=ARTICLES)
    _cli_build(site, tmp_path / "a", "1", "2")
    _cli_build(site, tmp_path / "b", "4242", "1")
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def _worker_handlers(_state: object, chunk: object) -> list[tuple[object, object]]:
    return [(signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))]


def test_workers_do_not_keep_the_signal_handlers_they_were_forked_with() -> None:
    """The dev server turns SIGTERM into KeyboardInterrupt; a render worker forked from it
    kept that handler, so the pool ending it printed a traceback. Workers leave Ctrl-C to
    their parent and die quietly on SIGTERM."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        seen = parallel.map_chunks(_worker_handlers, None, list(range(8)), jobs=2,
                                   chunk_size=2, min_items=1)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == [[(signal.SIG_IGN, signal.SIG_DFL)]] * 4


def test_a_worker_killed_mid_build_fails_the_build_and_keeps_the_output(
        tmp_path: Path, monkeypatch) -> None:
    # As the kernel's out-of-memory killer does: the worker rendering one article's page
    # is killed. A multiprocessing pool starts another worker, but that chunk would never
    # be done; the build must say so and fail, not wait for ever, and keep the last output.
    import pytest

    from sitegen.errors import OutputError
    from sitegen.render import pages

    site = write_newsroom(tmp_path / "site", articles=ARTICLES)
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=2))
    before = tree_bytes(site / "build")
    victim = site / "content/articles/2024/story-007.md"
    victim.write_text(victim.read_text().replace("Story number 7", "Story seven"))
    render_page = pages.render_page

    def killed_on_story_seven(env, plan, page, config):  # type: ignore[no-untyped-def]
        if "Story seven" in str(page.context.get("article", "")) and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return render_page(env, plan, page, config)

    parent = os.getpid()
    monkeypatch.setattr(pages, "render_page", killed_on_story_seven)
    monkeypatch.setattr(parallel, "WATCH_SECONDS", 0.1)
    with pytest.raises(OutputError, match=r"worker process of this build was killed "
                                          r"\(signal 9.*--jobs 1"):
        build(BuildOptions(site=site, now=FIXED_NOW, jobs=2, clean=True))
    assert tree_bytes(site / "build") == before


def _chunk_with_worker(state: None, chunk: list[int]) -> tuple[int, list[int]]:
    time.sleep(0.01)  # a worker's 50 chunks take longer than the other takes to start
    return os.getpid(), list(chunk)


def test_stretches_do_every_chunk_once_each_worker_its_own_half_first() -> None:
    """The render's scheduling (parallel.imap_stretches): every item once, and each worker
    starts on its own stretch, in order, so neighbouring pages share one worker's teasers."""
    items = list(range(400))
    done = list(parallel.imap_stretches(_chunk_with_worker, None, items, jobs=2,
                                        chunk_size=4, min_items=10))
    assert sorted(i for _, chunk in done for i in chunk) == items
    by_worker: dict[int, list[int]] = {}
    for pid, chunk in done:
        by_worker.setdefault(pid, []).append(chunk[0])
    assert len(by_worker) == 2 and os.getpid() not in by_worker
    firsts = sorted(starts[0] for starts in by_worker.values())
    assert firsts == [0, 200]  # each began at the start of its half
    for starts in by_worker.values():  # and went on in order within it
        own = [s for s in starts if (s < 200) == (starts[0] < 200)]
        assert own == sorted(own)


PR_GET_PDEATHSIG = 2  # linux/prctl.h


def _death_signal() -> tuple[int, int]:
    """This worker's pid, and the signal it gets when the thread that forked it ends."""
    import ctypes

    value = ctypes.c_int()
    ctypes.CDLL("libc.so.6").prctl(PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0)
    return os.getpid(), value.value


def test_only_workers_forked_by_the_pools_maker_die_with_it() -> None:
    """A pool's workers die with the build that made them (sitegen.engine.parallel
    ._die_with_parent). A worker replacing a dead one is forked by the pool's own handler
    thread, which ends while the pool is terminated: with the signal it died then, holding
    the pool's queue lock, and the terminate after a killed worker waited for ever."""
    import multiprocessing
    import threading

    seen: list[tuple[int, int]] = []

    def scenario() -> None:  # in a thread, so that a terminate that hangs fails the test
        with parallel._forking():
            pool = multiprocessing.get_context("fork").Pool(
                1, initializer=parallel._worker_signals)
        with pool:
            seen.append(pool.apply(_death_signal))
            pool.apply_async(_killed)  # killed at work, not while it waits on the queue
            deadline = time.monotonic() + 30
            while [p.pid for p in pool._pool] == [seen[0][0]]:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)
            seen.append(pool.apply(_death_signal))

    thread = threading.Thread(target=scenario, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the pool's terminate waited for ever"
    assert len(seen) == 2, "the pool never replaced its killed worker"
    (first, first_signal), (replaced, replaced_signal) = seen
    assert first_signal == signal.SIGKILL
    assert replaced != first and replaced_signal == 0


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
