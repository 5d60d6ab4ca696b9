"""The instants sitegen can date a page by (stdlib only: the command line checks --now here).

Python's datetime ends at the years 1 and 9999, and a build computes around every date it
publishes: the instant in UTC, the site's local day, 48 hours later (the news sitemap),
the next day (a scheduled article's deadline). A date within two days of either end
overflowed in one of them (`OverflowError`, exit 70); it is an error at its line instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

FIRST = datetime(1, 1, 3, tzinfo=UTC)
LAST = datetime(9999, 12, 29, 23, 59, 59, tzinfo=UTC)
RANGE_TEXT = "0001-01-03 to 9999-12-29"


def out_of_range(when: datetime) -> str | None:
    """Why `when` (aware) cannot be used, or None when it can."""
    try:
        instant = when.astimezone(UTC)
    except (OverflowError, ValueError):
        instant = None
    if instant is None or not FIRST <= instant <= LAST:
        return (f"{when.isoformat()} is outside the dates sitegen can publish "
                f"({RANGE_TEXT}, in UTC)")
    return None
