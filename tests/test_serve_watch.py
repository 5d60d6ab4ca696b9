"""The watcher and the debouncer, driven by real file events in temporary site folders:
bursts give at most two rebuilds, editor temporaries are ignored, a save by rename is one
change, new folders are seen, the output never triggers a rebuild, and a change during a
rebuild queues exactly one more."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from serve_support import ARTICLE, ARTICLE_URL, WAIT, request, serving, wait_for, wait_for_build

from sitegen.engine.build import BuildOptions, build
from sitegen.serve.watch import Debouncer, SiteWatcher, is_source

QUIET = 1.5  # seconds without a rebuild after which the watcher counts as settled


class Recorder:
    """Stands in for the rebuild: records each call's changed paths; can hold a call."""

    def __init__(self) -> None:
        self.calls: list[set[Path]] = []
        self.started: list[float] = []
        self.last = time.monotonic()
        self.hold = threading.Event()
        self.hold.set()
        self.entered = threading.Event()

    def __call__(self, changed: set[Path]) -> None:
        self.entered.set()
        started = time.monotonic()
        self.hold.wait(WAIT)
        self.calls.append(changed)
        self.started.append(started)
        self.last = time.monotonic()

    @property
    def changed(self) -> set[Path]:
        return set().union(*self.calls) if self.calls else set()

    def settle(self, *, expect_calls: bool = True) -> list[set[Path]]:
        """Wait until a call came (when expected) and none came for QUIET seconds."""
        if expect_calls:
            wait_for(lambda: self.calls, what="a rebuild")
        start = time.monotonic()
        self.last = max(self.last, start)
        wait_for(lambda: time.monotonic() - self.last > QUIET, timeout=WAIT + QUIET)
        return self.calls


@pytest.fixture
def watched(make_site) -> Iterator[tuple[Path, Recorder]]:
    site = make_site()
    recorder = Recorder()
    debouncer = Debouncer(recorder)
    watcher = SiteWatcher(site, site / "build", debouncer.poke)
    watcher.start()
    debouncer.start()
    try:
        yield site.resolve(), recorder
    finally:
        watcher.stop()
        debouncer.stop()


def article(title: str, day: int = 1) -> str:
    return f"---\ntitle: {title}\ndate: 2024-05-{day:02d}\nauthor: ann-lee\n---\nBody.\n"


@pytest.mark.parametrize(("rel", "expected"), [
    ("content/articles/2024/x.md", True),
    ("content/authors/ann.yaml", True),
    ("themes/mine/templates/base.html", True),
    ("static/css/style.css", True),
    ("sitegen.yaml", True),
    ("content", True),
    ("content/articles/2024/.x.md.swp", False),
    ("content/articles/2024/x.md.swp", False),
    ("content/articles/2024/4913", False),
    ("content/articles/2024/x.md~", False),
    ("content/articles/2024/.#x.md", False),
    ("content/articles/2024/#x.md#", False),
    ("content/articles/2024/x.md___jb_tmp___", False),
    ("content/articles/2024/x.md___jb_old___", False),
    ("content/articles/2024/.goutputstream-AB12CD", False),
    ("content/.git/index", False),
    ("content/articles/.drafts/x.md", False),
    ("build/index.html", False),
    ("build", False),
    (".build.tmp-1234/index.html", False),
    (".build.old-1234/2024/x/index.html", False),
    ("README.md", False),
    ("notes/x.md", False),
    # static folders publish hidden files (a host reads them), never VCS or editor files
    ("static/.well-known/security.txt", True),
    ("static/.nojekyll", True),
    ("themes/mine/static/.htaccess", True),
    ("static/.git/config", False),
    ("static/.DS_Store", False),
    ("static/css/.style.css.swp", False),
    ("themes/mine/templates/.x.html", False),
])
def test_which_paths_are_sources(tmp_path: Path, rel: str, expected: bool) -> None:
    site = tmp_path / "site"
    assert is_source(site / rel, site, site / "build") is expected
    assert is_source(tmp_path / "elsewhere.md", site, site / "build") is False


