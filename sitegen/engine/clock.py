"""The wall clock, and when a file's stat signature can be trusted against it."""

from __future__ import annotations

import time

# A stat signature is trusted only for files last modified this long before the scan that
# recorded it: an edit within the file system's timestamp granularity of that scan could
# otherwise keep size and mtime (git's "racily clean" entries).
RACY_NS = 2_000_000_000


def now_ns() -> int:
    return time.time_ns()
