"""What every source tool's reader hands on: pieces (articles and standalone pages) with
sitegen front matter, bodies and old URLs; author profiles; files the bodies use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.importers.report import Report


@dataclass
class Piece:
    """One article or standalone page as sitegen will hold it.

    `meta` is sitegen front matter (title, date, authors as names, tags, section...);
    `old_urls` the paths the source tool published it at (they become `aliases`); `body` is
    Markdown (`body_kind` "md") or HTML ("html"), template tags already converted.
    """

    source: str  # the source file (or WXR item) as the report names it
    kind: str  # "article" or "page"
    slug: str
    meta: dict[str, Any]
    body: str
    body_kind: str = "md"
    old_urls: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)  # display names, as the source says
    categories: list[str] = field(default_factory=list)  # become a section or tags
    path: Path | None = None  # the source file on disk, for relative images
    folder: str = ""  # a page's folder under content/pages/ (`docs`: at /docs/<slug>/)


@dataclass
class Profile:
    """An author from the source tool's data (a data file, a WXR author)."""

    name: str
    role: str = ""
    bio: str = ""
    photo: str = ""
    email: str = ""
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class Archive:
    """A source site read: its pieces, its authors by the key bylines use, its files."""

    root: Path  # the source folder (for WXR: the export file's folder)
    pieces: list[Piece]
    report: Report
    profiles: dict[str, Profile] = field(default_factory=dict)  # by byline key (id or name)
    static_roots: list[Path] = field(default_factory=list)  # where root-relative files are
    # Source-file URLs to new-site URLs: `{% link %}`, `{{< ref >}}` and `{filename}` targets
    # are resolved after every piece has its new URL (see sitegen.importers.site).
    links: dict[str, str] = field(default_factory=dict)