def test_a_burst_of_500_writes_gives_at_most_two_rebuilds(watched) -> None:
    site, recorder = watched
    folder = site / "content/articles/2025"
    folder.mkdir()
    paths = [folder / f"story-{n:03d}.md" for n in range(500)]
    for n, path in enumerate(paths):
        path.write_text(article(f"Story {n}"))
    calls = recorder.settle()
    assert 1 <= len(calls) <= 2
    assert set(paths) <= recorder.changed


def test_a_copy_of_1000_files_gives_at_most_two_rebuilds(watched, tmp_path: Path) -> None:
    site, recorder = watched
    source = tmp_path / "incoming"
    source.mkdir()
    for n in range(1000):
        (source / f"copied-{n:04d}.md").write_text(article(f"Copied {n}"))
    shutil.copytree(source, site / "content/articles/copied")
    calls = recorder.settle()
    assert 1 <= len(calls) <= 2
    copied = {p for p in recorder.changed if p.parent.name == "copied"}
    assert len(copied) == 1000


def test_editor_temporaries_never_trigger_a_rebuild(watched) -> None:
    site, recorder = watched
    folder = site / "content/articles/2024"
    for name in ("4913", "first.md.swp", ".first.md.swp", "first.md~", ".#first.md",
                 "#first.md#", "first.md___jb_tmp___", "first.md___jb_old___",
                 ".goutputstream-XYZ123"):
        (folder / name).write_text("scratch")
        (folder / name).unlink()
    assert recorder.settle(expect_calls=False) == []


@pytest.mark.parametrize("editor", ["vim", "jetbrains", "gedit", "emacs"])
def test_a_save_by_rename_is_one_change_of_its_target(watched, editor: str) -> None:
    site, recorder = watched
    folder = site / "content/articles/2024"
    target = folder / "first.md"
    new = article("Saved Again")
    if editor == "vim":  # probe 4913, back up by rename, write anew, drop the backup
        (folder / "4913").write_text("")
        (folder / "4913").unlink()
        target.rename(folder / "first.md~")
        target.write_text(new)
        (folder / "first.md~").unlink()
    elif editor == "jetbrains":
        (folder / "first.md___jb_tmp___").write_text(new)
        target.rename(folder / "first.md___jb_old___")
        (folder / "first.md___jb_tmp___").rename(target)
        (folder / "first.md___jb_old___").unlink()
    elif editor == "gedit":
        (folder / ".goutputstream-Q1W2E3").write_text(new)
        (folder / ".goutputstream-Q1W2E3").rename(target)
    else:  # emacs: a lock symlink while editing, then an in-place write
        os.symlink("user@host.1234:1", folder / ".#first.md")
        target.write_text(new)
        (folder / ".#first.md").unlink()
    calls = recorder.settle()
    assert calls == [{target}]


def test_files_created_in_a_new_folder_are_seen(watched) -> None:
    site, recorder = watched
    deep = site / "content/articles/2031/a/b/c"
    deep.mkdir(parents=True)
    (deep / "inside.md").write_text(article("Deep"))
    recorder.settle()
    assert deep / "inside.md" in recorder.changed


def rebuilt_after(recorder: Recorder, moment: float, paths: set[Path]) -> bool:
    """True once a rebuild that started after `moment` was told of one of `paths`."""
    calls = zip(list(recorder.started), list(recorder.calls), strict=False)  # appended apart
    return any(started >= moment and changed & paths for started, changed in calls)


def test_a_new_or_replaced_source_folder_is_watched(watched, tmp_path: Path) -> None:
    site, recorder = watched
    style = site / "static/css/style.css"
    for attempt in range(2):
        if attempt:  # replace the whole folder: the old watch died with it
            shutil.move(site / "static", tmp_path / "old-static")
        (site / "static/css").mkdir(parents=True)
        time.sleep(0.5)  # the watcher schedules the new folder when it sees it appear
        style.write_text(f"body {{ color: red; --attempt: {attempt} }}")
        # The write itself is seen, or (on a slow machine, when the folder was seen only
        # after the write) the folder's appearance triggers a rebuild that reads it.
        wait_for(partial(rebuilt_after, recorder, time.monotonic(), {style, site / "static"}),
                 what="a rebuild that sees the new static/ folder's file")


