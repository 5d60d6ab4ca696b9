#!/usr/bin/env python3
"""sitegen against the Python floor, Hugo and Pelican on one corpus, in one run.

    python3 benchmarks/run.py                       # 1,000 and 10,000 articles
    python3 benchmarks/run.py --sizes 50000 --tools sitegen --runs 1
    python3 benchmarks/run.py --sizes 1000 --runs 5 --json results.json
    python3 benchmarks/run.py --sizes 10000 100000 --tools sitegen --runs 1 --no-disk

With two sizes or more, the table ends with the memory slope (how much the peak of the
largest process grows per article between the smallest and the largest size: the archive's
cost beyond a fixed base) and how cold build time grows between them.

Makes the corpus with benchmarks/corpus.py (or --corpus-script), converts it for
the peers with ../shared/peers/convert.py when `sh ../shared/peers/setup.sh` has installed
them (in $ANCHORS, default /tmp/anchors; peers that are missing are skipped), then measures,
alternating the tools within each round so that a noisy machine hurts them alike:

  sitegen cold      no cache, no previous output, `--jobs` processes (default 2), tmpfs
  sitegen warm      cache and previous output kept, nothing changed, tmpfs
  sitegen one edit  cache and previous output kept, one article's body changed, tmpfs
  ... on disk       the same three with the output on disk beside a previous build
                    (cold: `--clean`, the cache ignored but the last output there)
  sitegen serve     in-process incremental rebuild (the API `sitegen serve` uses): time
                    from saving one edited article (headline; body; a new article; a
                    deleted one) to its pages on disk
  floor j1 / j2     ../shared/peers/floor.py: article pages only, 1 or 2 processes
  hugo, pelican     cold builds of the converted projects (as ../shared/peers/run.sh)

Each figure is the median of --runs (after one warm-up); memory is the peak RSS of the
largest process (wait4's ru_maxrss, as /usr/bin/time reports it). Outputs go to /dev/shm.
Other work on the machine shows up as noise: compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-01-01T00:00:00+00:00"
ANCHORS = Path(os.environ.get("ANCHORS", "/tmp/anchors"))

sys.path.insert(0, str(REPO / "benchmarks"))
from report import Row, table  # noqa: E402  (beside this script)

# ---------------------------------------------------------------- running things


TIMEOUT = [3600.0]  # seconds one command may take (--timeout)


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
          timeout: float | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB of the largest process) of one command; fails loudly."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = start + (timeout or TIMEOUT[0])
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(proc.pid, 9)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def rmtree(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
        for sibling in path.parent.glob(f".{path.name}.*"):
            shutil.rmtree(sibling, ignore_errors=True)


def sitegen_cmd(site: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(out),
            "--now", NOW, "--jobs", str(jobs), "-q", *extra]


def sitegen_env() -> dict[str, str]:
    return {"PYTHONPATH": str(REPO)}


# ---------------------------------------------------------------- corpus and peers


def make_corpus(script: Path, n: int, root: Path, *extra: str) -> Path:
    # One per generator (they make other archives) and per option (--images).
    corpus = root / "-".join([script.stem, *(e.strip("-") for e in extra), str(n)])
    config = corpus / "sitegen.yaml"
    if not config.exists():
        subprocess.run([sys.executable, str(script), str(corpus), "--articles", str(n),
                        *extra], check=True, stdout=subprocess.DEVNULL)
    # The peers' projects index no search: neither do the timed sitegen builds (Pagefind's
    # own time is reported apart; see benchmarks/README.md).
    text = config.read_text()
    if "search:" not in text:
        text += "search: false\n"
    # Nor do they draw share cards (0.06 s of CPU a card, once: then cached): the engine's
    # figures are compared without them; benchmarks/image_bench.py (--images) times them.
    if "images:" not in text:
        text += "images: {share_cards: false}\n"
    config.write_text(text)
    return corpus


def hugo_binary() -> Path | None:
    found = sorted(ANCHORS.glob("venv/lib/python3*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else None


def peer_project(peers: Path, corpus: Path, tool: str, n: int) -> Path:
    site = ANCHORS / "sites" / f"{tool}-{corpus.name}"  # converted from this very corpus
    if not site.exists():
        subprocess.run([str(ANCHORS / "venv/bin/python"), str(peers / "convert.py"), str(corpus),
                        tool, str(site)], check=True, stdout=subprocess.DEVNULL)
    return site


def peer_runner(tool: str, peers: Path, corpus: Path, n: int,
                out_root: Path) -> Callable[[], tuple[float, float]] | None:
    """A function running one cold build of a peer, or None when it is not installed."""
    py = ANCHORS / "venv/bin/python"
    out = out_root / f"{tool}-{n}"
    if tool.startswith("floor"):
        if not py.exists():
            return None
        jobs = tool[-1]

        def floor() -> tuple[float, float]:
            rmtree(out)
            return timed([str(py), str(peers / "floor.py"), str(corpus), str(out), "--jobs", jobs])
        return floor
    if tool == "hugo":
        hugo = hugo_binary()
        if hugo is None:
            return None
        site = peer_project(peers, corpus, tool, n)

        def run_hugo() -> tuple[float, float]:
            rmtree(out, out_root / f"hugo-cache-{n}", site / "resources")
            return timed([str(hugo), "--destination", str(out), "--quiet"], cwd=site,
                         env={"HUGO_CACHEDIR": str(out_root / f"hugo-cache-{n}")})
        return run_hugo
    if tool == "pelican":
        if not (ANCHORS / "venv/bin/pelican").exists():
            return None
        site = peer_project(peers, corpus, tool, n)

        def run_pelican() -> tuple[float, float]:
            rmtree(out, site / "cache", site / "__pycache__")
            return timed([str(ANCHORS / "venv/bin/pelican"), "content", "-s", "pelicanconf.py",
                          "-o", str(out), "-q"], cwd=site)
        return run_pelican
    if tool == "eleventy":
        cmd = ANCHORS / "eleventy/node_modules/@11ty/eleventy/cmd.cjs"
        if not cmd.exists():
            return None
        site = peer_project(peers, corpus, tool, n)

        def run_eleventy() -> tuple[float, float]:
            rmtree(out, site / ".cache")
            return timed(["node", str(cmd), "--config=eleventy.config.cjs", f"--output={out}",
                          "--quiet"], cwd=site)
        return run_eleventy
    raise SystemExit(f"unknown tool {tool}")


# ---------------------------------------------------------------- sitegen scenarios


def an_article(corpus: Path) -> Path:
    return sorted((corpus / "content/articles").glob("*/*.md"))[len(
        list((corpus / "content/articles").glob("*/*.md"))) // 2]


class Edits:
    """Edits one article differently each time, and can put it back."""

    def __init__(self, corpus: Path) -> None:
        self.path = an_article(corpus)
        self.original = self.path.read_bytes()
        self.count = 0

    def body(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"\nA correction, number {self.count}.\n".encode())

    def headline(self) -> None:
        self.count += 1
        text = self.original.decode()
        start = text.index("\ntitle:") + 1
        end = text.index("\n", start)
        self.path.write_text(f'{text[:start]}title: "Edited headline {self.count}"{text[end:]}')

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def site_copy(corpus: Path, name: str) -> Path:
    """A copy of the corpus with its own cache, so that scenarios do not undo each other."""
    copy = corpus.parent / f"{corpus.name}-{name}"
    if not copy.exists():
        shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".sitegen-cache"))
    shutil.copy2(corpus / "sitegen.yaml", copy / "sitegen.yaml")  # the settings of this run
    return copy


def sitegen_scenarios(corpus: Path, n: int, out_root: Path, disk_root: Path | None, jobs: int,
                      ) -> dict[str, Callable[[], tuple[float, float]]]:
    env = sitegen_env()
    cold_site = site_copy(corpus, "cold")

    def cold() -> tuple[float, float]:
        out = out_root / f"sitegen-cold-{n}"
        rmtree(out, cold_site / ".sitegen-cache")
        return timed(sitegen_cmd(cold_site, out, jobs), env=env)

    def prepare(site: Path, out: Path, edits: Edits) -> None:
        edits.restore()
        subprocess.run(sitegen_cmd(site, out, jobs), env={**os.environ, **env}, check=True)

    def warm(site: Path, out: Path) -> Callable[[], tuple[float, float]]:
        edits = Edits(site)

        def run() -> tuple[float, float]:
            prepare(site, out, edits)
            return timed(sitegen_cmd(site, out, jobs), env=env)
        return run

    def one_edit(site: Path, out: Path) -> Callable[[], tuple[float, float]]:
        edits = Edits(site)

        def run() -> tuple[float, float]:
            prepare(site, out, edits)
            edits.body()
            try:
                return timed(sitegen_cmd(site, out, jobs), env=env)
            finally:
                edits.restore()
        return run

    tmp_out = out_root / f"sitegen-{n}"
    found = {"sitegen cold": cold, "sitegen warm": warm(corpus, tmp_out),
             "sitegen one edit": one_edit(corpus, tmp_out)}
    if disk_root is None:
        return found
    disk_site = site_copy(corpus, "disk")
    disk_out = disk_root / f"sitegen-{n}"

    def clean_on_disk() -> tuple[float, float]:
        prepare(disk_site, disk_out, Edits(disk_site))
        return timed(sitegen_cmd(disk_site, disk_out, jobs, "--clean"), env=env)

    return {**found, "sitegen cold, disk, last output kept": clean_on_disk,
            "sitegen warm, disk": warm(disk_site, disk_out),
            "sitegen one edit, disk": one_edit(disk_site, disk_out)}


def newest_article(edits: Edits) -> str:
    """A copy of the edited article dated just before the benchmark's now: a newsroom adds
    at the top of the archive, where an article moves every listing and related box."""
    text = edits.original.decode().replace("title:", "title: Added —", 1)
    text = re.sub(r"^updated: .*\n", "", text, count=1, flags=re.M)  # it cannot predate it
    return re.sub(r"^date: .*$", "date: 2025-12-31T23:00:00Z", text, count=1, flags=re.M)


def serve_edits(corpus: Path, n: int, out_root: Path, rounds: int) -> dict[str, list[float]]:
    """Milliseconds from saving a file to its pages on disk, through the in-memory Builder
    that `sitegen serve` keeps (writes in place), told which file changed as a watcher
    would tell it."""
    sys.path.insert(0, str(REPO))
    from sitegen.engine.build import Builder, BuildOptions, FirstPages

    corpus = site_copy(corpus, "serve")
    out = out_root / f"serve-{n}"
    rmtree(out)
    builder = Builder(BuildOptions(site=corpus, output=out, now=datetime.fromisoformat(NOW),
                                   in_place=True))
    builder.build(save_cache=False)
    edits = Edits(corpus)
    added = corpus / "content/articles/2024/benchmark-added-article.md"
    results: dict[str, list[float]] = {"headline": [], "body": [], "add": [], "delete": [],
                                       "add, first pages": [], "delete, first pages": []}
    page = None
    try:
        for _ in range(rounds):
            for kind, action in (("headline", edits.headline), ("body", edits.body)):
                start = time.perf_counter()
                action()
                result = builder.build(save_cache=False, changed=[edits.path])
                results[kind].append((time.perf_counter() - start) * 1000)
                page = page or next(p for p in result.changed if edits.path.stem in p)
                assert (out / page).is_file()
            for kind, action in (("add", lambda: added.write_text(newest_article(edits))),
                                 ("delete", added.unlink)):
                # As `sitegen serve` does: a tab on the home page, whose page (with the saved
                # article's) goes live before the rest of the site, which is served from the
                # new build until written.
                start = time.perf_counter()
                early = results[f"{kind}, first pages"]

                def live(_: frozenset[str], start: float = start,
                         early: list[float] = early) -> None:
                    early.append((time.perf_counter() - start) * 1000)

                action()
                builder.build(save_cache=False, changed=[added],
                              first=FirstPages(frozenset({"index.html"}), live))
                results[kind].append((time.perf_counter() - start) * 1000)
    finally:
        edits.restore()
        added.unlink(missing_ok=True)
    return results


# ---------------------------------------------------------------- the table


def images_runners(args: argparse.Namespace, peers: Path, corpus: Path,
                   n: int) -> dict[str, Callable[[], tuple[float, float]]]:
    """The image scenarios (see benchmarks/image_bench.py), Hugo's when it is installed."""
    from image_bench import image_scenarios

    binary = hugo_binary()
    hugo = (binary, peer_project(peers, corpus, "hugo", n)) if binary else None
    return image_scenarios(timed, make_corpus, sitegen_cmd, sitegen_env(), args.corpus_script,
                           n, args.work, args.jobs, hugo)


def arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tools", nargs="+", default=["sitegen", "floor-j1", "floor-j2", "hugo",
                                                   "pelican"],
                    help="sitegen, floor-j1, floor-j2, hugo, pelican, eleventy")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the folder holding corpus/ and peers/")
    ap.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-bench"),
                    help="corpora and outputs (a tmpfs)")
    ap.add_argument("--outputs", type=Path, default=None,
                    help="where the timed builds write (default: --work); at 100,000 articles "
                    "the outputs are 3 GB each, more than a small tmpfs holds beside the corpus")
    ap.add_argument("--disk", type=Path, default=Path("/var/tmp/sitegen-bench"),
                    help="outputs for the on-disk figures")
    ap.add_argument("--corpus-script", type=Path, default=REPO / "benchmarks" / "corpus.py",
                    help="what makes the corpus (the shared one: ../shared/corpus/make_corpus.py)")
    ap.add_argument("--serve-rounds", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    ap.add_argument("--images", action="store_true",
                    help="only the image scenarios (benchmarks/image_bench.py): a lead photo "
                    "per ten articles, sitegen with and without images, and Hugo's resizing")
    ap.add_argument("--no-disk", action="store_true",
                    help="skip the on-disk sitegen figures (tmpfs only)")
    ap.add_argument("--timeout", type=float, default=3600,
                    help="seconds any one build may take before it is killed (a failure)")
    return ap.parse_args()


def runners_for(args: argparse.Namespace, peers: Path, corpus: Path,
                n: int) -> dict[str, Callable[[], tuple[float, float]]]:
    """The scenarios to time at size `n`, by label."""
    runners: dict[str, Callable[[], tuple[float, float]]] = {}
    if args.images:
        return images_runners(args, peers, corpus, n)
    for tool in args.tools:
        if tool == "sitegen":
            runners.update(sitegen_scenarios(corpus, n, args.outputs or args.work,
                                             None if args.no_disk else args.disk, args.jobs))
            continue
        runner = peer_runner(tool, peers, corpus, n, args.work)
        if runner is None:
            print(f"{tool}: not installed (sh {peers}/setup.sh), skipped", file=sys.stderr)
            continue
        runners[{"floor-j1": "floor j1", "floor-j2": "floor j2"}.get(tool, tool)] = runner
    return runners


def main() -> None:
    args = arguments()
    TIMEOUT[0] = args.timeout
    peers = args.shared / "peers"
    args.work.mkdir(parents=True, exist_ok=True)
    args.disk.mkdir(parents=True, exist_ok=True)
    if args.outputs:
        args.outputs.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    serve: dict[int, dict[str, list[float]]] = {}
    for n in args.sizes:
        corpus = make_corpus(args.corpus_script, n, args.work)
        runners = runners_for(args, peers, corpus, n)
        found = {label: Row(label, n) for label in runners}
        for round_ in range(args.runs + 1):  # round 0 warms caches up and is not counted
            for label, run in runners.items():
                wall, peak = run()
                print(f"N={n} round {round_} {label}: {wall:.2f} s, {peak:.0f} MB",
                      file=sys.stderr, flush=True)
                if round_:
                    found[label].walls.append(wall)
                    found[label].peaks.append(peak)
        rows += found.values()
        if "sitegen" in args.tools and not args.images:
            serve[n] = serve_edits(corpus, n, args.outputs or args.work, args.serve_rounds)
            print(f"N={n} serve: {serve[n]}", file=sys.stderr, flush=True)
    print(f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; medians of {args.runs}\n")
    print(table(rows, serve, args.sizes))
    if args.json:
        args.json.write_text(json.dumps({"rows": [r.__dict__ for r in rows], "serve": serve},
                                        indent=1))


if __name__ == "__main__":
    main()
