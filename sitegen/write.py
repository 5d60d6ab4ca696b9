"""Stage 8: write the output atomically.

Pages go into a fresh folder beside the output; when every page rendered, the old output is
swapped out and the new one in with two renames. A failed or killed build leaves the last good
output untouched; the next run cleans its leftovers. Files whose bytes did not change are
hard-linked from the previous build instead of written: creating thousands of fresh inodes
right after deleting thousands costs seconds on ext4, a link costs almost nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from sitegen.errors import UsageError

MARKER = ".sitegen-output"
KEEP = (".git", "CNAME")  # a deploy checkout in the output survives a build


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _libc_renameat2() -> object | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.renameat2
    except (OSError, AttributeError):
        return None


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False if unsupported.

    With it there is no instant at which the output folder is missing, so even a build killed
    mid-swap leaves readers (and a running dev server) a complete site.
    """
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _siblings(out: Path, tag: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{tag}-*"))


def check_output_dir(out: Path, site: Path) -> None:
    """Refuse an output folder whose replacement would destroy something sitegen did not make."""
    out = out.resolve()
    site = site.resolve()
    home = Path.home().resolve()
    forbidden = {Path("/"), home, site, site / "content", site / "themes", site / "static",
                 *site.parents}
    if out in forbidden or out in site.parents:
        raise UsageError(f"refusing to use {out} as the output folder: building replaces it "
                         "whole. Pass --output with a folder of its own, such as build/.")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder. Pass another --output.")
    if out.is_dir() and not (out / MARKER).exists():
        entries = [p for p in out.iterdir() if p.name not in KEEP]
        if entries:
            raise UsageError(f"{out} already holds files that sitegen did not write. Empty it "
                             "or pass another --output; sitegen will not delete them.")


def recover(out: Path) -> None:
    """Finish or undo what a killed build left: restore the old output, drop temporaries."""
    olds = _siblings(out, "old")
    if not out.exists() and olds:
        olds[-1].rename(out)
        olds = olds[:-1]
    for leftover in [*olds, *_siblings(out, "tmp")]:
        shutil.rmtree(leftover, ignore_errors=True)


class OutputWriter:
    """Writes files into a temporary tree, then swaps it in place of the output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        recover(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir()
        (self.tmp / MARKER).write_bytes(b"")
        self.previous = out if out.is_dir() else None
        self.written = 0
        self.linked = 0
        self._dirs: set[Path] = {self.tmp}

    def _target(self, rel: str) -> Path:
        target = (self.tmp / rel).resolve()
        if not target.is_relative_to(self.tmp.resolve()) or target == self.tmp.resolve():
            raise ValueError(f"refusing to write {rel!r} outside the output folder")
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def _link_unchanged(self, rel: str, target: Path, data: bytes) -> bool:
        if self.previous is None:
            return False
        old = self.previous / rel
        try:
            if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, target)
        except OSError:
            return False
        self.linked += 1
        return True

    def add(self, rel: str, data: bytes) -> None:
        """Put one file at `rel` (a path inside the output) in the new tree."""
        target = self._target(rel)
        if target.exists():
            target.unlink()
        if not self._link_unchanged(rel, target, data):
            target.write_bytes(data)
            self.written += 1

    def copy(self, rel: str, source: Path) -> None:
        """Copy a static file, linking the previous build's copy when it is identical."""
        data = source.read_bytes()
        self.add(rel, data)

    def exists(self, rel: str) -> bool:
        return (self.tmp / rel).exists()

    def commit(self) -> None:
        """Swap the new tree in: atomically where the kernel can, else with two renames."""
        if self.previous is not None:
            for name in KEEP:
                kept = self.previous / name
                if kept.exists() and not (self.tmp / name).exists():
                    kept.rename(self.tmp / name)
            if exchange(self.tmp, self.out):
                shutil.rmtree(self.tmp, ignore_errors=True)  # now holds the old tree
                return
            old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            self.out.rename(old)
            self.tmp.rename(self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.out)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
