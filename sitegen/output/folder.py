"""The output folder as a whole: what may be used as one, the spare tree beside it, the
atomic exchange of two folders, and the clean-up after a killed build. The files inside
it are sitegen.output.write's.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from sitegen.errors import UsageError

MARKER = ".sitegen-output"
SOURCE_FOLDERS = ("content", "static", "themes", ".sitegen-cache")  # what a build reads
KEEP = (".git", "CNAME")  # a deploy checkout in the output survives a build


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _libc_renameat2() -> Callable[..., int] | None:
    try:
        import ctypes  # only where a folder is swapped: not for the no-op check
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function: Callable[..., int] = libc.renameat2
        return function
    except (OSError, AttributeError):
        return None




def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False if unsupported.

    With it there is no instant at which the output folder is missing, so even a build killed
    mid-swap leaves readers (and a running dev server) a complete site.
    """
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _siblings(out: Path, tag: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{tag}-*"))


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def check_output_dir(out: Path, site: Path) -> None:
    """Refuse an output folder whose replacement would destroy something sitegen did not make."""
    out = out.resolve()
    site = site.resolve()
    home = Path.home().resolve()
    forbidden = {Path("/"), home, site, *site.parents}
    if out in forbidden or out in site.parents:
        raise UsageError(f"refusing to use {out} as the output folder: building replaces it "
                         "whole. Pass --output with a folder of its own, such as build/.")
    for name in SOURCE_FOLDERS:
        for source in {site / name, (site / name).resolve()}:
            if out.is_relative_to(source) or source.is_relative_to(out):
                raise UsageError(
                    f"refusing to use {out} as the output folder: it is inside {source} (or "
                    f"holds it), so each build would publish the last one into itself or "
                    f"replace the sources. Pass --output with a folder outside {name}/, "
                    "such as build/.")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder. Pass another --output.")
    if out.is_dir() and not (out / MARKER).exists():
        entries = [p for p in out.iterdir() if p.name not in KEEP]
        if entries:
            raise UsageError(f"{out} already holds files that sitegen did not write. Empty it "
                             "or pass another --output; sitegen will not delete them.")


def recover_needed(out: Path) -> bool:
    """True when a killed build left temporaries beside `out` that `recover` must clear."""
    return bool(_siblings(out, "old") or _siblings(out, "tmp"))


def recover(out: Path) -> None:
    """Finish or undo what a killed build left: restore the old output, drop temporaries."""
    olds = _siblings(out, "old")
    if not out.exists() and olds:
        olds[-1].rename(out)
        olds = olds[:-1]
    # and the scratch folders of a search index that was being moved in (OutputWriter.scratch)
    for leftover in [*olds, *_siblings(out, "tmp"), *_siblings(out, "pagefind")]:
        shutil.rmtree(leftover, ignore_errors=True)


def check_rel(rel: str) -> None:
    """A path inside the output: relative, no `..`, no empty or hidden-dot segments."""
    parts = rel.split("/")
    if (not rel or rel.startswith("/") or "\x00" in rel or "\\" in rel
            or any(p in ("", ".", "..") for p in parts)):
        raise ValueError(f"refusing to write {rel!r} outside the output folder")


def inventory(root: Path) -> tuple[dict[str, int], set[str]]:
    """Files (rel -> inode) and folders under `root`; symbolic links are removed, since
    sitegen never makes one and writing through one could land outside the output."""
    files: dict[str, int] = {}
    dirs: set[str] = set()
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel) if rel else root) as entries:
            for entry in entries:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if not rel and entry.name in KEEP:
                    continue
                if entry.is_symlink():
                    os.unlink(entry.path)
                elif entry.is_dir():
                    dirs.add(path)
                    stack.append(path)
                else:
                    files[path] = entry.inode()
    return files, dirs


def swap_folder(out: Path, folder: str, fresh: Path) -> dict[str, tuple[int, int, int]]:
    """Put `fresh` in place of `out/folder` between builds (the dev server's search index,
    made apart from them), and return its files by output path."""
    check_rel(folder)
    target = out / folder
    old = out.parent / f".{out.name}.{folder}-old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    files: dict[str, tuple[int, int, int]] = {}
    for path in sorted(target.rglob("*")):
        st = os.lstat(path)
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(out).as_posix()] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return files


FileId = tuple[int, int, int]  # inode, size, mtime_ns: the file a build wrote, not another


def write_file(path: Path, data: bytes) -> FileId:
    """Write `data` at `path`; the file written (see FileId)."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        return file_id(os.fstat(f.fileno()))


def file_id(st: os.stat_result) -> FileId:
    return st.st_ino, st.st_size, st.st_mtime_ns


def is_link(st: os.stat_result) -> bool:
    import stat

    return stat.S_ISLNK(st.st_mode)


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size != len(data):
                return False
            return f.read() == data
    except OSError:
        return False

