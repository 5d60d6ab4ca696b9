"""Argument types and options shared by the commands; light on purpose (see sitegen.cli)."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from sitegen.dates import LAST, out_of_range
from sitegen.errors import UsageError


def when(text: str) -> datetime:
    """An ISO 8601 date or datetime from the command line; naive values are UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {text!r}") from None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    problem = out_of_range(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs needs a whole number of at least 1, not {text!r}")
    return int(text)


def port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return int(text)


def tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


def site_folder(parser: argparse.ArgumentParser) -> None:
    """--site: the site a command works on."""
    parser.add_argument("--site", type=Path, default=Path("."),
                        help="the site folder (holding sitegen.yaml); default: here")


def site_options(parser: argparse.ArgumentParser) -> None:
    """--site, --drafts, --future and --now: what every building command takes."""
    site_folder(parser)
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft")
    parser.add_argument("--future", action="store_true", help="include articles dated later")
    now_option(parser, "build as if at this time (ISO 8601; default: now, or "
               "$SOURCE_DATE_EPOCH when set, as reproducible builds expect)")


def now_option(parser: argparse.ArgumentParser,
               text: str = "act as if at this time (ISO 8601; default: now, or "
                           "$SOURCE_DATE_EPOCH when set)") -> None:
    parser.add_argument("--now", type=when, default=None, metavar="DATETIME", help=text)


def build_time(args: argparse.Namespace) -> datetime | None:
    """The build's "now": --now, else SOURCE_DATE_EPOCH, else None (the real clock)."""
    now: datetime | None = getattr(args, "now", None)
    if now:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        value = datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        value = None
    if value is None or out_of_range(value):
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:40]} is not a time sitegen can build at "
                         f"(seconds since 1970 up to {int(LAST.timestamp())}). Set it to a "
                         "whole number of seconds, e.g. `git log -1 --format=%ct`, or unset it.")
    return value


def date_text(text: str) -> str:
    """A publication date for `sitegen import --date`, checked as front matter would be."""
    from sitegen.content.fields import parse_when  # only when --date is given

    try:
        parse_when(text, UTC)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; write YYYY-MM-DD or an ISO datetime") from None
    return text.strip()
