"""Which file a request target names: the rules that keep the preview inside its folder.

The path is percent-decoded exactly once (so `%252e` stays the literal name `%2e`), split into
segments with empty and `.` segments dropped, and refused when a segment is `..` or holds a NUL
or a backslash. The joined path is then resolved, symlinks included, and must lie inside the
output folder and be a regular file. Everything else is "not found"; a folder is served only
through its `index.html`, never listed.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path
from typing import IO
from urllib.parse import quote, unquote_to_bytes, urlsplit

from sitegen.output.folder import MARKER


@dataclass(frozen=True)
class Found:
    """A regular file inside the output folder."""

    file: Path


@dataclass(frozen=True)
class Redirect:
    """A folder asked for without its trailing slash; `location` is root-relative."""

    location: str


Resolved = Found | Redirect | None


def split_target(target: str) -> tuple[str, str] | None:
    """(path, query) of an origin-form (`/a?b`) or absolute-form (`http://h/a?b`) request
    target; None for any other form (`*`, `a/b`, `ftp://...`)."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
    elif target[:8].lower().startswith(("http://", "https://")):
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
    else:
        return None
    return path.partition("#")[0], query.partition("#")[0]


def decode_path(path: str) -> str | None:
    """The path percent-decoded once, or None when it is not UTF-8 or holds NUL or `\\`."""
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    return decoded


def segments_of(decoded: str) -> list[str] | None:
    """The path's segments without empty and `.` ones; None when any is `..`."""
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    return None if ".." in segments else segments


def url_of(segments: list[str], *, folder: bool) -> str:
    """A root-relative URL for segments: it starts with exactly one `/`, never `//`."""
    url = "/" + "/".join(quote(s, safe="") for s in segments)
    return url + "/" if folder and segments else url


def parse(prefix: str, path: str) -> tuple[str, list[str], list[str]] | None:
    """`path` (still percent-encoded) decoded, its segments, and those of `prefix` ('' or
    '/sub'); None when the path is refused."""
    decoded = decode_path(path)
    segments = segments_of(decoded) if decoded is not None else None
    if decoded is None or segments is None:
        return None
    return decoded, segments, [s for s in prefix.split("/") if s]


def resolve(root: Path, prefix: str, path: str, query: str = "") -> Resolved:
    """What `path` (the request target's path, still percent-encoded) names under `root`
    (a resolved folder), for a site whose URLs all start with `prefix` ('' or '/sub')."""
    parsed = parse(prefix, path)
    if parsed is None:
        return None
    decoded, segments, mount = parsed
    suffix = f"?{query}" if query else ""
    if segments[:len(mount)] != mount:
        # The home page of a site published under a sub-path: send "/" there.
        return Redirect(url_of(mount, folder=True) + suffix) if not segments else None
    candidate = root.joinpath(*segments[len(mount):])
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root):
        return None
    if real.is_dir():
        if not decoded.endswith("/"):
            return Redirect(url_of(segments, folder=True) + suffix)
        return _regular_file(real / "index.html", root)
    if decoded.endswith("/"):
        return None
    return _regular_file(real, root)


def _regular_file(path: Path, root: Path) -> Found | None:
    """`path` when it resolves to a regular file inside `root`; the output marker is hidden."""
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root) or not stat.S_ISREG(mode) or real == root / MARKER:
        return None
    return Found(real)


# ---------------------------------------------------------------- what a file is sent as

CHUNK = 64 * 1024
TEXT = "; charset=utf-8"
DEFAULT_TYPE = "application/octet-stream"
MIME_TYPES = {
    ".html": "text/html" + TEXT, ".htm": "text/html" + TEXT, ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT, ".mjs": "text/javascript" + TEXT,
    ".json": "application/json", ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml" + TEXT, ".atom": "application/atom+xml" + TEXT,
    ".rss": "application/rss+xml" + TEXT, ".xsl": "application/xslt+xml" + TEXT,
    ".txt": "text/plain" + TEXT, ".md": "text/markdown" + TEXT, ".csv": "text/csv" + TEXT,
    ".svg": "image/svg+xml" + TEXT, ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
    ".ico": "image/x-icon", ".bmp": "image/bmp",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg",
    ".wav": "audio/wav", ".m4a": "audio/mp4", ".flac": "audio/flac", ".aac": "audio/aac",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".mov": "video/quicktime", ".vtt": "text/vtt" + TEXT,
    ".pdf": "application/pdf", ".zip": "application/zip", ".wasm": "application/wasm",
}


def content_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), DEFAULT_TYPE)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One `bytes=` range as (first, last) inclusive; None to send the whole file (no range,
    several ranges or a malformed one, which RFC 9110 lets a server ignore).
    Raises ValueError when the range lies wholly past the end (416)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first_text, dash, last_text = header[6:].strip().partition("-")
    if not dash or not (first_text + last_text).isdigit() or not (first_text or last_text):
        return None
    if size == 0:
        raise ValueError("an empty file has no byte to send")  # RFC 9110 14.1.1: 416
    if not first_text:  # the last N bytes
        suffix = int(last_text)
        if suffix == 0:
            raise ValueError("empty suffix range")
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    if first >= size:
        raise ValueError("range starts past the end")
    last = min(int(last_text), size - 1) if last_text else size - 1
    return (first, last) if last >= first else None


def copy_span(source: IO[bytes] | BufferedIOBase, target: IO[bytes] | BufferedIOBase,
              length: int) -> None:
    """Copy `length` bytes in chunks, so a large video never sits in memory."""
    while length > 0:
        chunk = source.read(min(CHUNK, length))
        if not chunk:
            break
        target.write(chunk)
        length -= len(chunk)
