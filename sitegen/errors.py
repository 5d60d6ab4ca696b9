"""One exception family for everything a user can fix, and a collector for content errors.

Every message a user sees has the shape `path:line:col: what is wrong. What to do.`; the CLI
prints these without a traceback (Click's habit) and picks the exit code from the class.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, pointing at the line a writer must edit."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"
    kind: str = ""  # what problems of one kind share, when not the whole message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def what(self) -> str:
        """The kind of problem: the message, less what is particular to this place."""
        return self.kind or self.message


class SitegenError(Exception):
    """Base class: a failure the user can act on. `exit_code` is what the CLI returns."""

    exit_code = 1


class UsageError(SitegenError):
    """Bad command-line arguments or an unusable site folder (exit 2)."""

    exit_code = 2


class OutputError(SitegenError):
    """The output cannot be written (disk full, no permission): the old output is kept."""

    exit_code = 2


class ConfigError(SitegenError):
    """`sitegen.yaml` is missing or wrong (exit 2)."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(SitegenError):
    """One or more content or template files are wrong (exit 1); all of them, not just the
    first. Printed grouped (see `report_lines`); `full` lists every place of every kind."""

    exit_code = 1

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        self.warnings = list(warnings or [])
        self.full = False
        self.hint = ""  # how to see every place, where the command can (`--verbose`)
        super().__init__(self.summary())

    def summary(self) -> str:
        files = len({p.path for p in self.problems})
        n = len(self.problems)
        return f"{n:,} error{'s' * (n != 1)} in {files:,} file{'s' * (files != 1)}"

    def __str__(self) -> str:
        return "\n".join([*report_lines([*self.problems, *self.warnings], full=self.full,
                                       hint=self.hint), self.summary()])


SHOWN = 3  # places shown in full for a kind of problem met in many; the rest are counted


def report_lines(problems: list[Problem], *, full: bool = False, hint: str = "") -> list[str]:
    """Problems as printed, in path order: each one as `path:line:col: severity: message`,
    except that a kind met in more than SHOWN + 1 places is given once, where it is first
    met: a line with its count and files, its first SHOWN places in full, and the count
    of the rest (`full`: every place)."""
    shown = sorted(problems, key=lambda p: (p.path, p.line, p.col))
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in shown:
        groups.setdefault((problem.severity, problem.what), []).append(problem)
    lines: list[str] = []
    for (severity, what), places in groups.items():
        if len(places) <= SHOWN + 1 or full:
            lines += map(str, places)
            continue
        files = len({p.path for p in places})
        count = f"{files:,} files" if files == len(places) else (
            f"{len(places):,} places in {files:,} file{'s' * (files != 1)}")
        lines.append(f"{severity}: {_headline(what)} in {count}; the first {SHOWN}:")
        lines += map(str, places[:SHOWN])
        rest = len(places) - SHOWN
        lines.append(f"  ... and {rest:,} more place{'s' * (rest != 1)} with the same "
                     f"{severity}{hint}")
    return lines


def _headline(what: str) -> str:
    """What is wrong, without what to do: the message's first sentence."""
    first = what.split(". ")[0].rstrip(".")
    return first if len(first) <= 160 else first[:157] + "..."


@dataclass
class Problems:
    """Collects the problems of one build stage so they can all be reported together."""

    site_root: Path
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """The path as the user knows it: relative to the site folder when it lies inside."""
        text, root = str(path), str(self.site_root)
        if text.startswith(root + "/") and ".." not in text:  # the common case, fast
            return text[len(root) + 1:]
        try:
            return path.relative_to(self.site_root).as_posix()
        except ValueError:
            return str(path)

    def error(self, path: Path | str, line: int, col: int, message: str,
              kind: str = "") -> None:
        """`kind`: what problems of this kind share, when the message names particulars."""
        where = self.rel(path) if isinstance(path, Path) else path
        self.errors.append(Problem(where, max(line, 1), max(col, 1), message, kind=kind))

    def warn(self, path: Path | str, line: int, col: int, message: str) -> None:
        where = self.rel(path) if isinstance(path, Path) else path
        self.warnings.append(Problem(where, max(line, 1), max(col, 1), message, "warning"))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.errors, self.warnings)


def did_you_mean(word: str, choices: set[str] | list[str]) -> str:
    """' Did you mean `x`?' when a close match exists, else ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


MAX_NAMED = 10  # names listed in a message; the rest are counted


def name_list(names: list[str] | tuple[str, ...], limit: int = MAX_NAMED) -> str:
    """`a, b, c`, or the first `limit` and `and N more` (a site has hundreds of authors)."""
    if not names:
        return "none"
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit:,} more"
