"""Safe YAML loading that keeps line numbers and leaves dates for us to check.

PyYAML turns `2024-02-30` into a ValueError with no position, and `title: no` into False.
We load with a safe loader whose timestamp resolver is removed, so every date arrives as text
and is parsed (and reported with its line) by the stage that knows what the field means.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader (the C one when available) that leaves timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlProblem(Exception):
    """A YAML error with a 0-based line and column inside the YAML text."""

    def __init__(self, line: int, col: int, message: str, context_line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message
        self.context_line = context_line

    def with_offset(self, offset: int) -> str:
        """The message with the context line shifted into the file's own numbering."""
        if self.context_line is None:
            return self.message
        return self.message.replace("{context_line}", str(self.context_line + offset))


def load(text: str) -> Any:
    """Parse YAML text safely; raise YamlProblem with a position on any failure."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line, mark.column) if mark else (0, 0)
        what = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and exc.context_mark.line != line:
            # "while scanning a quoted scalar" started elsewhere: that is where the fix goes,
            # so point there and say where the parser gave up.
            ctx = exc.context_mark
            raise YamlProblem(ctx.line, ctx.column, f"invalid YAML: {exc.context}, {what} "
                              "(at line {context_line})", context_line=line) from None
        raise YamlProblem(line, col, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"invalid YAML: {exc}") from None
    except (ValueError, RecursionError, TypeError) as exc:
        raise YamlProblem(0, 0, f"invalid YAML: {exc}") from None


def key_line(text: str, key: str) -> tuple[int, int]:
    """0-based (line, column of the value) of a top-level `key:` in a YAML mapping text.

    Used to point an error at the line a writer must edit; (0, 0) when not found.
    """
    match = re.search(rf"^{re.escape(key)}[ \t]*:[ \t]*", text, re.MULTILINE)
    if not match:
        return 0, 0
    line = text.count("\n", 0, match.start())
    return line, match.end() - match.start()


def value_line(text: str, value: str, after: int = 0) -> int:
    """0-based line of the first occurrence of `value` at or after line `after`; `after` if none."""
    lines = text.split("\n")
    for i in range(after, len(lines)):
        if value in lines[i]:
            return i
    return after
