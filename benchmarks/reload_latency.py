"""Edit-to-reload latency of `sitegen serve` in real headless Chromium.

    python benchmarks/reload_latency.py [--site demo|ARTICLES ...] [--edits N]

For each site (a copy of the demo site, or a corpus of ARTICLES articles made by
benchmarks/corpus.py), serves it with the real command, opens one article in Chromium and saves a
new headline into its file N times. Each latency runs from just before the file is written
to the `load` event of the reloaded page that shows the new headline (both read from the
same wall clock). Prints p50 and p95 per site. Today the full rebuild dominates on large sites.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Served, make_site, percentile, workdir

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
MARK_LOAD = "addEventListener('load', () => { window.sitegenLoadedAt = Date.now(); });"


def pick_article(site: Path) -> tuple[Path, str]:
    """An article file with a plain `title:` line and its URL in the built site."""
    for path in sorted((site / "content/articles").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^title: ([A-Za-z][^\n:\"'#]*)$", text, re.MULTILINE)
        if match and "draft: true" not in text:
            title = match.group(1).strip()
            for page in (site / "build").rglob("index.html"):
                if f'<h1 class="headline">{title}</h1>' in page.read_text(encoding="utf-8"):
                    rel = page.parent.relative_to(site / "build").as_posix()
                    return path, f"/{rel}/"
    raise SystemExit(f"no article with a plain title found in {site}")


def build_ms(lines: list[str]) -> float | None:
    """The time of the server's latest rebuild, from its `Built ... in N ms` line."""
    for line in reversed(lines):
        match = re.match(r"Built \d+ pages after .* in (\d+) ms", line)
        if match:
            return float(match.group(1))
    return None


def measure(kind: str, edits: int, browser: object, tmp: Path
            ) -> tuple[list[float], list[float]]:
    from playwright.sync_api import expect

    site = make_site(kind, tmp)
    start = time.perf_counter()
    served = Served(site)
    print(f"site {kind}: first build and start {time.perf_counter() - start:.1f} s",
          flush=True)
    latencies: list[float] = []
    builds: list[float] = []
    try:
        article, url = pick_article(site)
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        page.add_init_script(MARK_LOAD)
        page.goto(served.url.rstrip("/") + url)
        headline = page.locator("h1.headline")
        time.sleep(1.0)  # the tab's live connection opens after load
        original = article.read_text(encoding="utf-8")
        old_title = re.search(r"^title: (.*)$", original, re.MULTILINE).group(1)  # type: ignore[union-attr]
        for n in range(edits):
            title = f"Edited headline number {n}"
            text = original.replace(f"title: {old_title}", f"title: {title}", 1)
            saved_at = time.time()
            article.write_text(text, encoding="utf-8")
            expect(headline).to_have_text(title, timeout=600_000)
            page.wait_for_function("window.sitegenLoadedAt !== undefined")
            loaded_at = page.evaluate("window.sitegenLoadedAt") / 1000
            latencies.append(loaded_at - saved_at)
            builds.append((build_ms(served.lines) or 0) / 1000)
            print(f"  edit {n + 1}: {latencies[-1] * 1000:.0f} ms, of which the rebuild "
                  f"{builds[-1] * 1000:.0f} ms", flush=True)
            time.sleep(0.5)  # let the server settle before the next save
        context.close()
    finally:
        served.stop()
    return latencies, builds


