"""Checked entries kept in the article store, so that an unchanged article's front matter
is not checked again on every build.

Checking an archive's front matter into entries (sitegen.model.entries) was a third of a
one-edit build at 10,000 articles, although it gives the same entries from the same
bytes, file name, configuration and code every time. So an entry checked without a
problem is kept in the store (sitegen.engine.bodystore) by its file, with the digest of
the bytes it was read from, under a `setting` that digests the configuration and sitegen's
own code (uptodate's signature of it): anything else and the entry is checked again. An
entry that had a problem (an error, a warning) is never kept, so that every build reports
it. Entries are kept only for articles found in the store (a warm build), not for files
read anew, so that a cold build writes nothing more.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

from sitegen.config import Config
from sitegen.content.read import ArticleSource, ReadSettings
from sitegen.content.sources import Source
from sitegen.engine.bodystore import Store
from sitegen.engine.digests import hexdigest
from sitegen.model.body import Body
from sitegen.model.entries import Entry

Checked = tuple[Entry, ArticleSource]
_FIELDS = tuple(f.name for f in dataclasses.fields(Entry) if f.name != "source")
FORMAT = "entries 1"  # bump when what is kept changes


def setting(config: Config, settings: ReadSettings) -> str:
    """What a checked entry depends on besides its file: the configuration and the code."""
    from sitegen.engine.uptodate import code_signature

    return hexdigest(FORMAT, code_signature(), repr(config), repr(settings))


class EntryMemo:
    """The entries kept under one setting, read from the store on first use; and the ones
    checked by this build, written with `save`."""

    def __init__(self, store: Store, setting: str) -> None:
        self.store = store
        self.setting = setting
        self._kept: dict[str, tuple[str, bytes]] | None = None
        self._new: list[tuple[str, str, bytes]] = []

    def recall(self, path: Path, rel: str, digest: str) -> Checked | None:
        """The entry of `rel` checked from the bytes of `digest`, if one is kept."""
        if self._kept is None:
            self._kept = self.store.entries(self.setting)
        row = self._kept.get(rel)
        if row is None or row[0] != digest:
            return None
        try:
            (meta_text, meta_line, body_line, fields, words, chars, placeholder, first_key,
             tables, pictures, hand_in) = pickle.loads(row[1])
            # Its place now (the site's folder may have moved since it was checked).
            source = Source(path, rel, {}, meta_text, meta_line, "", body_line)
            entry = Entry(source, *fields)
        except Exception:  # damaged, or of another shape: check the file again
            return None
        body = Body(digest, rel, self.store, first_key=first_key, tables=tables,
                    pictures=pictures)
        return entry, ArticleSource(source, digest, body, words, "", hand_in, placeholder,
                                    chars)

    def keep(self, rel: str, digest: str, checked: Checked) -> None:
        """Keep an entry checked without a problem (its source already without meta)."""
        entry, item = checked
        source, body = entry.source, item.body
        kept: tuple[Any, ...] = (
            source.meta_text, source.meta_line, source.body_line,
            tuple(getattr(entry, name) for name in _FIELDS), item.words, item.chars,
            item.placeholder, body.first_key, body.tables, body.pictures, item.hand_in)
        try:
            self._new.append((rel, digest, pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)))
        except Exception:  # front matter YAML tagged into a type pickle cannot hold
            return

    def save(self) -> None:
        self.store.put_entries(self.setting, self._new)
        self._new = []
