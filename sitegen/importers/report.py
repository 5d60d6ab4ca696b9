"""What an import did, kept as it happens and printed at the end: counts, every field
mapped, dropped or moved under `extra` (with how many files), every file skipped and why,
and every problem at its source `path:line`, grouped when one kind repeats."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

SHOWN = 3  # files named for a kind of problem that repeats; the rest are counted


@dataclass
class Report:
    """The import's record. Problems are warnings: the import goes on, and says so."""

    kind: str
    counts: Counter[str] = field(default_factory=Counter)
    mapped: Counter[str] = field(default_factory=Counter)  # "excerpt -> summary"
    dropped: Counter[str] = field(default_factory=Counter)  # "layout (theme template)"
    extra: Counter[str] = field(default_factory=Counter)  # fields kept under extra
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    written: list[str] = field(default_factory=list)

    def problem(self, where: str, kind: str) -> None:
        """`where` (path:line) has a problem of `kind` (`what is wrong. What to do.`)."""
        if where not in self.problems[kind]:  # one tag met again in the same place
            self.problems[kind].append(where)

    def skip(self, path: str, why: str) -> None:
        self.skipped.append((path, why))

    def lines(self) -> list[str]:
        """The report as printed."""
        out = [f"Imported from {self.kind}: " + ", ".join(
            f"{n} {what}" for what, n in sorted(self.counts.items()) if n) or "nothing"]
        out += _section("Fields mapped", self.mapped)
        out += _section("Fields dropped", self.dropped)
        out += _section("Fields kept under `extra`", self.extra)
        if self.skipped:
            out.append(f"Skipped {len(self.skipped)} file(s):")
            out += [f"  {path}: {why}" for path, why in _grouped_skips(self.skipped)]
        for kind, places in sorted(self.problems.items(), key=lambda kv: -len(kv[1])):
            out += _problem_lines(kind, places)
        return out


def _section(title: str, counts: Counter[str]) -> list[str]:
    if not counts:
        return []
    return [f"{title}:", *(f"  {what} ({n} file{'s' * (n != 1)})"
                           for what, n in sorted(counts.items()))]


def _grouped_skips(skipped: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Skips one by one, or `N files` per reason when a reason covers many."""
    by_why: dict[str, list[str]] = defaultdict(list)
    for path, why in skipped:
        by_why[why].append(path)
    result = []
    for why, paths in by_why.items():
        if len(paths) > SHOWN + 1:
            result.append((f"{len(paths)} files ({', '.join(paths[:SHOWN])}, ...)", why))
        else:
            result += [(path, why) for path in paths]
    return result


def _problem_lines(kind: str, places: list[str]) -> list[str]:
    if len(places) <= SHOWN + 1:
        return [f"{where}: warning: {kind}" for where in places]
    return [f"{where}: warning: {kind}" for where in places[:SHOWN]] + [
        f"  ... the same in {len(places) - SHOWN:,} more places "
        f"({len(places):,} in all): {kind.split('.')[0]}."]
