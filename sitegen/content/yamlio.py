"""Safe YAML loading that keeps line numbers and leaves dates for us to check.

PyYAML turns `2024-02-30` into a ValueError with no position, and `title: no` into False.
We load with a safe loader whose timestamp resolver is removed, so every date arrives as text
and is parsed (and reported with its line) by the stage that knows what the field means.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]  # PyYAML's loaders are untyped
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


MAX_DEPTH = 64  # libyaml recurses in C: a deep enough `[[[[...` crashes the process
MAX_VALUES = 100_000  # anchors and aliases can make a small text stand for billions of values
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")


def _too_deep(text: str) -> tuple[int, int] | None:
    """0-based (line, col) where nesting first passes MAX_DEPTH, counting flow brackets and
    block indentation; None when the text is shallow. Quotes are skipped roughly: a false
    alarm needs 64 levels, which no front matter has."""
    depth = 0
    quote = ""
    for line_no, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" -")
        block = (len(line) - len(stripped)) // 2
        if block > MAX_DEPTH:
            return line_no, 0
        for col, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and depth:
                quote = ch
            elif ch in "[{":
                depth += 1
                if depth + block > MAX_DEPTH:
                    return line_no, col
            elif ch in "]}":
                depth = max(depth - 1, 0)
    return None


def _count_values(data: Any, budget: int = MAX_VALUES) -> int:
    """Values reachable from `data`, counting shared (aliased) ones each time; stops early."""
    seen = 0
    stack = [data]
    while stack and seen <= budget:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return seen


def load(text: str) -> Any:
    """Parse YAML text safely; raise YamlProblem with a position on any failure."""
    deep = _too_deep(text)
    if deep:
        raise YamlProblem(deep[0], deep[1], f"YAML nested more than {MAX_DEPTH} levels deep")
    data = _parse(text)
    if "*" in text and _count_values(data) > MAX_VALUES:
        raise YamlProblem(0, 0, f"YAML aliases expand to more than {MAX_VALUES:,} values "
                          "(an alias bomb?)")
    return data


def duplicate_keys(text: str) -> list[tuple[str, int, int]]:
    """Top-level keys given twice: (key, first line, second line), 0-based lines.

    PyYAML keeps the last value silently; a writer who typed `title:` twice deserves to know.
    """
    first: dict[str, int] = {}
    found = []
    for number, line in enumerate(text.split("\n")):
        match = _TOP_KEY.match(line)
        if match:
            key = match.group(1)
            if key in first:
                found.append((key, first[key], number))
            else:
                first[key] = number
    return found


def _parse(text: str) -> Any:
    """PyYAML with positions: every failure becomes a YamlProblem."""
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
    # `=` too: the same lookup serves TOML front matter (`key = value`).
    match = re.search(rf"^{re.escape(key)}[ \t]*[:=][ \t]*", text, re.MULTILINE)
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
