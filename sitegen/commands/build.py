"""`sitegen build`: run the engine once and print what it made."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import time
from datetime import UTC, datetime
from types import FrameType

from sitegen.commands.options import build_time
from sitegen.engine import uptodate
from sitegen.engine.request import BuildOptions, BuildResult, Timer, output_dir
from sitegen.errors import ContentError, report_lines
from sitegen.names import CONFIG_NAME
from sitegen.output.folder import check_output_dir
from sitegen.output.lock import OutputLocked

PAGE_KINDS = [("home", "home"), ("article", "articles"), ("section", "sections"),
              ("author", "author pages"), ("authors", "author index"), ("tag", "tag pages"),
              ("tags", "tag index"), ("archive", "archive"), ("month", "month archives"),
              ("terms", "taxonomy indexes"), ("term", "taxonomy terms"),
              ("series-index", "series index"), ("series", "series"), ("page", "pages"),
              ("corrections", "corrections"), ("search", "search"), ("404", "404"),
              ("redirect", "redirects")]

VERBOSE_HINT = " (`sitegen build --verbose` lists every one)"


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    options = BuildOptions(site=args.site, output=args.output, drafts=args.drafts,
                           future=args.future, base_url=args.base_url, now=build_time(args),
                           jobs=args.jobs, clean=args.clean)
    # `kill` stops it as Ctrl-C does, and only the first of them interrupts
    previous = {which: signal.signal(which, _interrupt) for which in (signal.SIGINT,
                                                                     signal.SIGTERM)}
    try:
        result = _build(options, quiet=args.quiet)
    except OutputLocked:
        raise  # another build is running: its own outcome is the one to record
    except BaseException as exc:  # noted for `sitegen deploy`, which then refuses
        if isinstance(exc, ContentError):
            exc.full, exc.hint = args.verbose, VERBOSE_HINT  # every place of every kind
        site = options.site.resolve()
        if (site / CONFIG_NAME).is_file():
            out = (options.output or site / "build").resolve()
            uptodate.record_failure(site, out, str(exc).splitlines()[-1] if str(exc)
                                    else type(exc).__name__)
        raise
    finally:
        for which, handler in previous.items():
            signal.signal(which, handler)
    elapsed = time.perf_counter() - start
    for line in report_lines(result.warnings, full=args.verbose, hint=VERBOSE_HINT):
        print(line, file=sys.stderr)
    if not args.quiet:
        for note in result.notes:
            print(note, file=sys.stderr)
        print_summary(result, elapsed, args.verbose)
    return 0


def _build(options: BuildOptions, quiet: bool) -> BuildResult:
    """The last build's report when it is still the build (the no-op check loads no stage:
    nothing of the pipeline is even imported), else a build; on a terminal (and not
    --quiet), with a progress line for a long build."""
    now = options.now or datetime.now(UTC)  # one clock for the check and the build
    options = dataclasses.replace(options, now=now)
    door = None
    if (options.site / CONFIG_NAME).is_file():
        check_output_dir(output_dir(options), options.site.resolve())  # before it is read
        door = uptodate.FrontDoor.open(options, options.site.resolve(), output_dir(options),
                                       now, Timer())
        if door.fresh is not None:
            return door.fresh
    from sitegen.engine.build import Builder

    builder = Builder(options)
    if quiet or not sys.stderr.isatty():
        return builder.build(door=door)
    from sitegen.commands.progress import ProgressLine

    with ProgressLine(sys.stderr) as progress:
        builder.progress = progress
        return builder.build(door=door)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: see serve's interrupts_on_sigterm
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


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
