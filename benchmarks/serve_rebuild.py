"""The dev server's rebuilds, timed in process: no browser, no sockets, no watcher.

    python benchmarks/serve_rebuild.py --site 100000 [--edits 10] [--adds 3] [--no-cards]

Builds a corpus (benchmarks/corpus.py) once as `sitegen serve` does (sitegen.serve.preview),
then saves a new headline into one article `--edits` times, and adds then deletes a newest
article `--adds` times. For each rebuild it prints the whole time, the time until the first
pages (the home page, a tab's) were live, and the stages. reload_latency.py measures the
same saves end to end in Chromium; this one separates the rebuild from the machine's noise
around it (the watcher, the browser), and reaches 100,000 articles, where it is cheap to run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import REPO, corpus_site, percentile

sys.path.insert(0, str(REPO))

from sitegen.engine.request import BuildOptions
from sitegen.serve.preview import Preview


def rebuild(preview: Preview, path: Path, what: str) -> tuple[float, float]:
    """One rebuild after `path` changed, as the dev server asks for it; prints its times."""
    outcome = preview.rebuild([path], first=["/"], first_done=lambda: None)
    stages = outcome.result.timings if outcome.result else {}
    first = outcome.served_new if outcome.served_new is not None else outcome.seconds
    print(f"  {what}: {outcome.seconds * 1000:.0f} ms, first pages {first * 1000:.0f} ms ("
          + ", ".join(f"{k} {v * 1000:.0f}" for k, v in stages.items()) + ")"
          + (f" FAILED {outcome.status.errors[:1]}" if outcome.status.failed else ""),
          flush=True)
    return outcome.seconds, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, help="a number of articles, or a site folder "
                        "(one of its articles is edited, then put back as it was)")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--adds", type=int, default=3)
    parser.add_argument("--no-cards", action="store_true", help="share cards off (a first "
                        "build of 100,000 cards takes a quarter of an hour)")
    args = parser.parse_args()
    if args.no_cards and not args.site.isdigit():
        parser.error("--no-cards changes the configuration: only for a generated corpus")
    with tempfile.TemporaryDirectory(prefix="sitegen-rebuild-", dir="/var/tmp") as tmp:
        site = (Path(args.site) if not args.site.isdigit()
                else corpus_site(Path(tmp), int(args.site)))
        if args.no_cards:
            with (site / "sitegen.yaml").open("a", encoding="utf-8") as config:
                config.write("images:\n  share_cards: false\n")
        preview = Preview(BuildOptions(site=site))
        start = time.perf_counter()
        preview.rebuild()
        print(f"first build {time.perf_counter() - start:.1f} s", flush=True)
        article = sorted((site / "content/articles").rglob("*.md"))[5]
        original = article.read_text(encoding="utf-8")
        edits, adds = [], []
        try:
            for n in range(args.edits):
                article.write_text(re.sub(r"^title: .*$", f"title: Edited headline {n}",
                                          original, count=1, flags=re.M), encoding="utf-8")
                edits.append(rebuild(preview, article, f"edit {n + 1}"))
                time.sleep(0.3)
            added = article.with_name("benchmark-breaking-news.md")
            for n in range(args.adds):
                when = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                text = re.sub(r"^title: .*$", f"title: Breaking news {n}", original, count=1,
                              flags=re.M)
                added.write_text(re.sub(r"^date: .*$", f"date: {when}", text, count=1,
                                        flags=re.M), encoding="utf-8")
                adds.append(rebuild(preview, added, f"add {n + 1}"))
                added.unlink()
                adds.append(rebuild(preview, added, f"delete {n + 1}"))
        finally:
            article.write_text(original, encoding="utf-8")
            preview.close()
    for name, runs in (("edit", edits), ("add or delete", adds)):
        if runs:
            whole = [w * 1000 for w, _ in runs]
            first = [f * 1000 for _, f in runs]
            print(f"{name}: rebuild p50 {percentile(whole, 0.5):.0f} ms, p95 "
                  f"{percentile(whole, 0.95):.0f} ms; first pages p50 {percentile(first, 0.5):.0f}"
                  f" ms, p95 {percentile(first, 0.95):.0f} ms ({len(runs)} rebuilds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
