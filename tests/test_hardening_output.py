"""One writer of the output at a time, an output folder that is its own, a preview that
survives its output being deleted, and a deploy that publishes only the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXED_NOW, run_sitegen, tree_bytes
from serve_support import ARTICLE, ARTICLE_URL, request, save, serving, wait_for, wait_for_build

from sitegen.engine.build import Builder, BuildOptions
from sitegen.output.lock import OutputLocked, lock_path

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, f"{os.getpid()} sitegen build\\n".encode())
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def build(cli, site: Path, *more: str):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *more)


def hold_lock(site: Path, seconds: float = 60) -> subprocess.Popen[str]:
    """Another process holding the site's output lock (as a running build does)."""
    lock_path(site).parent.mkdir(exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path(site)),
                               str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def pages(tree: dict[str, bytes]) -> dict[str, bytes]:
    """A tree without its search index (the dev server brings it up to date later)."""
    return {rel: data for rel, data in tree.items() if not rel.startswith("pagefind/")}


# ---------------------------------------------------------------- the lock


def test_a_build_while_another_writes_is_refused_naming_it(make_site, cli) -> None:
    site = make_site()
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    (site / "content/articles/2024/first.md").write_text(
        "---\ntitle: Changed\ndate: 2024-03-01\n---\nNew.\n")
    holder = hold_lock(site)
    try:
        refused = build(cli, site)
    finally:
        holder.kill()
        holder.wait()
    assert refused.code == 2
    assert (f"another sitegen build (pid {holder.pid}) is writing build/ of {site}; wait for "
            f"it to finish or stop it (kill {holder.pid})") in refused.err
    assert tree_bytes(site / "build") == before
    # The holder is dead: its lock (still naming it in the file) is taken over.
    again = build(cli, site)
    assert again.code == 0, again.err
    assert b"Changed" in tree_bytes(site / "build")["2024/03/01/first/index.html"]


def test_two_builds_at_once_leave_a_complete_build(make_site) -> None:
    """Real processes started together: each either builds or is refused by the other, and
    build/ is a whole build, byte for byte a clean one's."""
    files = {f"content/articles/2023/a{i:03d}.md":
             f"---\ntitle: Story {i}\ndate: 2023-01-{1 + i % 28:02d}\ntags: [t{i % 7}]\n---\n"
             f"Body {i}.\n" for i in range(120)}
    site = make_site(files)
    args = ["build", "--site", str(site), "--now", FIXED_NOW.isoformat(), "--clean"]
    runs: list[subprocess.CompletedProcess[str]] = []
    threads = [threading.Thread(target=lambda: runs.append(run_sitegen(*args)))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.returncode == 0 or (r.returncode == 2 and "is writing build/" in r.stderr)
               for r in runs), [r.stderr for r in runs]
    assert "Traceback" not in "".join(r.stderr for r in runs)
    assert any(r.returncode == 0 for r in runs)
    made = tree_bytes(site / "build")
    reference = site.parent / "reference"
    assert run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--clean",
                       "--output", reference).returncode == 0
    assert made == tree_bytes(reference)
    again = run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert again.returncode == 0 and "Up to date" in again.stdout


def test_the_dev_server_waits_for_another_build(make_site) -> None:
    site = make_site()
    holder = hold_lock(site, seconds=1.0)
    builder = Builder(BuildOptions(site=site, now=FIXED_NOW, in_place=True))
    builder.lock_wait = 30
    start = time.monotonic()
    result = builder.build()
    holder.wait()
    assert result.total_pages > 0 and time.monotonic() - start >= 0.5
    holder = hold_lock(site)
    try:
        builder.lock_wait = 0.3
        with pytest.raises(OutputLocked, match=f"pid {holder.pid}"):
            builder.build()
    finally:
        holder.kill()
        holder.wait()


