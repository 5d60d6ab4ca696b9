"""Is the last build still the build? A no-op build that proves it has nothing to do.

Make and Ninja skip a target whose inputs are unchanged; a site build can do the same for the
whole site. A successful `sitegen build` records, beside its cache, what it was built from:

- the stat signature (size, mtime, ctime, inode) of every file under `content/`, `themes/`,
  `static/`, of `sitegen.yaml` and of the default theme, and the content digest of any file
  modified within the file system's timestamp granularity of that scan (git's "racily
  clean" files: their signature alone could hide an edit);
- everything else the bytes depend on: sitegen's own code, the versions of Python, Jinja2,
  Python-Markdown and PyYAML, the build options, the Pagefind binary (search on or off);
- the time span in which the build's clock gives the same site: an article scheduled for
  later is published once its date passes, the news sitemap drops articles after 48 hours,
  and a template that reads `build_time` changes with every instant;
- the output it wrote: a digest of every file's path, inode, size and mtime, and of
  every folder.

The next build checks all of that first (a walk of the sources and the output, no parsing:
tens of milliseconds for thousands of articles). When everything matches, the output is
exactly what a full build would write, so nothing is read, rendered or written, and the
last build's counts and warnings are reported again. Anything that differs, or a record
that is missing, foreign or damaged, runs the full build, which records anew. `--clean`
skips the check.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import stat
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.engine.clock import RACY_NS, now_ns
from sitegen.engine.request import BuildOptions, BuildResult, Timer
from sitegen.errors import Problem
from sitegen.names import CACHE_DIR, CONFIG_NAME
from sitegen.output.folder import KEEP, recover_needed

RECORD_DIR = CACHE_DIR
FORMAT = "sitegen-uptodate 2"
SOURCE_DIRS = ("content", "themes", "static")
PACKAGE = Path(__file__).resolve().parent.parent  # the sitegen package


@dataclass(frozen=True)
class Request:
    """The build asked for, in the terms that decide its output."""

    site: Path
    output: Path
    drafts: bool
    future: bool
    base_url: str | None
    now: datetime


@dataclass(frozen=True)
class Inputs:
    """The sources as scanned before a build: a digest of every signature, and the content
    digests of the files too recent for their signature to be trusted."""

    digest: str
    racy: dict[str, str]


@dataclass(frozen=True)
class Fresh:
    """What the last build reported, when it is still the build."""

    pages: Counter[str]
    feeds: int
    static_files: int
    warnings: list[Problem]
    notes: list[str]


def record_path(site: Path, output: Path) -> Path:
    name = hashlib.blake2b(str(output).encode(), digest_size=6).hexdigest()
    return site / RECORD_DIR / f"uptodate-{name}.bin"


# What renders besides sitegen: a new version of one is another build.
DEPENDENCIES = ("jinja2", "markdown", "yaml", "markupsafe", "babel", "PIL")


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """sitegen's own modules and those of what renders: any change is another build. By
    their files' stat signatures (an edit, a checkout or an upgrade rewrites a file), not
    their bytes, and without importing them: this runs before every no-op build."""
    from importlib.util import find_spec

    h = hashlib.blake2b(digest_size=16)
    roots = [str(PACKAGE)]
    for name in DEPENDENCIES:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            roots.append(os.path.dirname(spec.origin))
        h.update(f"{name} {spec.origin if spec else '?'}".encode())
    for top in roots:
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
            for name in sorted(files):
                if name.endswith((".py", ".yaml")):  # the code, and the catalogues
                    st = os.stat(os.path.join(root, name))
                    h.update(f"{root}/{name} {st.st_size} {st.st_mtime_ns} {st.st_ino}"
                             .encode())
    return h.hexdigest()


def code_signature() -> str:
    """sitegen's own code and that of what renders, by file signature (see `_code`)."""
    return _code()


def _setup(request: Request) -> str:
    from sitegen.output import search
    from sitegen.render import themes

    try:
        theme = str(themes.default_theme_dir())
    except FileNotFoundError:
        theme = "-"
    pagefind = search.find_pagefind()  # search on or off, and which indexer writes it
    if pagefind is not None:
        st = pagefind.stat()
        pagefind_sig = f"{pagefind} {st.st_size} {st.st_mtime_ns} {st.st_ino}"
    else:
        pagefind_sig = "none"
    parts = [FORMAT, __version__, sys.version, _code(), str(request.site),
             str(request.output),
             f"drafts={request.drafts}", f"future={request.future}",
             f"base_url={request.base_url}", f"theme={theme}", f"pagefind={pagefind_sig}"]
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()


