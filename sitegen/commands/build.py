"""`sitegen build`: run the engine once and print what it made."""

from __future__ import annotations

import argparse
import sys
import time

from sitegen.commands.options import build_time
from sitegen.config import CONFIG_NAME
from sitegen.engine import uptodate
from sitegen.engine.build import BuildOptions, BuildResult, build

PAGE_KINDS = [("home", "home"), ("article", "articles"), ("section", "sections"),
              ("author", "author pages"), ("authors", "author index"), ("tag", "tag pages"),
              ("tags", "tag index"), ("archive", "archive"), ("page", "pages"),
              ("corrections", "corrections"), ("search", "search"), ("404", "404")]


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    options = BuildOptions(site=args.site, output=args.output, drafts=args.drafts,
                           future=args.future, base_url=args.base_url, now=build_time(args),
                           jobs=args.jobs, clean=args.clean)
    try:
        result = build(options)
    except BaseException as exc:  # noted for `sitegen deploy`, which then refuses
        site = options.site.resolve()
        if (site / CONFIG_NAME).is_file():
            out = (options.output or site / "build").resolve()
            uptodate.record_failure(site, out, str(exc).splitlines()[-1] if str(exc)
                                    else type(exc).__name__)
        raise
    elapsed = time.perf_counter() - start
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if not args.quiet:
        for note in result.notes:
            print(note, file=sys.stderr)
        print_summary(result, elapsed, args.verbose)
    return 0


def print_summary(result: BuildResult, elapsed: float, verbose: bool) -> None:
    """Pages by kind, feeds, static files; with `verbose`, the stages' times too."""
    width = max(len(label) for _, label in PAGE_KINDS)
    if result.up_to_date:
        print(f"Up to date: {result.total_pages} pages in {result.output}, nothing changed "
              f"since the last build (checked in {elapsed * 1000:.0f} ms)")
    else:
        print(f"Built {result.total_pages} pages into {result.output} in "
              f"{elapsed * 1000:.0f} ms")
    for kind, label in PAGE_KINDS:
        if result.pages.get(kind):
            print(f"  {label:<{width}}  {result.pages[kind]:>6}")
    print(f"  {'feeds':<{width}}  {result.feeds:>6}")
    print(f"  {'static files':<{width}}  {result.static_files:>6}")
    if verbose:
        print(f"  images made (not in the cache) {result.images}")
        for stage, seconds in result.timings.items():
            print(f"  stage {stage:<14} {seconds * 1000:8.0f} ms")
        print(f"  pages rendered {len(result.rendered)}, files written {result.written}, "
              f"unchanged and linked {result.linked}")