def test_a_build_while_the_dev_server_runs_keeps_both_whole(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        done = run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--clean")
        assert done.returncode == 0, done.stderr
        # The build swapped a new build/ in: the preview's next rebuild notices (another
        # folder than the one it wrote) and checks it whole.
        save(site / ARTICLE, (site / ARTICLE).read_text().replace("First Story", "Edited"))
        wait_for(lambda: "Edited" in request(server, ARTICLE_URL).text, what="the edit")
        wait_for(lambda: not server.preview.building, what="the rest of the rebuild")
        assert server.preview.status.errors == ()
        served = tree_bytes(site / "build")
    reference = site.parent / "reference"
    assert run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--clean",
                       "--output", reference).returncode == 0
    assert pages(served) == pages(tree_bytes(reference))


# ---------------------------------------------------------------- the output folder


def sources(site: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in tree_bytes(site).items()
            if not rel.startswith(".sitegen-cache/")}


@pytest.mark.parametrize("where", ["static/out", "content/build", "content", "static",
                                   "themes/mine/build", ".sitegen-cache/out", ".", ".."])
def test_an_output_folder_among_the_sources_is_refused(make_site, cli, where: str) -> None:
    site = make_site({"static/robots-extra.txt": "x\n"})
    before = sources(site)
    result = build(cli, site, "--output", str(site / where))
    assert result.code == 2
    assert "refusing to use" in result.err and "as the output folder" in result.err
    assert "Pass --output" in result.err
    assert sources(site) == before
    assert not (site / "build").exists()


def test_an_output_folder_in_a_symlinked_static_folder_is_refused(make_site, cli,
                                                                 tmp_path: Path) -> None:
    elsewhere = tmp_path / "assets"
    elsewhere.mkdir()
    site = make_site()
    (site / "static").symlink_to(elsewhere)
    result = build(cli, site, "--output", str(elsewhere / "site"))
    assert result.code == 2 and "refusing to use" in result.err
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- build/ deleted while serving


def test_the_preview_rebuilds_a_deleted_output_folder(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        whole = tree_bytes(site / "build")
        shutil.rmtree(site / "build")
        # Asked for a page before the watcher's rebuild: a clear answer, never a crash.
        reply = request(server, ARTICLE_URL)
        assert reply.status in (200, 503)
        if reply.status == 503:
            assert "was deleted while the preview ran" in reply.text
        wait_for(lambda: request(server, ARTICLE_URL).status == 200, what="a rebuilt page")
        wait_for(lambda: tree_bytes(site / "build") == whole, what="the whole output again")
        # An edit after that patches a whole tree, not a partial one.
        builds = server.preview.builds
        save(site / ARTICLE, (site / ARTICLE).read_text().replace("First Story", "Edited"))
        wait_for_build(server, builds)
        assert "Edited" in request(server, ARTICLE_URL).text
        assert set(tree_bytes(site / "build")) == set(whole)


def test_an_output_folder_deleted_between_saves_is_whole_after_the_next(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        whole = set(tree_bytes(site / "build"))
        server._watcher.stop()  # type: ignore[union-attr]  # only the save is seen
        shutil.rmtree(site / "build")
        server.preview.rebuild([site / ARTICLE])
        assert set(tree_bytes(site / "build")) == whole


# ---------------------------------------------------------------- deploy


@pytest.mark.skipif(shutil.which("rsync") is None, reason="scripts/test.sh installs rsync")
def test_deploy_never_publishes_sitegen_s_own_files(make_site, cli, tmp_path: Path) -> None:
    www = tmp_path / "www"
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://example.test/\n"
                      f"deploy:\n  web: {{rsync: \"{www}/\"}}\n"})
    www.mkdir()
    (www / ".sitegen-output").write_text("")  # published by an older sitegen
    assert build(cli, site).code == 0
    assert (site / "build/.sitegen-output").exists()
    result = cli("deploy", "--site", site)
    assert result.code == 0, result.err
    assert not (www / ".sitegen-output").exists()
    assert (www / "index.html").is_file()