def _walk(root: str, rel: str, into: list[tuple[Any, ...]], racy: list[str], since: int) -> None:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except FileNotFoundError:
        return
    except NotADirectoryError:  # a file where a folder was expected: its name is noted
        return
    for entry in entries:
        path = f"{rel}/{entry.name}"
        st = entry.stat(follow_symlinks=False)
        link = os.readlink(entry.path) if entry.is_symlink() else ""
        if link:  # the build reads what the link leads to: that file's signature counts
            try:
                st = os.stat(entry.path)
            except OSError:
                into.append((path, "dangling", link))
                continue
        if entry.is_dir(follow_symlinks=False):
            into.append((path, "dir"))
            _walk(entry.path, path, into, racy, since)
            continue
        into.append((path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode,
                     link))
        # Only a regular file's bytes are read: a named pipe would block the check forever.
        if stat.S_ISREG(st.st_mode) and (st.st_mtime_ns >= since or st.st_ctime_ns >= since):
            racy.append(path)


def scan(site: Path, now_ns: int) -> Inputs:
    """Every source's signature, scanned at `now_ns` (the wall clock, in nanoseconds)."""
    found: list[tuple[Any, ...]] = []
    racy: list[str] = []
    since = now_ns - RACY_NS
    try:
        st = os.stat(site / CONFIG_NAME)
        found.append((CONFIG_NAME, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        if st.st_mtime_ns >= since or st.st_ctime_ns >= since:
            racy.append(CONFIG_NAME)
    except OSError:
        found.append((CONFIG_NAME, "missing"))
    for name in SOURCE_DIRS:
        found.append((name, "root"))
        _walk(str(site / name), name, found, racy, since)
    try:
        from sitegen.render import themes

        default = themes.default_theme_dir()
        if not default.resolve().is_relative_to(site.resolve()):
            found.append(("<default theme>", "root"))
            _walk(str(default), "<default theme>", found, racy, since)
    except FileNotFoundError:
        found.append(("<default theme>", "missing"))
    digest = hashlib.blake2b(marshal.dumps(found), digest_size=16).hexdigest()
    contents = {}
    for rel in racy:
        path = _source_path(site, rel)
        try:
            contents[rel] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            contents[rel] = "unreadable"
    return Inputs(digest, contents)


def _source_path(site: Path, rel: str) -> Path:
    if rel.startswith("<default theme>/"):
        from sitegen.render import themes

        return themes.default_theme_dir() / rel.split("/", 1)[1]
    return site / rel


def _output_digest(out: Path) -> str | None:
    """A digest of the output's files (path, inode, size, mtime) and folders; None if a
    link is in it. Walked folder by folder in name order and hashed as it goes: a listing
    held whole would be 300 bytes a file (50 MB at 100,000 articles), at the build's end."""
    digest = hashlib.blake2b(digest_size=16)
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            entries = sorted(os.scandir(os.path.join(out, rel) if rel else out),
                             key=lambda entry: entry.name, reverse=True)
        except OSError:
            return None
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if not rel and entry.name in KEEP:
                continue
            if entry.is_symlink():
                return None
            if entry.is_dir(follow_symlinks=False):
                digest.update(f"d {path}\0".encode("utf-8", "surrogateescape"))
                stack.append(path)
            else:
                st = entry.stat(follow_symlinks=False)
                digest.update(f"f {path} {st.st_ino} {st.st_size} {st.st_mtime_ns}\0".encode(
                    "utf-8", "surrogateescape"))
    return digest.hexdigest()


def valid_until(now: datetime, scheduled: list[datetime], in_news_window: list[datetime],
                reads_build_time: bool) -> datetime:
    """The first instant at which the same sources give another site."""
    from sitegen.plan.syndication import NEWS_WINDOW

    ends = [*scheduled, *(d + NEWS_WINDOW for d in in_news_window)]
    if reads_build_time:
        ends.append(now)  # only a build at this very instant (a pinned --now) is the same
    return min(ends, default=datetime.max.replace(tzinfo=UTC))


def check(request: Request) -> Fresh | None:
    """The last build's report if it is exactly what building now would write, else None."""
    path = record_path(request.site, request.output)
    try:
        data = marshal.loads(path.read_bytes())
        if data["format"] != FORMAT or data.get("failed"):
            return None
        now = request.now.timestamp()
        # At the recorded instant itself the site is the same whatever it depends on.
        if not (data["from"] <= now < data["until"] or now == data["from"]):
            return None
        if data["setup"] != _setup(request) or recover_needed(request.output):
            return None
        inputs = scan(request.site, data["scanned"])  # same racy set: the recorded moment
        if inputs.digest != data["inputs"] or inputs.racy != data["racy"]:
            return None
        listing = _output_digest(request.output)
        if listing is None or listing != data["output"]:
            return None
        return Fresh(Counter(data["pages"]), data["feeds"], data["static"],
                     [Problem(*w) for w in data["warnings"]], list(data["notes"]))
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # missing, foreign or damaged: build


def record(request: Request, inputs: Inputs, scanned_ns: int, until: datetime, fresh: Fresh,
           ) -> None:
    """Note what the build that just succeeded was made from and wrote."""
    listing = _output_digest(request.output)
    if listing is None:
        return
    now = request.now.timestamp()
    data = {
        "format": FORMAT, "setup": _setup(request), "inputs": inputs.digest,
        "racy": inputs.racy, "scanned": scanned_ns, "from": now,
        "until": until.timestamp(),
        "output": listing, "pages": dict(fresh.pages),
        "feeds": fresh.feeds, "static": fresh.static_files,
        "warnings": [(w.path, w.line, w.col, w.message, w.severity) for w in fresh.warnings],
        "notes": fresh.notes,
        # What `sitegen deploy` reads: what was asked for (a preview is never published).
        "drafts": request.drafts, "future": request.future, "base_url": request.base_url,
    }
    _write(record_path(request.site, request.output), data)


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        tmp.write_bytes(marshal.dumps(data))
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def last_build(site: Path, output: Path) -> dict[str, Any] | None:
    """What the last `sitegen build` into `output` recorded (see `record` and
    `record_failure`), or None when there is no record sitegen can read."""
    try:
        data = marshal.loads(record_path(site, output).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


def record_failure(site: Path, output: Path, message: str) -> None:
    """Note that the last build into `output` failed: the output is the build before it,
    which neither the next build nor `sitegen deploy` may take as current."""
    _write(record_path(site, output), {"format": FORMAT, "failed": message or "failed"})


@dataclass
class FrontDoor:
    """`sitegen build`'s no-op check before the pipeline, and its record after it."""

    request: Request
    fresh: BuildResult | None  # the last build is still the build: nothing to do
    scanned: int = 0  # the clock before anything was read: what this build sees
    inputs: Inputs | None = None

    @classmethod
    def open(cls, options: BuildOptions, site_dir: Path, out: Path, now: datetime,
             timer: Timer) -> FrontDoor:
        request = Request(site_dir, out, options.drafts, options.future,
                                   options.base_url, now)
        with timer.stage("check"):
            fresh = None if options.clean else check(request)
        if fresh is not None:
            return cls(request, BuildResult(out, fresh.pages, fresh.feeds, fresh.static_files,
                                            fresh.warnings, timer.timings, notes=fresh.notes,
                                            up_to_date=True))
        scanned = now_ns()
        return cls(request, None, scanned, scan(site_dir, scanned))

    def record(self, result: BuildResult, dates: list[datetime], scheduled: list[datetime],
               now: datetime) -> None:
        """Say how long this build stays the build: until an article not due yet is, an
        article leaves the news sitemap's window, or (for a template that shows the build's
        time) the clock moves; `dates` are the published articles'."""
        from sitegen.plan.syndication import NEWS_WINDOW

        assert self.inputs is not None
        news = [date for date in dates if date >= now - NEWS_WINDOW]
        # A site without articles dates its feeds by the build's time (see Feed).
        until = valid_until(now, scheduled, news, result.reads_build_time or not dates)
        record(self.request, self.inputs, self.scanned, until,
               Fresh(result.pages, result.feeds, result.static_files, result.warnings,
                     result.notes))
