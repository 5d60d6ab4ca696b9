"""Slugs for URLs: one rule for tags, authors, articles and pages.

Output paths come from slugs, so a slug can never hold a path separator, a dot segment,
a NUL or a drive letter; Windows device names get a suffix so a checkout on Windows works.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^\w-]+")
_HYPHENS = re.compile(r"-{2,}")
VALID_SLUG = re.compile(r"^[\w][\w-]*$")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}
# A slug is a folder of the output: file systems allow 255 bytes a name, and the output's
# spare and temporary names need a few more.
MAX_SLUG_BYTES = 200


@functools.lru_cache(maxsize=1 << 12)  # tag names repeat across thousands of articles (a
# memo as large as the archive would hold every article's slug too)
def slugify(text: str) -> str:
    """Lowercase ASCII-first slug: accents folded, anything else a hyphen; never empty."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    # Scripts with no ASCII letters (Arabic, Cyrillic, Ł) keep their own letters.
    has_ascii = any(c.isalnum() for c in ascii_text)
    base = ascii_text if has_ascii else unicodedata.normalize("NFKC", text)
    slug = _HYPHENS.sub("-", _UNSAFE.sub("-", base.lower().replace("'", "").replace("’", "")))
    slug = slug.strip("-_")
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if slug in RESERVED:
        slug += "-1"
    return _fitted(slug)


def _fitted(slug: str) -> str:
    """`slug`, or for a longer one its first bytes and a digest of the whole (so that two
    long headlines that differ only at the end keep different URLs)."""
    data = slug.encode("utf-8")
    if len(data) <= MAX_SLUG_BYTES:
        return slug
    head = data[:MAX_SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-_")
    return f"{head}-{hashlib.sha1(data).hexdigest()[:8]}"


def is_valid_slug(slug: str) -> bool:
    """True when `slug` can be used as one URL path segment (and output folder) as it is."""
    return (bool(VALID_SLUG.match(slug)) and slug.lower() not in RESERVED
            and len(slug.encode("utf-8")) <= MAX_SLUG_BYTES)
