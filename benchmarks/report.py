"""The benchmark's table: each scenario's median time by size, the serve edits, the ratios
against the peers, and (with two sizes or more) the memory slope and time growth."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Row:
    label: str
    n: int
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peaks) if self.peaks else float("nan")


def table(rows: list[Row], serve: dict[int, dict[str, list[float]]], sizes: list[int]) -> str:
    by = {(r.label, r.n): r for r in rows}
    labels = list(dict.fromkeys(r.label for r in rows))
    head = "| tool / scenario | " + " | ".join(f"{n:,} articles" for n in sizes)
    head += " | peak MB at " + f"{sizes[-1]:,} |"
    lines = [head, "|---" * (len(sizes) + 2) + "|"]
    for label in labels:
        cells = [f"{by[(label, n)].wall:.2f} s" if (label, n) in by else "" for n in sizes]
        last = by.get((label, sizes[-1]))
        peak = f" {last.peak:.0f} |" if last else " |"
        lines.append(f"| {label} | " + " | ".join(cells) + " |" + peak)
    for kind in ("headline", "body", "add", "delete", "add, first pages",
                 "delete, first pages"):
        cells = [f"{statistics.median(serve[n][kind]):.0f} ms" if n in serve and serve[n][kind]
                 else "" for n in sizes]
        what = ("first pages on disk, every page served new" if "first" in kind
                else "pages on disk")
        lines.append(f"| sitegen serve: {kind.split(',')[0]}, {what} | " + " | ".join(cells)
                     + " | |")
    lines.append("")
    def ratio(a: str, b: str, n: int) -> str:
        if (a, n) not in by or (b, n) not in by:
            return "n/a"
        return f"{by[(a, n)].wall / by[(b, n)].wall:.2f}"

    lines += slopes(by, labels, sizes)
    for n in sizes:
        lines.append(f"{n:,} articles: cold / floor j2 = {ratio('sitegen cold', 'floor j2', n)}; "
                     f"cold / hugo = {ratio('sitegen cold', 'hugo', n)}; "
                     f"pelican / cold = {ratio('pelican', 'sitegen cold', n)}; "
                     f"eleventy / cold = {ratio('eleventy', 'sitegen cold', n)}; "
                     f"warm / hugo = {ratio('sitegen warm', 'hugo', n)}; "
                     f"one edit / hugo = {ratio('sitegen one edit', 'hugo', n)}")
    return "\n".join(lines)


def slopes(by: dict[tuple[str, int], Row], labels: list[str], sizes: list[int]) -> list[str]:
    """Peak memory per article between the smallest and largest size (the archive's cost
    beyond a fixed base), and the growth of each sitegen figure's time between them."""
    if len(sizes) < 2:
        return []
    low, high = sizes[0], sizes[-1]
    lines = [f"Between {low:,} and {high:,} articles ({high / low:.1f} times as many):"]
    for label in labels:
        if (label, low) not in by or (label, high) not in by:
            continue
        a, b = by[(label, low)], by[(label, high)]
        per_article = (b.peak - a.peak) * 1024 / (high - low)
        lines.append(f"- {label}: peak {a.peak:.0f} -> {b.peak:.0f} MB, "
                     f"{per_article:.2f} KB per article; time x{b.wall / a.wall:.2f}")
    lines.append("")
    return lines
