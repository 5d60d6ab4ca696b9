"""Bylines as people write them, split into authors.

"A and B", "A, B and C", "A & B", "A, B, & C" are several authors; in "Josh Aas, ISRG
Executive Director" what follows the comma is the author's role, not a second author.
A list (`authors: [A, B]`) is taken item by item, each split the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Words that make a comma-part a job title rather than a name.
ROLE_WORDS = {
    "editor", "director", "executive", "founder", "co-founder", "president", "chair",
    "chairman", "ceo", "cto", "coo", "manager", "lead", "head", "chief", "reporter",
    "correspondent", "columnist", "writer", "contributor", "professor", "fellow",
    "researcher", "analyst", "engineer", "developer", "maintainer", "member", "staff",
    "team", "board", "intern", "senior", "junior", "associate", "assistant", "officer",
    "secretary", "coordinator", "producer", "photographer", "translator", "designer",
    "phd", "md", "jr", "sr", "ii", "iii", "emeritus", "deputy", "vice", "of", "at", "for",
}
_AND = re.compile(r"\s+(?:and|&|und|et|y)\s+|\s*&\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Byline:
    """One author of a piece: the name readers see and, when the byline gave one, a role."""

    name: str
    role: str = ""


def split_bylines(value: Any) -> list[Byline]:
    """The authors a front matter byline names, in order, without repeats."""
    items = value if isinstance(value, list) else [value]
    found: list[Byline] = []
    for item in items:
        if isinstance(item, dict):  # `{name: ..., role: ...}` in some themes
            name = str(item.get("name") or item.get("display_name") or "").strip()
            if name:
                found.append(Byline(name, str(item.get("role") or "").strip()))
            continue
        if item is None or str(item).strip() == "":
            continue
        found += split_byline(str(item))
    unique: dict[str, Byline] = {}
    for byline in found:
        unique.setdefault(byline.name.casefold(), byline)
    return list(unique.values())


def split_byline(text: str) -> list[Byline]:
    """"A, B and C" -> three; "A, Executive Director" -> one with a role."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;")
    text = re.sub(r"^(?:by|von|par)\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*[;,]\s*", text) if p.strip()]
    people: list[Byline] = []
    for part in parts:
        if people and _is_role(part):
            last = people[-1]
            role = f"{last.role}, {part}" if last.role else part
            people[-1] = Byline(last.name, role)
            continue
        people += [Byline(name) for name in _AND.split(part) if name.strip()]
    return [Byline(p.name.strip(" ."), p.role) for p in people if p.name.strip(" .")]


def _is_role(part: str) -> bool:
    """True when a comma-part reads as a job title: a title word, or no capital name."""
    words = [w.strip(".()").casefold() for w in part.split()]
    if not words:
        return False
    if any(w in ROLE_WORDS for w in words):
        return True
    # A lone acronym (ISRG, NASA) after a name is an affiliation, not a person.
    return len(words) == 1 and part.isupper() and len(part) > 1