def test_writes_to_the_output_never_trigger_a_rebuild(watched) -> None:
    site, recorder = watched
    for _ in range(3):
        build(BuildOptions(site=site, now=FIXED_NOW))  # temp folder, swap, old folder removed
    (site / "build/extra.html").write_text("written by hand into the output")
    (site / ".build.tmp-999").mkdir()
    (site / ".build.tmp-999/x.html").write_text("a leftover temporary")
    assert recorder.settle(expect_calls=False) == []


def test_a_change_during_a_rebuild_queues_exactly_one_more(watched) -> None:
    site, recorder = watched
    folder = site / "content/articles/2024"
    recorder.hold.clear()
    (folder / "first.md").write_text(article("During One"))
    assert recorder.entered.wait(WAIT)  # the first rebuild is running (and held)
    during = [folder / f"during-{n}.md" for n in range(50)]
    for n, path in enumerate(during):
        path.write_text(article(f"During {n}"))
    time.sleep(1.0)  # far longer than the debounce: they would have fired if they could
    recorder.hold.set()
    calls = recorder.settle()
    assert len(calls) == 2
    assert calls[0] == {folder / "first.md"}
    assert set(during) <= calls[1]


def test_a_burst_that_stalls_now_and_then_is_not_rebuilt_at_every_stall(tmp_path: Path) -> None:
    """A copy on a busy machine pauses for longer than the quiet time now and then: the
    batches that continue its burst wait longer for quiet, rather than one rebuild per
    pause (13 here at a fixed 50 ms), while a save after a pause is again quick."""
    recorder = Recorder()
    debouncer = Debouncer(recorder)
    debouncer.start()
    try:
        for n in range(13):
            debouncer.poke(tmp_path / f"copied-{n}.md")
            time.sleep(0.08)  # past the 50 ms quiet time, well within a burst
        recorder.settle()
        assert len(recorder.calls) <= 6
        assert recorder.changed == {tmp_path / f"copied-{n}.md" for n in range(13)}
        time.sleep(1.0)  # a pause: the next save starts afresh
        before = len(recorder.calls)
        saved = time.monotonic()
        debouncer.poke(tmp_path / "saved.md")
        wait_for(lambda: len(recorder.calls) > before, what="the save's rebuild")
        assert recorder.started[-1] - saved < 0.3  # 50 ms of quiet, not the burst's 400
    finally:
        debouncer.stop()


def test_polling_sees_changes_too(make_site) -> None:
    site = make_site().resolve()
    recorder = Recorder()
    debouncer = Debouncer(recorder)
    watcher = SiteWatcher(site, site / "build", debouncer.poke, poll=True)
    watcher.start()
    debouncer.start()
    try:
        time.sleep(0.6)  # let the first snapshot be taken
        (site / ARTICLE).write_text(article("Polled"))
        (site / "content/articles/2024/first.md.swp").write_text("swap")
        recorder.settle()
        assert recorder.changed == {site / ARTICLE}
    finally:
        watcher.stop()
        debouncer.stop()


def test_the_preview_rebuilds_a_burst_at_most_twice_and_serves_the_last_write(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        builds = server.preview.builds
        target = site / ARTICLE
        for n in range(500):
            target.write_text(article(f"Version {n}"))
        wait_for_build(server, builds)
        time.sleep(QUIET)
        wait_for(lambda: not server.preview.building)
        assert 1 <= server.preview.builds - builds <= 2
        page = request(server, "/2024/05/01/first/").text
        assert '<h1 class="headline">Version 499</h1>' in page
        assert request(server, ARTICLE_URL).status == 404  # the date moved the article


def test_an_atomic_save_gives_one_rebuild(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        builds = server.preview.builds
        folder = site / "content/articles/2024"
        (folder / "first.md___jb_tmp___").write_text(article("Atomic"))
        (folder / "first.md___jb_tmp___").replace(folder / "first.md")
        wait_for_build(server, builds)
        time.sleep(QUIET)
        assert server.preview.builds == builds + 1
        assert "Atomic" in request(server, "/2024/05/01/first/").text
