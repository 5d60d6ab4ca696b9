"""Plain-text hand-ins: the shape writers send, read into headline, dek, byline, bios and body.

A hand-in is plain text, blocks separated by blank lines::

    Intractable US Hostility Has Iran Looking Elsewhere      <- headline: first non-blank line

    Khamenei Halts All Direct Talks With the US              <- dek (optional)

    Iranian Supreme Leader Ayatollah Ali Khamenei has ...    <- body paragraphs

    Author: Jason Ditz                                       <- byline (start or end)

    Jason Ditz is Senior Editor for Antiwar.com. He ...      <- bio (optional)

The rules, in the order they are applied:

- **Headline**: the first non-blank line. If its block has more lines, they are the next block.
  A first line of over 200 characters is a paragraph, not a headline: an error says so.
- **Byline**: a block whose first line is `Author: Name`, `Authors: A, B and C` (commas, `and`,
  `&`, an Oxford comma) or `By Name` (`By:` too; labels in any case). A `By` line must look
  like names (each word capitalised, except particles such as `de`, `van`, `al`), so "By
  contrast, ..." stays body. A byline counts at the start (before the headline, or right after
  the headline or dek) or at the end (only bios may follow it). Both may be present; names are
  merged in order.
- **Bio**: a block right after a byline that begins with one of its names ("Jason Ditz is ...")
  is that author's bio (one per author). Lines after the byline line in the same block count as
  a bio too. Bios are never body.
- **Dek**: the block right after the headline (or after a byline that follows the headline),
  when it is one line, under 200 characters, does not end with closing punctuation
  (`. ! ? …`, quotes and brackets after them ignored), and at least one body block follows.
- **Body**: every other block, in order; converted by `plaintext.to_markdown`.

When front matter already has a `title` (the `.txt` articles of the core issue), the text is all
body, except bylines and bios at its start or end; unless its first line repeats the title, in
which case the text is read as a full hand-in (headline, dek, ...). Front matter always wins
over what the text says; that merge happens in `entries.read_handin_entry` (builds) and
`importer.merged_meta` (`sitegen import`), not here.

Everything here is a pure function of the text; CRLF, CR and a UTF-8 BOM read exactly like LF.
Errors (HandInError) say what is missing: no headline, or a headline but no body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.content import plaintext

DEK_MAX = 200
HEADLINE_MAX = 200
MAX_TAIL_BIOS = 6
_CLOSING = ".!?…"
_AFTER_CLOSING = "\"'’”)]»"
_LABEL = re.compile(r"^\s*(?:(?P<label>authors?)\s*:|(?P<by>by)\b\s*:?)\s*(?P<names>.+?)\s*$",
                    re.IGNORECASE)
_SPLIT_NAMES = re.compile(r"\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
_PARTICLES = {"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos",
              "du", "e", "el", "ibn", "la", "le", "st.", "ten", "ter", "van", "von", "y", "zu"}
_ROLE = re.compile(
    r"^(?:,[^,]{0,80},)?\s+(?:is|was|serves as)\s+(?:(?:the|a|an)\s+)?"
    r"(?P<role>[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*(?:\s+of\s+[A-Z][\w'’&-]*"
    r"(?:\s+[A-Z][\w'’&-]*)*)?)\s+(?:for|at|with|of|on|in)\b"
)


class HandInError(ValueError):
    """The text cannot be read as a hand-in; `line` is 1-based within the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Block:
    """One paragraph of the text: its lines (stripped) and the line it starts on."""

    lines: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class HandIn:
    """What a hand-in says. `body` is plain text (paragraphs separated by blank lines)."""

    title: str
    dek: str
    author_names: tuple[str, ...]
    bios: tuple[tuple[str, str], ...]  # (author name, bio paragraph as typed)
    body: str
    title_line: int = 0  # 1-based lines within the text; 0 when absent
    byline_line: int = 0

    @property
    def body_markdown(self) -> str:
        return plaintext.to_markdown(self.body)

    def bio_of(self, name: str) -> str:
        return next((bio for who, bio in self.bios if who == name), "")


