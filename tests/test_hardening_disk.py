"""A full disk (ENOSPC) during `sitegen import` and `sitegen new site`: a clear message, a
non-zero exit, and no half-written file or half a site; writing through a folder that links
out of the site is refused."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from test_handin import EXAMPLE, example_text

from sitegen.commands import scaffold


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def new_site(tmp_path: Path, cli) -> Path:
    site = tmp_path / "s"
    assert cli("new", "site", site, "--now", FIXED_NOW.isoformat()).code == 0
    return site


def full_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """The disk fills after `writes` temporaries were written."""
    real = scaffold._write_temporary
    count = [0]

    def write(path: Path, text: str) -> str:
        count[0] += 1
        if count[0] > writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, text)

    monkeypatch.setattr(scaffold, "_write_temporary", write)


@pytest.mark.parametrize("writes", [0, 1])
def test_import_on_a_full_disk_writes_nothing(new_site: Path, cli, monkeypatch,
                                              writes: int) -> None:
    example_text()
    before = files_under(new_site)
    full_disk_after(monkeypatch, writes)  # the article, then its author's new profile
    result = cli("import", EXAMPLE, "--site", new_site, "--date", "2015-10-08")
    assert result.code == 2 and "Traceback" not in result.err
    assert "cannot write (No space left on device). Nothing was written; free some disk " \
           "space" in result.err
    assert files_under(new_site) == before
    assert not list(new_site.rglob("*.tmp"))


@pytest.mark.parametrize("writes", [0, 3])
def test_new_site_on_a_full_disk_leaves_no_half_site(tmp_path: Path, cli, monkeypatch,
                                                     writes: int) -> None:
    full_disk_after(monkeypatch, writes)
    result = cli("new", "site", tmp_path / "paper", "--now", FIXED_NOW.isoformat())
    assert result.code == 2 and "No space left on device" in result.err
    assert not (tmp_path / "paper").exists()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 64 KB file system (tmpfs), where the machine lets us mount one."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_new_site_on_a_really_full_disk(tiny_disk: Path, cli) -> None:
    (tiny_disk / "filler").write_bytes(b"x" * (60 * 1024))
    result = cli("new", "site", tiny_disk / "paper", "--now", FIXED_NOW.isoformat())
    assert result.code == 2 and "No space left on device" in result.err
    assert not (tiny_disk / "paper").exists()


def test_import_through_a_folder_linking_out_is_refused(new_site: Path, cli,
                                                        tmp_path: Path) -> None:
    example_text()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (new_site / "content/articles/2015").symlink_to(elsewhere)
    result = cli("import", EXAMPLE, "--site", new_site, "--date", "2015-10-08")
    assert result.code == 1
    assert "content/articles/2015:1:1: error: leads out of the site" in result.err
    assert list(elsewhere.iterdir()) == []
