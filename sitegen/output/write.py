"""Stage 8: write the output atomically, touching only what changed.

`sitegen build` assembles the new output in a tree beside it, then swaps the two with
renames: a failed or killed build leaves the last good output untouched, and the next run
cleans its leftovers. The tree it assembles in is the one the previous swap put aside (the
"spare", `.build.spare`), brought up to date in place: unchanged files become hard links to
the live output's files, changed files are written, stale ones deleted. Nothing is created
afresh for unchanged pages, not even their folders: on ext4, creating thousands of inodes
right after deleting thousands costs about 1.5 ms each (a `rm -rf` then a full rewrite of
15,000 pages pays 20 s more), a link or an untouched file costs nothing.

`sitegen serve` writes in place instead (`in_place=True`): each changed file is written
beside its target and renamed over it when the whole build has succeeded, so a reader never
sees half a page and a failed build changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.output.folder import (
    KEEP,
    MARKER,
    FileId,
    check_rel,
    exchange,
    file_id,
    inventory,
    is_link,
    recover,
    same_bytes,
    spare_path,
    write_file,
)

Manifest = dict[str, tuple[str, FileId]]  # rel path -> (page key, file written)
Outcome = tuple[str, str, FileId, bool]  # rel path, key, file, bytes changed


@dataclass
class WriteResult:
    """What a build did to the output: the new manifest and which paths changed."""

    manifest: Manifest
    changed: set[str] = field(default_factory=set)  # written with new bytes, or added
    removed: set[str] = field(default_factory=set)
    written: int = 0
    linked: int = 0
    kept: int = 0  # unchanged pages neither rendered nor written


class OutputWriter:
    """Brings a tree to the new output, then (unless in place) swaps it in.

    `manifest` is the previous build's {path: (key, file)} for this output; it is only
    believed for a file whose inode, size and modification time on disk still match.
    `known_files` (in place only) is the output's file list when the caller knows it (the
    dev server keeps it in memory), which saves a walk of the whole tree.
    """

    def __init__(self, out: Path, *, in_place: bool = False, manifest: Manifest | None = None,
                 known_files: dict[str, int] | None = None) -> None:
        self.out = out
        self.in_place = in_place
        self.previous = manifest or {}
        recover(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.live = out if out.is_dir() else None
        self._live_prefix = f"{out}{os.sep}"
        if in_place:
            out.mkdir(exist_ok=True)
            self.work = out
            if known_files is not None:
                self.files = dict(known_files)
                self.dirs: set[str] = set()
                self._dirs_complete = False
            else:
                self.files, self.dirs = inventory(out)
                self._dirs_complete = True
        else:
            self.work = out.parent / f".{out.name}.tmp-{os.getpid()}"
            self.files, self.dirs = self._claim_spare()
            self._dirs_complete = True
        self.result = WriteResult({})
        self._owner = os.getpid()  # forked copies (render workers) report to this process
        self._temp = 0
        self._staged: set[str] = set()  # in place: files written beside their target
        self._patch: tuple[set[str], list[str], int] | None = None  # see _changes
        self.add(MARKER, b"")

    # ------------------------------------------------------------ the tree to write in

    def _claim_spare(self) -> tuple[dict[str, int], set[str]]:
        """Take the spare tree (or a new empty one) and list what it holds: by a walk, not
        a remembered list, or a file put into the output by hand would survive."""
        shutil.rmtree(self.work, ignore_errors=True)
        candidate = spare_path(self.out)
        if candidate.is_dir() and not candidate.is_symlink():
            candidate.rename(self.work)
            return inventory(self.work)
        self.work.mkdir()
        return {}, set()

    def _live_file(self, rel: str) -> FileId | None:
        if self.live is None:
            return None
        try:
            st = os.lstat(self._live_prefix + rel)
        except OSError:
            return None
        return None if is_link(st) else file_id(st)

    def _parent(self, rel: str) -> None:
        """Make the folders `rel` needs, from the deepest known one down: one os.mkdir
        each (an article's page has a folder of its own, often its day's too)."""
        missing = []
        parent = rel.rpartition("/")[0]
        while parent and parent not in self.dirs:
            missing.append(parent)
            parent = parent.rpartition("/")[0]
        for folder in reversed(missing):
            path = f"{self.work}{os.sep}{folder}"
            try:
                os.mkdir(path)
            except FileExistsError:
                if not os.path.isdir(path):
                    raise
            self.dirs.add(folder)

    # ------------------------------------------------------------ files

    def keep(self, rel: str, key: str) -> bool:
        """Keep the previous build's file for an unchanged page, without rendering it.

        False when that file cannot be trusted (another key, or not the file written
        then): the caller renders the page and calls `add`.
        """
        old = self.previous.get(rel)
        if old is None or old[0] != key or not key:
            return False
        live = self._live_file(rel)
        if live is None or live != tuple(old[1]):
            return False
        self._take_live(rel, live[0])
        self.result.manifest[rel] = (key, live)
        self.result.kept += 1
        return True

    def _take_live(self, rel: str, inode: int) -> None:
        """Make the work tree's `rel` the live tree's file (a hard link, or already so)."""
        if self.files.get(rel) == inode:
            return
        if self.in_place:  # the work tree is the live tree
            self.files[rel] = inode
            return
        assert self.live is not None
        self._parent(rel)
        target = self.work / rel
        temp = self._temp_name(target)
        try:
            os.link(self.live / rel, temp)
        except OSError:  # a file system without hard links: copy (a new inode, same bytes)
            shutil.copyfile(self.live / rel, temp)
            inode = os.lstat(temp).st_ino
        os.replace(temp, target)
        self.files[rel] = inode
        self.result.linked += 1

    def add(self, rel: str, data: bytes, key: str = "") -> None:
        """Put `data` at `rel`: linked from the live tree if the bytes are the same."""
        check_rel(rel)
        live = self._live_file(rel)
        if live is not None and same_bytes(self.live / rel, data):  # type: ignore[operator]
            self._take_live(rel, live[0])
            self.result.manifest[rel] = (key, live)
            return
        self._parent(rel)
        target = self.work / rel
        current = self.files.get(rel)
        if not self.in_place and (current is None or live is None or current != live[0]):
            # A new file of the spare, or the spare's own copy shared with nothing: no reader
            # sees it before the swap, so it is written where it goes (a build that fails
            # leaves the spare, which the next one lists).
            written = write_file(target, data)
        else:
            temp = _staged(target) if self.in_place else self._temp_name(target)
            written = write_file(temp, data)
            if self.in_place:  # renamed into place at commit, so a failed build changes nothing
                self._staged.add(rel)
            else:
                os.replace(temp, target)
        self.files[rel] = written[0]
        self.result.manifest[rel] = (key, written)
        self.result.written += 1
        self.result.changed.add(rel)

    def copy(self, rel: str, source: Path, key: str = "") -> None:
        """A static file: kept when its key (source signature) is unchanged, else copied."""
        if not self.keep(rel, key):
            self.add(rel, source.read_bytes(), key)

    def outcome(self, rel: str) -> Outcome:
        """What `add` did for `rel`, for a worker process to report to its parent. A forked
        copy then forgets it: the parent `record`s it, and each worker holding the entries
        of every page it wrote too was 40 MB a worker at 100,000 articles. Its folder too
        (most pages have their own): another file there finds it made (see `_parent`)."""
        key, written = self.result.manifest[rel]
        changed = rel in self.result.changed
        if os.getpid() != self._owner:
            del self.result.manifest[rel]
            self.result.changed.discard(rel)
            self._staged.discard(rel)
            self.files.pop(rel, None)
            self.dirs.discard(rel.rpartition("/")[0])
        return rel, key, written, changed

    def record(self, outcome: Outcome) -> None:
        """Take note of a file another process (a forked copy of this writer) wrote."""
        rel, key, written, changed = outcome
        rel = sys.intern(rel)  # the plan's own path (see plan.outputs), not a copy of it
        if self.result.manifest.get(rel) == (key, written):
            return  # written by this process: already counted
        if self.files.get(rel) != written[0] and not changed:
            self.result.linked += 1
        self.files[rel] = written[0]
        self.result.manifest[rel] = (key, written)
        if changed:
            self.result.changed.add(rel)
            self.result.written += 1
            if self.in_place:
                self._staged.add(rel)
        parent = rel.rpartition("/")[0]
        while parent and parent not in self.dirs:
            self.dirs.add(parent)
            parent = parent.rpartition("/")[0]

    def assume_all_but(self, redo: Collection[str]) -> None:
        """In place only: every file of the last build but those in `redo` is unchanged (the
        dev server's patch), kept without a look at the disk: one copy, `redo` taken out."""
        assert self.in_place
        manifest, written = dict(self.previous), self.result.manifest
        for rel in [rel for rel in redo if rel in manifest]:
            del manifest[rel]
        for rel, entry in written.items():  # the last build's entry wins
            manifest.setdefault(rel, entry)
        self.result.manifest = manifest
        self._patch = (set(redo), list(written), len(manifest))

    def leave(self, folder: str) -> None:
        """Keep whatever is under `folder` as it is, unchecked and unrendered (the dev
        server's search index, which it writes apart from builds)."""
        prefix = folder + "/"
        for rel in [r for r in self.files if r.startswith(prefix)]:
            try:
                st = os.lstat(self.work / rel)
            except OSError:
                continue
            old = self.previous.get(rel)
            self.result.manifest[rel] = (old[0] if old else "", file_id(st))

    def exists(self, rel: str) -> bool:
        return rel in self.result.manifest

    def remove_stale(self) -> None:
        """Delete now what commit would: files of the old tree this build did not produce."""
        self._remove_stale()

    def scratch(self, folder: str) -> Path:
        """An empty folder beside the output for another program (the search indexer) to
        write `folder` into; `adopt` then moves it in. Nothing else writes the output."""
        check_rel(folder)
        path = self.out.parent / f".{self.out.name}.{folder}-{os.getpid()}"
        shutil.rmtree(path, ignore_errors=True)
        return path

    def adopt(self, folder: str, key: str, scratch: Path) -> None:
        """Move what another program wrote into `scratch` to `folder` of the output, and
        count it as this build's own output, so it is neither removed as stale nor
        forgotten by the next build. The old folder's files may be hard links shared with
        the live output, so they are removed, never written over."""
        check_rel(folder)
        target = self.work / folder
        shutil.rmtree(target, ignore_errors=True)
        for rel in [r for r in self.files if r.startswith(folder + "/")]:
            del self.files[rel]
        if not scratch.is_dir():
            return  # nothing to index: no folder
        scratch.rename(target)
        for path in sorted(target.rglob("*")):
            st = os.lstat(path)
            rel = path.relative_to(self.work).as_posix()
            if is_link(st):
                path.unlink()
            elif path.is_dir():
                self.dirs.add(rel)
            else:
                self.files[rel] = st.st_ino
                self.result.manifest[rel] = (key, file_id(st))
        self.dirs.add(folder)

    def _temp_name(self, target: Path) -> Path:
        self._temp += 1
        return target.with_name(f".{target.name}.{os.getpid()}-{self._temp}.tmp")

    # ------------------------------------------------------------ finishing

    def _remove_stale(self) -> set[str]:
        stale = self.files.keys() - self.result.manifest.keys()
        if not stale and not self._dirs_complete:
            return stale  # in place, nothing removed: no folder can have emptied
        for rel in stale:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.work / rel)
            del self.files[rel]
            parent = rel.rpartition("/")[0]
            while parent and not self._dirs_complete:  # folders we may not have listed
                self.dirs.add(parent)
                parent = parent.rpartition("/")[0]
        needed = {rel.rpartition("/")[0] for rel in self.result.manifest}
        for rel in list(needed):
            parent = rel.rpartition("/")[0]
            while parent and parent not in needed:
                needed.add(parent)
                parent = parent.rpartition("/")[0]
        empty = sorted((d for d in self.dirs if d not in needed and d.split("/", 1)[0] not in KEEP),
                       key=lambda d: -d.count("/"))
        for rel in empty:
            with contextlib.suppress(OSError):
                os.rmdir(self.work / rel)
            self.dirs.discard(rel)
        return stale

    def _changes(self) -> tuple[set[str], set[str]]:
        """The last build's files this one lacks, and this one's new files. After a patch only
        those it left out can be gone, and only those put in before it or since (at the end:
        a dict keeps its order) new; not two whole manifests compared (50 ms at 100,000)."""
        before, now = self.previous.keys(), self.result.manifest.keys()  # no copies
        if self._patch is None:
            return before - now, now - before
        redo, first, size = self._patch
        return ({rel for rel in redo if rel in before and rel not in now},
                {rel for rel in (*first, *itertools.islice(now, size, None))
                 if rel in now and rel not in before})

    def flush(self) -> set[str]:
        """In place: put the files written so far live now, before the build ends (the dev
        server's first pages). Returns their paths."""
        done = set(self._staged)
        for rel in sorted(done):
            os.replace(_staged(self.work / rel), self.work / rel)
        self._staged.clear()
        return done

    def commit(self) -> WriteResult:
        """Delete stale files, then swap the work tree in (one atomic exchange where the kernel
        has it, else two renames); in place, rename each new file over its old one."""
        self.flush()  # in place: the files written beside their targets renamed over them
        stale = self._remove_stale()
        removed, added = self._changes()
        self.result.removed = removed | (stale if self.in_place else set())
        self.result.changed |= added
        if self.in_place:
            return self.result
        if self.live is not None:
            for name in KEEP:
                kept = self.live / name
                if kept.exists() and not (self.work / name).exists():
                    kept.rename(self.work / name)
            spare = spare_path(self.out)
            if exchange(self.work, self.out):
                old = self.work  # the swap left the old tree where the new one was
            else:
                old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
                self.out.rename(old)
                self.work.rename(self.out)
            shutil.rmtree(spare, ignore_errors=True)
            old.rename(spare)
        else:
            self.work.rename(self.out)
        return self.result

    def abort(self) -> None:
        if not self.in_place:
            shutil.rmtree(self.work, ignore_errors=True)
        for rel in self._staged:
            with contextlib.suppress(OSError):
                _staged(self.work / rel).unlink()


def _staged(target: Path) -> Path:
    return target.with_name(f".{target.name}.sitegen-new")