def blocks(text: str) -> list[Block]:
    """The text's blocks, split on blank (whitespace-only) lines, with their line numbers."""
    result: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(plaintext.clean(text).split("\n"), start=1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            result.append(Block(tuple(current), start))
            current = []
    if current:
        result.append(Block(tuple(current), start))
    return result


def parse(text: str, *, title: str | None = None) -> HandIn:
    """Read a hand-in. `title` is the front matter's title, if it has one (see the module doc).

    Raises HandInError when there is no headline or, after the headline, no body.
    """
    found = blocks(text)
    if title is not None and not _repeats(found, title):
        return _parse_body_only(found, title)
    return _parse_full(found)


def _repeats(found: list[Block], title: str) -> bool:
    return bool(found) and _fold(found[0].lines[0]) == _fold(title)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _parse_body_only(found: list[Block], title: str) -> HandIn:
    byline = _Bylines()
    rest = byline.take_leading(found)
    rest = byline.take_trailing(rest)
    return HandIn(title, "", byline.names(), byline.bio_pairs(), _join(rest),
                  byline_line=byline.line)


def _parse_full(found: list[Block]) -> HandIn:
    byline = _Bylines()
    rest = byline.take_leading(found)
    if not rest:
        raise HandInError(1, "has no headline. Write the headline on the first line, then a "
                          "blank line, then the article")
    head = rest[0]
    headline = head.lines[0]
    if len(headline) > HEADLINE_MAX:
        raise HandInError(head.line, f"has no headline: its first line is {len(headline)} "
                          "characters long, a paragraph rather than a headline. Put the "
                          "headline on a line of its own at the top")
    rest = rest[1:]
    if len(head.lines) > 1:
        rest = [Block(head.lines[1:], head.line + 1), *rest]
    dek = ""
    if not byline.found:
        rest = byline.take_leading(rest)
    if rest and _is_dek(rest[0]) and len(rest) > 1:
        dek, rest = rest[0].text, rest[1:]
        if not byline.found:
            rest = byline.take_leading(rest)
    rest = byline.take_trailing(rest)
    if not rest:
        where = _end_line(found)
        raise HandInError(where, "has a headline but no body. Write the article's paragraphs "
                          "after the headline and dek, separated by blank lines")
    return HandIn(headline, dek, byline.names(), byline.bio_pairs(), _join(rest),
                  title_line=head.line, byline_line=byline.line)


def _end_line(found: list[Block]) -> int:
    last = found[-1]
    return last.line + len(last.lines)


def _join(found: list[Block]) -> str:
    """The blocks as text, one line each, but for a block holding a bulleted list (`* a`,
    `* b`), which keeps its lines for plaintext.to_markdown to make a list of."""
    return "\n\n".join(_block_text(b) for b in found) + ("\n" if found else "")


def _block_text(block: Block) -> str:
    if sum(1 for line in block.lines if plaintext.BULLET.match(line)) >= 2:
        return "\n".join(block.lines)
    return block.text


def _is_dek(block: Block) -> bool:
    if len(block.lines) != 1 or len(block.text) >= DEK_MAX or parse_byline(block.text):
        return False
    return not block.text.rstrip(_AFTER_CLOSING).endswith(tuple(_CLOSING))


class _Bylines:
    """Collects the bylines and bios found at the start and the end of the text."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.bios: dict[str, str] = {}
        self.line = 0

    def names(self) -> tuple[str, ...]:
        return tuple(self.found)

    def bio_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.bios[name]) for name in self.found if name in self.bios)

    def take_leading(self, found: list[Block]) -> list[Block]:
        """Take a byline (and the bios after it) from the front of `found`; return the rest."""
        if not found:
            return found
        names = _block_byline(found[0])
        if not names:
            return found
        self._add(found[0], names)
        rest = found[1:]
        while rest and self._take_bio(rest[0], names):
            rest = rest[1:]
        return rest

    def take_trailing(self, found: list[Block]) -> list[Block]:
        """Take a byline that only bios follow from the end of `found`; return the rest."""
        for start in range(len(found) - 1, max(-1, len(found) - 2 - MAX_TAIL_BIOS), -1):
            names = _block_byline(found[start])
            if not names:
                continue
            after = found[start + 1:]
            if all(_bio_name(b.text, names) for b in after):
                self._add(found[start], names)
                for block in after:
                    self._take_bio(block, names)
                return found[:start]
            return found
        return found

    def _add(self, block: Block, names: tuple[str, ...]) -> None:
        self.line = self.line or block.line
        known = {_fold(n) for n in self.found}
        self.found += [n for n in names if _fold(n) not in known]
        if len(block.lines) > 1:
            self._take_bio(Block(block.lines[1:], block.line + 1), names)

    def _take_bio(self, block: Block, names: tuple[str, ...]) -> bool:
        name = _bio_name(block.text, names)
        if not name:
            return False
        self.bios.setdefault(name, block.text)
        return True


def _block_byline(block: Block) -> tuple[str, ...]:
    """The names of a byline block: its first line is a byline, any further lines a bio."""
    names = parse_byline(block.lines[0])
    if names and len(block.lines) > 1 and not _bio_name(" ".join(block.lines[1:]), names):
        return ()
    return names


def _bio_name(text: str, names: tuple[str, ...]) -> str:
    """The name a bio paragraph begins with, or ''. Longest first: a bio of "Ann Lee Park"
    also begins with "Ann Lee"."""
    for name in sorted(names, key=len, reverse=True):
        if text.startswith(name) and not text[len(name):len(name) + 1].isalnum():
            return name
    return ""


def parse_byline(line: str) -> tuple[str, ...]:
    """The names in a byline line (`Author: A`, `Authors: A, B and C`, `By A`), or ()."""
    match = _LABEL.match(line)
    if not match:
        return ()
    names = [_trim_name(n) for n in _SPLIT_NAMES.split(match.group("names"))]
    names = [n for n in names if n]
    strict = match.group("by") is not None
    if not names or not all(_looks_like_name(n, strict) for n in names):
        return ()
    return tuple(dict.fromkeys(names))


def _trim_name(name: str) -> str:
    name = name.strip()
    last = name.split()[-1] if name.split() else ""
    # "Jason Ditz." loses its full stop; "Martin Luther King Jr." and "Ann B." keep theirs.
    if name.endswith(".") and not re.fullmatch(r"[A-Z][a-z]?\.", last):
        name = name[:-1].rstrip()
    return name


def _looks_like_name(name: str, strict: bool) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 80 or name[-1] in ",;:!?":
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    if not strict:
        return True
    return words[0][0].isupper() and all(w[0].isupper() or w.lower() in _PARTICLES
                                         for w in words)


def role_from_bio(name: str, bio: str) -> str:
    """The role a bio states right after the name ("X is Senior Editor for Y" -> Senior
    Editor), or ''. Only capitalised titles count: "X is a writer in Y" names no role."""
    if not bio.startswith(name):
        return ""
    match = _ROLE.match(bio[len(name):])
    return match.group("role") if match else ""
