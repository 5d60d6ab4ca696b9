"""The `sitegen` command line: parses arguments, runs a command, prints errors without
tracebacks (unless --debug) and returns the exit code: 0 ok, 1 content or template
errors, 2 usage or configuration errors."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sitegen import __version__
from sitegen.errors import SitegenError

Command = Callable[[argparse.Namespace], int]
PAGE_KINDS = [("home", "home"), ("article", "articles"), ("section", "sections"),
              ("author", "author pages"), ("authors", "author index"), ("tag", "tag pages"),
              ("tags", "tag index"), ("archive", "archive"), ("page", "pages"),
              ("corrections", "corrections"), ("search", "search"), ("404", "404")]


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."),
                        help="the site folder (holding sitegen.yaml); default: here")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft")
    parser.add_argument("--future", action="store_true", help="include articles dated later")
    parser.add_argument("--now", type=_when, default=None, metavar="DATETIME",
                        help="build as if at this time (ISO 8601; default: now, or "
                        "$SOURCE_DATE_EPOCH when set, as reproducible builds expect)")


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs needs a whole number of at least 1, not {text!r}")
    return int(text)


def build_time(args: argparse.Namespace) -> datetime | None:
    """The build's "now": --now, else SOURCE_DATE_EPOCH, else None (the real clock)."""
    if args.now:
        return args.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return None


def cmd_build(args: argparse.Namespace) -> int:
    from sitegen.build import BuildOptions, build

    start = time.perf_counter()
    result = build(BuildOptions(site=args.site, output=args.output, drafts=args.drafts,
                                future=args.future, base_url=args.base_url,
                                now=build_time(args), jobs=args.jobs, clean=args.clean))
    elapsed = time.perf_counter() - start
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if args.quiet:
        return 0
    for note in result.notes:
        print(note, file=sys.stderr)
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
    if args.verbose:
        for stage, seconds in result.timings.items():
            print(f"  stage {stage:<14} {seconds * 1000:8.0f} ms")
        print(f"  pages rendered {len(result.rendered)}, files written {result.written}, "
              f"unchanged and linked {result.linked}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build an opinion-news site: articles, bylines, sections, tags and feeds.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into build/",
                                description="Render the site in --site into its output folder.")
    _site_options(build)
    build.add_argument("--output", type=Path, default=None,
                       help="output folder (default: SITE/build)")
    build.add_argument("--base-url", default=None, help="override base_url from sitegen.yaml")
    build.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                       help="processes for Markdown and rendering (default: one per CPU)")
    build.add_argument("--clean", action="store_true",
                       help="ignore the build cache in .sitegen-cache/ and render everything")
    noise = build.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    noise.add_argument("--verbose", "-v", action="store_true", help="print stage timings")
    build.set_defaults(func=cmd_build)
    for register in _extra_commands():
        register(commands)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands that live in their own modules register themselves here."""
    registrars = []
    for module in ("sitegen.serve.command", "sitegen.scaffold", "sitegen.importer"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        registrars.append(mod.register)
    return registrars


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except SitegenError as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in sitegen; rerun "
              "with --debug for the traceback and report it.", file=sys.stderr)
        return 70
