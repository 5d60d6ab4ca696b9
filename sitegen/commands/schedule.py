"""`sitegen schedule`: the articles not due yet, and `schedule next`: the next moment the
published site changes, for `at`, systemd timers and CI schedules.

The published site changes when an article becomes due (its `date` passes) and when one
leaves the news sitemap, 48 hours after its date (as `sitegen.plan.syndication` chooses).
Drafts never publish, so they count for neither.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

from sitegen.commands.options import build_time
from sitegen.config import Config, load_config
from sitegen.content import markup
from sitegen.engine import cache as cache_mod
from sitegen.engine import load
from sitegen.errors import Problems
from sitegen.model.entries import Entry, permalink
from sitegen.plan.syndication import NEWS_WINDOW

# The news sitemap keeps an article while `now - 48 h <= date`: the first whole second
# after that is the first moment a build leaves it out.
_AFTER = timedelta(seconds=1)


@dataclass(frozen=True)
class Change:
    """A moment the published site changes, and why."""

    when: datetime
    what: str  # "due" or "leaves the news sitemap"
    entry: Entry


def cmd_schedule(args: argparse.Namespace) -> int:
    site_dir: Path = args.site.resolve()
    config = load_config(site_dir)
    now = build_time(args) or datetime.now(UTC)
    entries = read_entries(config, site_dir)
    if args.what == "next":
        upcoming = changes(entries, config, now)
        if upcoming:
            print(upcoming[0].when.astimezone(config.tz).isoformat(timespec="seconds"))
        return 0
    due = sorted((e for e in entries if not e.draft and e.date > now),
                 key=lambda e: (e.date, e.source.rel))
    if not due:
        print(f"No article is scheduled after {_local(now, config)}.")
        return 0
    for entry in due:
        print(f"{_local(entry.date, config)}  {entry.source.rel}  {entry.title}")
    return 0


def read_entries(config: Config, site_dir: Path) -> list[Entry]:
    """Every article's checked front matter (from the build cache where unchanged); raises
    ContentError, as a build would, when a file is wrong."""
    problems = Problems(site_dir)
    cache = cache_mod.load(site_dir)
    found = load.read_sources(config, site_dir, problems, cache,
                              markup.InlineMemo(cache.inline))
    problems.raise_if_any()
    return [entry for entry, _ in found.entries]


def changes(entries: list[Entry], config: Config, now: datetime) -> list[Change]:
    """Every moment after `now` at which a build gives another site, soonest first."""
    found = []
    for entry in entries:
        if entry.draft:
            continue
        if entry.date > now:
            found.append(Change(entry.date, "due", entry))
        leaves = entry.date + NEWS_WINDOW + _AFTER
        if leaves > now and _is_news(entry, config):
            found.append(Change(leaves, "leaves the news sitemap", entry))
    return sorted(found, key=lambda c: (c.when, c.entry.source.rel))


def _is_news(entry: Entry, config: Config) -> bool:
    """Whether the news sitemap lists it: not when it was first published elsewhere."""
    here = config.origin + permalink(config, entry)
    return not entry.canonical or urljoin(here, entry.canonical) == here


def _local(when: datetime, config: Config) -> str:
    """A time as the newsroom reads it: in the site's zone, with the zone's abbreviation."""
    local = when.astimezone(config.tz)
    return f"{local.isoformat(timespec='seconds')} ({local.tzname()})"
