"""Typed reading of front matter fields, each failure a message pointing at the field's line.

The Norway problem lives here: YAML reads `title: no` as False and `title: 1.10` as 1.1, so
a text field that arrives as a bool or a number is an error that says to quote it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from typing import Any

from sitegen.config import did_you_mean
from sitegen.content.safetext import unsafe_text
from sitegen.content.sources import Source
from sitegen.dates import out_of_range
from sitegen.errors import Problems

# Other tools' names for sitegen's fields: "did you mean" by meaning before spelling
# (`description` is a summary, not a misspelt `section`).
FOREIGN_FIELDS = {
    "excerpt": "summary", "description": "summary", "abstract": "summary", "teaser": "summary",
    "lastmod": "updated", "modified": "updated", "last_modified_at": "updated",
    "publishdate": "date", "pubdate": "date", "dek": "subtitle", "deck": "subtitle",
    "categories": "section", "category": "section", "byline": "authors",
    "redirect_from": "aliases", "cover": "image", "featured_image": "image",
    "thumbnail": "image", "published": "draft", "status": "draft", "canonical_url": "canonical",
}
# Fields only another tool's posts have: worth the hint to import them instead.
TOOL_MARKS = {"jekyll": {"permalink", "categories", "redirect_from", "published", "excerpt"},
              "hugo": {"lastmod", "publishdate", "weight", "menu", "aliases"},
              "pelican": {"status", "modified", "category"}}


def meaning_or_spelling(key: str, known: set[str]) -> str:
    """' Did you mean `summary`?' from the table above, else from the spelling."""
    meant = FOREIGN_FIELDS.get(key.casefold())
    if meant in known:
        return f" Did you mean `{meant}`? (`{key}` is another tool's name for it.)"
    return did_you_mean(key, known)


def foreign_hint(unknown: list[str], meta_text: str) -> str:
    """" This looks like a Jekyll post (...): run `sitegen import --from jekyll`." or ""."""
    if meta_text and "=" in meta_text.split("\n", 1)[0] and ":" not in meta_text.split(
            "\n", 1)[0]:
        return " This looks like a Hugo post (TOML front matter): run `sitegen import " \
               "--from hugo` on the Hugo site to bring it in whole."
    names = {k.casefold() for k in unknown}
    for tool, marks in TOOL_MARKS.items():
        found = sorted(names & marks)
        if len(found) >= 2 or (found and tool == "jekyll" and "permalink" in found):
            listed = ", ".join(f"`{f}`" for f in found)
            return (f" This looks like a {tool.title()} post ({listed}): run `sitegen import "
                    f"--from {tool}` on the {tool.title()} site to bring it in whole.")
    return ""


class FieldReader:
    """Reads fields of one source's front matter, reporting problems against its lines."""

    def __init__(self, source: Source, problems: Problems, known: set[str]) -> None:
        self.source = source
        self.problems = problems
        self.ok = True
        self.bad: set[str] = set()  # fields whose value is wrong (not merely unknown ones)
        unknown = [str(key) for key in source.meta if key not in known]
        hint = foreign_hint(unknown, source.meta_text) if unknown else ""
        for key in unknown:
            line, _ = source.line_of(key)
            problems.error(source.path, line, 1, f"unknown field `{key}`."
                           f"{meaning_or_spelling(key, known)} Put free data under `extra`."
                           f"{hint if key == unknown[0] else ''}")
            self.ok = False
        for key, value in source.meta.items():
            problem = unsafe_text(value)
            if problem:
                self.error(str(key), f"`{key}` {problem}")

    def error(self, key: str, message: str) -> None:
        line, col = self.source.line_of(key)
        self.problems.error(self.source.path, line, col, message)
        self.ok = False
        self.bad.add(key)

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.source.meta.get(key)
        if value is None:
            if required:
                line = max(self.source.meta_line, 1)
                self.problems.error(self.source.path, line, 1, f"`{key}` is required. "
                                    f"Add a `{key}: ...` line to the front matter.")
                self.ok = False
            return default
        if not isinstance(value, str):
            kind = "true/false" if isinstance(value, bool) else type(value).__name__
            self.error(key, f"`{key}` must be text, but YAML read it as {kind} ({value!r}). "
                       f"Put the value in quotes: {key}: \"...\".")
            return default
        if required and not value.strip():
            self.error(key, f"`{key}` is empty. Write the {key} after `{key}:`.")
        return value.strip()

    def text_list(self, key: str) -> list[str]:
        value = self.source.meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"`{key}` must be a list of text, e.g. `{key}: [one, two]`; quote "
                       "items that YAML reads as numbers or true/false.")
            return []
        return [v.strip() for v in value if v.strip()]

    def flag(self, key: str) -> bool:
        value = self.source.meta.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"`{key}` must be true or false.")
            return False
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.source.meta.get(key, {})
        if not isinstance(value, dict):
            self.error(key, f"`{key}` must be a mapping of `name: value` lines.")
            return {}
        return value

    def when(self, key: str, tz: tzinfo, *, required: bool = False) -> datetime | None:
        value = self.source.meta.get(key)
        if value is None:
            if required:
                self.problems.error(self.source.path, max(self.source.meta_line, 1), 1,
                                    f"`{key}` is required. Add `{key}: 2025-01-31` (or with a "
                                    "time, `2025-01-31T09:30:00`) to the front matter.")
                self.ok = False
            return None
        try:
            return parse_when(value, tz)
        except OutOfRange as exc:
            self.error(key, f"`{key}` {exc}. Write the date it was really published (or "
                       "updated).")
            return None
        except ValueError as exc:
            self.error(key, f"`{key}` is not a valid date ({exc}). Write it as YYYY-MM-DD, "
                       "optionally with a time: 2025-01-31T09:30:00.")
            return None


# What Jekyll, WordPress and hand-edited front matter really hold: `2013-11-22 5:00:00 +0000`,
# `2015-03-17 14:00:00 -4`, `2016-01-05 09:30 Z`: a one-digit hour, a space before the
# offset, an offset in hours or without its colon.
_NEAR_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(:\d{2}(?:\.\d+)?)?"
                       r"[ \t]*(?:(Z|UTC|GMT)|([+-])(\d{1,2}):?(\d{2})?)?$", re.IGNORECASE)


def near_iso(text: str) -> str:
    """`text` in the ISO form Python reads, when it is one of the near-ISO forms above."""
    found = _NEAR_ISO.match(text)
    if not found:
        return text
    day, hour, minute, seconds, utc, sign, off_h, off_m = found.groups()
    zone = "+00:00" if utc else f"{sign}{int(off_h):02d}:{off_m or '00'}" if sign else ""
    return f"{day}T{int(hour):02d}:{minute}{seconds or ''}{zone}"


class OutOfRange(ValueError):
    """A valid date sitegen cannot publish (see sitegen.dates)."""


def parse_when(value: Any, tz: tzinfo) -> datetime:
    """A front matter date or datetime, made aware (naive ones are in the site's timezone)."""
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, str):
        text = near_iso(value.strip())
        try:
            result = datetime.fromisoformat(text)
        except ValueError:
            if len(text) >= 10 and text[4] == "-" and text[7] == "-":
                # Name what is wrong: "day is out of range for month" beats "invalid isoformat".
                date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
            raise ValueError(f"`{text}` is not an ISO date") from None
    else:
        raise ValueError(f"YAML read it as {type(value).__name__}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    problem = out_of_range(result)
    if problem:
        raise OutOfRange(problem)
    return result
