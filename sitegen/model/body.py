"""An article's rendered body, by reference rather than as text (see Body)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Protocol


class BodyLoader(Protocol):
    """Where bodies kept out of memory are read back (sitegen.engine.bodystore)."""

    def body_html(self, key: str, source: str) -> str: ...

    def first_paragraph(self, key: str, source: str) -> str: ...


class Body:
    """An article's rendered body, by reference: an archive's bodies are most of its bytes,
    and listings, feeds and keys never read them, so the model holds a key and the page
    that shows the body reads it from where the build put it (the body store of
    `.sitegen-cache/`) when it renders. `key` names the body: the digest of the file it
    was rendered from (with the code and settings that rendered it), or of the text itself
    for a body held in memory (`Body.of`). Equal keys are equal bodies. Its first
    paragraph as text (the default summary) is kept with it, and read the same way.

    `tables`: the stored HTML has tables whose captions the assembly stage names in the
    article's language (sitegen.content.markup.named_tables), which the read stage cannot
    know: see `named`. `pictures`: the HTML may show images (an `<img` tag); False only
    when it is known to show none, so that the image stage need not read it back."""

    __slots__ = ("_held", "_source", "first_key", "key", "pictures", "tables")

    def __init__(self, key: str, source: str, loader: BodyLoader | None = None,
                 held: tuple[str, str] = ("", ""), first_key: str = "",
                 tables: bool = False, pictures: bool = True) -> None:
        self.key = key
        self.first_key = first_key or text_key(held[1])  # names the first paragraph
        self._source = source  # the article's source file: a lost body is rendered again
        self._held: BodyLoader | tuple[str, str] = held if loader is None else loader
        self.tables = tables
        self.pictures = pictures

    @classmethod
    def of(cls, html: str, source: str = "", first_paragraph: str = "") -> Body:
        """A body held in memory (no store: a model made by a test, an empty body)."""
        return cls("=" + text_key(html), source, held=(html, first_paragraph))

    def named(self, rename: Callable[[str], str]) -> Body:
        """The same body, its HTML passed through `rename` as it is read. The key stays:
        what `rename` depends on (the article's language) is the article's to name."""
        held = self._held
        if isinstance(held, tuple):
            return Body(self.key, self._source, held=(rename(held[0]), held[1]),
                        first_key=self.first_key, pictures=self.pictures)
        return Body(self.key, self._source, _Renamed(held, rename), first_key=self.first_key,
                    pictures=self.pictures)

    @property
    def html(self) -> str:
        held = self._held
        return held[0] if isinstance(held, tuple) else held.body_html(self.key, self._source)

    @property
    def first_paragraph(self) -> str:
        held = self._held
        if isinstance(held, tuple):
            return held[1]
        return held.first_paragraph(self.key, self._source)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Body({self.key!r})"


class _Renamed:
    """A loader whose bodies pass through `rename` (see Body.named)."""

    __slots__ = ("loader", "rename")

    def __init__(self, loader: BodyLoader, rename: Callable[[str], str]) -> None:
        self.loader = loader
        self.rename = rename

    def body_html(self, key: str, source: str) -> str:
        return self.rename(self.loader.body_html(key, source))

    def first_paragraph(self, key: str, source: str) -> str:
        return self.loader.first_paragraph(key, source)


def text_key(text: str) -> str:
    """A short digest of a text, which names it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


NO_BODY = Body.of("")
