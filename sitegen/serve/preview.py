"""The site being previewed: the one place that builds it, and what each URL shows.

`Preview.rebuild` is the only caller of `sitegen.engine.build.build` in the dev server, so that a
faster (incremental, in-memory) build can later replace the call without touching the server.
It builds into SITE/build exactly as `sitegen build` does; the live-reload script is added to
pages as they are served, never written to disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import secrets
import shutil
import signal
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import load_config
from sitegen.engine import parallel, searchindex
from sitegen.engine.build import Builder, BuildOptions, BuildResult, FirstPages
from sitegen.errors import ConfigError, ContentError, OutputError, SitegenError
from sitegen.output import search
from sitegen.render import deadline
from sitegen.render.pages import PendingPages
from sitegen.serve import files

NOT_FOUND_PAGE = "404.html"
LOCK_WAIT = 600.0  # seconds a rebuild waits for another process's build of the site
SEARCH_QUIET = 1.0  # seconds without a rebuild before the search index is brought up to date


@dataclass(frozen=True)
class Status:
    """The outcome of the latest build: `build_id` changes with every build, and `errors`
    (each `path:line:col: message`) is empty when it succeeded."""

    build_id: str
    errors: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True)
class Rendered:
    """A page of the build in progress, not on disk yet: its bytes, rendered on request."""

    rel: str
    data: bytes


@dataclass(frozen=True)
class Gone:
    """A page the build in progress drops (a deleted article's), still on disk until it ends."""

    rel: str


@dataclass(frozen=True)
class OutputMissing:
    """The output folder is gone (deleted while serving): a rebuild is on its way."""

    output: Path


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, for the terminal."""

    status: Status
    seconds: float
    result: BuildResult | None
    changed: tuple[Path, ...]
    error: SitegenError | None = None
    # When the first pages went live and every other page was served from the new build
    # (seconds after the start), if the build wrote first pages; else None.
    served_new: float | None = None


def digest(data: bytes) -> str:
    """A short fingerprint of bytes: pages and assets are compared by it after each build."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def problem_lines(exc: SitegenError) -> tuple[str, ...]:
    """A failed build's messages as `path:line:col: message`, one per problem."""
    if isinstance(exc, ContentError | ConfigError):
        return tuple(f"{p.path}:{p.line}:{p.col}: {p.message}" for p in exc.problems)
    return (str(exc),)


class Preview:
    """Builds the site and answers "what does this URL show now?" for the server and hub."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.site = options.site.resolve()
        self.output = (options.output or self.site / "build").resolve()
        self.prefix = ""  # the path of base_url, e.g. "/blog" for https://x.org/blog/
        self.builds = 0
        self._instance = secrets.token_hex(4)  # tells a tab the server restarted
        self.status = Status(f"{self._instance}-0")
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()  # one build at a time
        self._digests: dict[Path, tuple[tuple[int, int, int, int], str]] = {}
        # While a build writes the rest of the site after its first pages, what the server
        # answers for the pages not yet on disk (see Rendered, Gone): from the new plan.
        self._pending: PendingPages | None = None
        # One Builder for the session: the model, cache and output list stay in memory, so
        # an edit re-reads one file and re-renders only the pages that show it. It writes in
        # place (changed files renamed in when the whole build succeeded): the same bytes as
        # `sitegen build`, and the output folder never disappears under the server.
        self.builder = Builder(dataclasses.replace(options, in_place=True))
        # Search is indexed apart from builds, when saves have been quiet for a moment.
        self.builder.search_later = True
        # A `sitegen build` of the same site holds the output lock: wait for it, saying so.
        self.builder.lock_wait = LOCK_WAIT
        self.builder.lock_waiting = "Waiting to rebuild"
        self.builder.lock_stop = self._stop_waiting
        # Called when the output folder is found missing (deleted while serving): the
        # dev server then rebuilds it whole.
        self.output_gone: Callable[[], None] = lambda: None
        self._search_wanted = threading.Event()
        self._closing = False
        self._closed = threading.Event()  # cuts the indexer's quiet wait short on close
        self._indexer: threading.Thread | None = None
        self._indexing: list[subprocess.Popen[str]] = []  # Pagefind, while it runs
        self.search_note: Callable[[str], None] = lambda _text: None

    def rebuild(self, changed: Collection[Path] = (), *, first: Collection[str] = (),
                first_done: Callable[[], None] | None = None) -> Outcome:
        """Build the site once and publish the new status; never raises for a failed build.

        `changed` is what the watcher saw (empty: unknown, look at everything). `first` are
        URL paths open in tabs: their pages (with the home page and the pages of the saved
        articles) are written before the rest, then `first_done` is called, so those tabs
        can reload while the rest of the site builds (Hugo's server renders the pages being
        viewed first, too). A failed build leaves the last good output in place (except
        those first pages, when only a later page fails)."""
        with self._lock:
            if self._closing:  # no new build once closing (its renders would be stopped)
                return Outcome(self.status, 0.0, None, tuple(changed))
            self._idle.clear()
            start = time.perf_counter()
            self._signal_indexers(signal.SIGSTOP)
            result = None
            error: SitegenError | None = None
            early = None
            served_new: list[float] = []
            if first_done is not None and changed:
                wanted = frozenset({"index.html", *(self.output_path(p) for p in first)})

                def done(_written: frozenset[str]) -> None:
                    served_new.append(time.perf_counter() - start)
                    first_done()

                early = FirstPages(wanted, done, serving=self._serve_pending)
            try:
                result = self.builder.build(save_cache=False, changed=list(changed) or None,
                                            first=early)
                errors: tuple[str, ...] = ()
                self.prefix = load_config(self.site, self.options.base_url).root_path
            except SitegenError as exc:
                errors, error = problem_lines(exc), exc
            except Exception as exc:  # a bug must show in the tab, not stop the preview
                traceback.print_exc()
                errors = (f"internal error: {type(exc).__name__}: {exc}. This is a bug in "
                          "sitegen or the theme; the traceback is in the terminal.",)
            finally:
                self._pending = None  # on disk now, or the last good build still is
                self._signal_indexers(signal.SIGCONT)
                self._idle.set()
            self.builds += 1
            self.status = Status(f"{self._instance}-{self.builds}", errors)
            self._search_wanted.set()
            if self._indexer is None:
                self._indexer = threading.Thread(target=self._index_search, daemon=True,
                                                 name="sitegen-search")
                self._indexer.start()
            return Outcome(self.status, time.perf_counter() - start, result, tuple(changed),
                           error, served_new[0] if served_new and result else None)

    def _signal_indexers(self, which: signal.Signals) -> None:
        """Pause (SIGSTOP) or resume (SIGCONT) a background Pagefind: on two cores, the
        writer's rebuild must not share them with an index of the site it is replacing."""
        for process in list(self._indexing):
            with contextlib.suppress(OSError):
                process.send_signal(which)

    def _serve_pending(self, pending: PendingPages) -> None:
        self._pending = pending

    def _index_search(self) -> None:
        """Bring the search index up to the output once saves have been quiet for
        SEARCH_QUIET seconds: Pagefind reads the whole site (20 s at 10,000 articles), so
        no rebuild waits for it; it runs at low priority into a folder beside the output,
        which is swapped in between builds."""
        while not self._closing:
            self._search_wanted.wait()
            while self._search_wanted.is_set() and not self._closing:
                self._search_wanted.clear()
                self._closed.wait(SEARCH_QUIET)
            with self._lock:
                job = None if self._closing else searchindex.search_job(self.builder)
            if job is None:
                continue
            binary, out, fresh, builds = job
            shutil.rmtree(fresh, ignore_errors=True)
            try:
                search.index(binary, out, fresh, running=self._indexing)
            except search.SearchIndexError as exc:
                if not self._closing:  # else: stopped on purpose
                    self.search_note(f"search index not updated: {exc}")
                shutil.rmtree(fresh, ignore_errors=True)
                continue
            with self._lock:
                if self._closing or not fresh.is_dir():
                    shutil.rmtree(fresh, ignore_errors=True)
                    return
                try:
                    searchindex.adopt_search(self.builder, out, fresh, builds)
                except OutputError:  # another process writes the output: index again later
                    shutil.rmtree(fresh, ignore_errors=True)

    def output_path(self, url_path: str) -> str:
        """The output file a URL path of this site names (a folder: its index.html)."""
        if self.prefix and url_path.startswith(self.prefix + "/"):
            url_path = url_path[len(self.prefix):]
        rel = url_path.lstrip("/")
        return rel + "index.html" if rel == "" or rel.endswith("/") else rel

    def _stop_waiting(self) -> bool:
        return self._closing

    def stopping(self) -> None:
        """The server is closing: a build waiting for the output lock gives up, the search
        indexer stops waiting."""
        self._closing = True
        self._closed.set()
        self._search_wanted.set()
        deadline.stop_renders()  # a page rendering forever must not hold the close up
        parallel.stop_workers()  # nor one rendering in a worker process

    def close(self) -> None:
        """Keep what this session learnt for the next build (the cache on disk)."""
        self.stopping()
        for process in list(self._indexing):  # stopping must not wait for an index
            process.kill()
        if self._indexer is not None:
            self._indexer.join(timeout=30)
        with self._lock:  # no build runs now: what stopping() stopped has stopped
            self.builder.save_cache()
            deadline.reset()  # so that a later build or check in this process renders

    @property
    def building(self) -> bool:
        return not self._idle.is_set()

    def resolve(self, path: str, query: str = "",
                ) -> files.Resolved | Rendered | Gone | OutputMissing:
        """What a request path names in the output; waits out the instant in which a build
        swaps the new output folder in (between two renames there is no folder at all).
        While a build writes the rest of the site, its pages not yet on disk are answered
        from the build (Rendered, Gone)."""
        pending = self._pending
        if pending is not None:
            answer = self._from_pending(pending, path, query)
            if answer is not None:
                return answer
        found = files.resolve(self.output, self.prefix, path, query)
        if found is None and not self.output.is_dir():
            self._idle.wait(10)
            found = files.resolve(self.output, self.prefix, path, query)
            built = self.builder.session.output_id is not None  # once, by this server
            if found is None and built and not self.output.is_dir():
                self.output_gone()
                return OutputMissing(self.output)
        return found

    def _from_pending(self, pending: PendingPages, path: str,
                      query: str) -> Rendered | Gone | files.Redirect | None:
        """What the build in progress says `path` shows; None: ask the disk."""
        parsed = files.parse(self.prefix, path)
        if parsed is None or parsed[1][:len(parsed[2])] != parsed[2]:
            return None
        decoded, segments, mount = parsed
        rel = "/".join(segments[len(mount):])
        if decoded.endswith("/") or not rel:
            rel = f"{rel}/index.html".lstrip("/")
        elif f"{rel}/index.html" in pending.pages:  # a new article's folder, no slash
            return files.Redirect(files.url_of(segments, folder=True)
                                  + (f"?{query}" if query else ""))
        if rel in pending.gone:
            return Gone(rel)
        data = pending.render(rel)
        return Rendered(rel, data) if data is not None else None

    def not_found_page(self) -> Path | None:
        """The site's own 404 page, when the build made one."""
        found = files.resolve(self.output, "", "/" + NOT_FOUND_PAGE)
        return found.file if isinstance(found, files.Found) else None

    def file_digest(self, path: Path) -> str:
        """Fingerprint of a file's bytes, hashed again only when its inode, size or times
        changed (every build replaces changed files and links unchanged ones)."""
        try:
            st = path.stat()
        except OSError:
            return "gone"
        signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        cached = self._digests.get(path)
        if cached and cached[0] == signature:
            return cached[1]
        try:
            value = digest(path.read_bytes())
        except OSError:
            return "gone"
        self._digests[path] = (signature, value)
        return value

    def fingerprint(self, path: str) -> str:
        """What the server would answer for `path` now, as a short string: two answers with
        the same fingerprint show the same bytes. Matches `page_fingerprint` of a response."""
        found = self.resolve(path)
        if isinstance(found, Rendered):
            return "200:" + digest(found.data)
        if isinstance(found, files.Found):
            return "200:" + self.file_digest(found.file)
        if isinstance(found, files.Redirect):
            return "301:" + found.location
        page = self.not_found_page()
        return "404:" + (self.file_digest(page) if page else "none")


def page_fingerprint(status: int, data: bytes | None) -> str:
    """The fingerprint of a response the server sent: its status and its file's bytes."""
    return f"{status}:" + (digest(data) if data is not None else "none")
