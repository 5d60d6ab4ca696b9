"""What the cache knows of each article file, on disk: its parsed record and its body.

An archive's rendered bodies are most of its bytes (7 KB an article in the benchmark's
corpus, against a few hundred for what listings read), and its parsed front matter is the
next largest part. Both are kept here, by the content digest of the file they were made
from, in one SQLite file of `.sitegen-cache/` (the standard library's, one row per digest),
rather than in the build cache that every build loads whole (sitegen.engine.cache): a
build reads the records of the files it assembles, once each, and a body only when the
page (or the full-content feed) that shows it is rendered, in the worker rendering it.

The rows depend on the code and settings that made them as the build cache does: a store
written under another `setup` is emptied, never believed. A store that cannot be opened or
read (damaged, truncated, a disk error) is set aside and made afresh: its articles are read
and rendered again, as on a cold build; a body missing when its page renders is rendered
again from its source file (`render_again`). Only the building process writes; forked
workers open their own connection to read.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sitegen.content import markup
from sitegen.names import CACHE_DIR

STORE_FILE = "articles.sqlite"
BATCH = 500  # digests per query (SQLite allows 999 parameters in old builds, 32766 now)

Row = tuple[str, Any, str]  # digest, record (marshal-able), body HTML
FIRST_PARAGRAPH = 5  # where a record holds its body's first paragraph (see content.read)
FIRSTS_KEPT = 4096  # first paragraphs kept by a store (about a megabyte)


class ArticleStore:
    """The records and bodies of one site's articles, by content digest.

    `render_again(source)`: the body of the article file `source` (site-relative), read and
    rendered anew, for a body the store has lost; None when the file cannot give one."""

    def __init__(self, site: Path, setup: str,
                 render_again: Callable[[str], str | None] | None = None) -> None:
        self.path = site / CACHE_DIR / STORE_FILE
        self.setup = setup
        self.render_again = render_again
        self._db: sqlite3.Connection | None = None
        self._pid = -1
        self._inherited: list[sqlite3.Connection] = []
        # The dev server renders in request threads too, and closes the store between builds.
        self._lock = threading.RLock()
        self._firsts: dict[str, str] = {}  # key -> first paragraph (see first_paragraph)

    # ------------------------------------------------------------ the connection

    def _connection(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own), made on first use."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if self._db is not None:  # a parent's connection is not a child's to use, nor
            self._inherited.append(self._db)  # to close: it is left alone, referenced
        self._db = None
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError):
            self._set_aside()
            self._db = self._open()
        self._pid = os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False,
                             isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write costs a render
            db.execute("CREATE TABLE IF NOT EXISTS setup (id TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS articles (digest TEXT PRIMARY KEY, "
                       "record BLOB NOT NULL, html TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS entries (rel TEXT PRIMARY KEY, "
                       "digest TEXT NOT NULL, setting TEXT NOT NULL, entry BLOB NOT NULL)")
            found = db.execute("SELECT id FROM setup").fetchall()
            if found != [(self.setup,)]:
                with _transaction(db):
                    db.execute("DELETE FROM articles")
                    db.execute("DELETE FROM entries")
                    db.execute("DELETE FROM setup")
                    db.execute("INSERT INTO setup VALUES (?)", (self.setup,))
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        """Remove a store that cannot be read, so that the next one starts empty."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def clear(self) -> None:
        """Forget every row (`--clean`, or a build cache that was not believed)."""
        with self._lock:
            self._firsts = {}
            self.close()
            self._set_aside()

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
            self._db = None

    # ------------------------------------------------------------ reading

    def records(self, digests: Sequence[str]) -> dict[str, Any]:
        """The records the store holds of these digests (those it lacks are left out; a
        store that cannot be read holds none, and is made afresh)."""
        found: dict[str, Any] = {}
        try:
            with self._lock:
                db = self._connection()
                for start in range(0, len(digests), BATCH):
                    part = digests[start:start + BATCH]
                    marks = ",".join("?" * len(part))
                    for digest, blob in db.execute(
                            f"SELECT digest, record FROM articles WHERE digest IN ({marks})",
                            part):
                        found[digest] = marshal.loads(blob)
        except (sqlite3.Error, OSError, ValueError, EOFError, TypeError):
            self._reset()
            return {}
        return found

    def holds_any(self) -> bool:
        """False when the store is empty (a cold build's): no file need be looked up."""
        try:
            with self._lock:
                row = self._connection().execute("SELECT 1 FROM articles LIMIT 1").fetchone()
        except (sqlite3.Error, OSError):
            return True  # looking up then finds nothing, as for an empty one
        return row is not None

    def body_html(self, key: str, source: str) -> str:
        """The body stored under `key`; rendered again from `source` when it is not there."""
        try:
            with self._lock:
                row = self._connection().execute(
                    "SELECT html FROM articles WHERE digest = ?", (key,)).fetchone()
        except (sqlite3.Error, OSError):
            row = None
        if row is not None:
            return str(row[0])
        again = self.render_again(source) if self.render_again is not None else None
        return again or ""

    def first_paragraph(self, key: str, source: str) -> str:
        """The first paragraph (as text) of the body stored under `key`. The last few
        thousand are kept: an article's summary is read by its page and by each of its
        feeds (its site's, section's, authors' and tags'), a record unpacked each time."""
        found = self._firsts.get(key)
        if found is not None:
            return found
        record = self.records([key]).get(key)
        found = (str(record[FIRST_PARAGRAPH]) if record is not None
                 else markup.first_paragraph_text(self.body_html(key, source)))
        with self._lock:  # request threads of a dev server read summaries too
            if len(self._firsts) >= FIRSTS_KEPT:
                del self._firsts[next(iter(self._firsts))]
            self._firsts[key] = found
        return found

    def entries(self, setting: str) -> dict[str, tuple[str, bytes]]:
        """The checked entries kept under `setting` (see sitegen.engine.entrymemo): file
        (site-relative) -> (the digest of the bytes it was checked from, the entry)."""
        try:
            with self._lock:
                rows = self._connection().execute(
                    "SELECT rel, digest, entry FROM entries WHERE setting = ?", (setting,))
                return {rel: (digest, blob) for rel, digest, blob in rows}
        except (sqlite3.Error, OSError):
            return {}

    # ------------------------------------------------------------ writing

    def put_entries(self, setting: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        """Keep these checked entries (file, digest, entry), in place of the file's last."""
        self._write("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                    [(rel, digest, setting, blob) for rel, digest, blob in rows])

    def put(self, rows: Iterable[Row]) -> None:
        """Keep these rows (a failure to write only costs a later build time)."""
        data = []
        for digest, record, html in rows:
            try:
                data.append((digest, marshal.dumps(record), html))
            except ValueError:  # front matter YAML tagged into a type marshal cannot hold
                continue  # not kept: read again next time
        self._write("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)", data)

    def _write(self, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """`statement` for each row, in one transaction (a failure to write only costs a
        later build time)."""
        if not rows:
            return
        try:
            with self._lock:
                db = self._connection()
                with _transaction(db):
                    db.executemany(statement, rows)
        except (sqlite3.Error, OSError):
            pass

    def keep_only(self, used: set[str]) -> None:
        """Forget the rows of digests no file has any more."""
        try:
            with self._lock:
                db = self._connection()
                held = db.execute("SELECT count(*) FROM articles").fetchone()[0]
                if held <= len(used):
                    return
                gone = [(d,) for (d,) in db.execute("SELECT digest FROM articles")
                        if d not in used]
                with _transaction(db):
                    db.executemany("DELETE FROM articles WHERE digest = ?", gone)
                    db.executemany("DELETE FROM entries WHERE digest = ?", gone)
        except (sqlite3.Error, OSError):
            pass

    def _reset(self) -> None:
        """A store that failed to read: removed, made afresh on next use."""
        self.clear()


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class MemoryStore:
    """The same as ArticleStore, held in memory: a cache made for one build (a model built
    for `sitegen check`, a test), which nothing on disk backs."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[Any, str]] = {}
        self.render_again: Callable[[str], str | None] | None = None

    def records(self, digests: Sequence[str]) -> dict[str, Any]:
        return {d: self.rows[d][0] for d in digests if d in self.rows}

    def holds_any(self) -> bool:
        return bool(self.rows)

    def body_html(self, key: str, source: str) -> str:
        row = self.rows.get(key)
        return row[1] if row is not None else ""

    def first_paragraph(self, key: str, source: str) -> str:
        row = self.rows.get(key)
        return str(row[0][FIRST_PARAGRAPH]) if row is not None else ""

    def put(self, rows: Iterable[Row]) -> None:
        self.rows.update((digest, (record, html)) for digest, record, html in rows)

    def entries(self, setting: str) -> dict[str, tuple[str, bytes]]:
        return {}  # a store for one build: its entries are checked once anyway

    def put_entries(self, setting: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        pass

    def clear(self) -> None:
        self.rows.clear()

    def keep_only(self, used: set[str]) -> None:
        for digest in [d for d in self.rows if d not in used]:
            del self.rows[digest]

    def close(self) -> None:
        pass


Store = ArticleStore | MemoryStore