def poll_page(url: str, wanted: Callable[[str], bool], since: float,
              found: list[float]) -> threading.Thread:
    """A thread that asks the server for `url` every 10 ms until `wanted(page)`, then
    appends the seconds from `since` (wall clock) to `found`."""
    def run() -> None:
        deadline = time.time() + 600
        while time.time() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=30) as reply:
                if wanted(reply.read().decode("utf-8", "replace")):
                    found.append(time.time() - since)
                    return
            time.sleep(0.01)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def measure_adds(kind: str, adds: int, browser: object, tmp: Path
                 ) -> tuple[list[float], list[float]]:
    """A tab on the home page; a new article (dated a minute ago, so the newest) saved, then
    deleted: milliseconds from each save or delete to the reloaded home page that shows (or
    no longer shows) its headline. The dev server writes the tab's page first. Meanwhile a
    client polls the article's section page, which no tab shows: the time until the server
    answers it with (without) the headline is the second list."""
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect

    site = make_site(kind, tmp / "adds")
    served = Served(site)
    latencies: list[float] = []
    others: list[float] = []
    try:
        source, _ = pick_article(site)
        original = source.read_text(encoding="utf-8")
        section = re.search(r"^section: (\S+)$", original, re.MULTILINE)
        listing = served.url.rstrip("/") + (f"/{section.group(1)}/" if section else "/")
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        page.add_init_script(MARK_LOAD)
        page.goto(served.url)
        time.sleep(1.0)
        added = source.with_name("benchmark-breaking-news.md")
        for n in range(adds):
            title = f"Breaking news number {n}"
            when = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            text = re.sub(r"^title: .*$", f"title: {title}", original, count=1, flags=re.M)
            text = re.sub(r"^date: .*$", f"date: {when}", text, count=1, flags=re.M)
            for action in ("add", "delete"):
                page.evaluate("window.sitegenLoadedAt = undefined")
                saved_at = time.time()
                shown = action == "add"
                poller = poll_page(listing, lambda body, t=title, s=shown: (t in body) == s,
                                   saved_at, others)
                if action == "add":
                    added.write_text(text, encoding="utf-8")
                    expect(page.get_by_text(title).first).to_be_visible(timeout=600_000)
                else:
                    added.unlink()
                    expect(page.get_by_text(title)).to_have_count(0, timeout=600_000)
                page.wait_for_function("window.sitegenLoadedAt !== undefined")
                loaded_at = page.evaluate("window.sitegenLoadedAt") / 1000
                latencies.append(loaded_at - saved_at)
                poller.join()
                print(f"  {action} {n + 1}: {latencies[-1] * 1000:.0f} ms; its section page "
                      f"served new after {others[-1] * 1000:.0f} ms", flush=True)
                time.sleep(4.0)  # the rest of the site is written after the tab's page
        context.close()
        peak = served.peak_mb()
        if peak is not None:
            print(f"  the server's peak memory (VmHWM) so far: {peak:.0f} MB", flush=True)
    finally:
        served.stop()
    return latencies, others


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", help="demo or a number of articles "
                        "(repeatable; default: demo and 1000)")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--adds", type=int, default=0, help="also add and delete a newest "
                        "article this many times, with a tab on the home page")
    args = parser.parse_args()
    kinds = args.site or ["demo", "1000"]
    from playwright.sync_api import sync_playwright

    results = {}
    adds = {}
    with workdir() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            for kind in kinds:
                results[kind] = measure(kind, args.edits, browser, Path(tmp))
                if args.adds:
                    adds[kind] = measure_adds(kind, args.adds, browser, Path(tmp))
        finally:
            browser.close()
    print("\nedit-to-reload latency (file saved -> reloaded page loaded), and the rebuild:")
    for kind, (values, builds) in results.items():
        ms = [v * 1000 for v in values]
        build = [v * 1000 for v in builds]
        print(f"  {kind:>6}: p50 {percentile(ms, 0.5):7.0f} ms   p95 {percentile(ms, 0.95):7.0f}"
              f" ms   rebuild p50 {percentile(build, 0.5):7.0f} ms   ({len(ms)} edits)")
    if adds:
        print("add or delete the newest article -> home page tab reloaded with/without it, "
              "and its section page (no tab) served with/without it:")
    for kind, (values, others) in adds.items():
        ms = [v * 1000 for v in values]
        other = [v * 1000 for v in others]
        print(f"  {kind:>6}: tab p50 {percentile(ms, 0.5):7.0f} ms   p95 "
              f"{percentile(ms, 0.95):7.0f} ms;   section page p50 "
              f"{percentile(other, 0.5):7.0f} ms   p95 {percentile(other, 0.95):7.0f} ms"
              f"   ({len(ms)} adds and deletes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
