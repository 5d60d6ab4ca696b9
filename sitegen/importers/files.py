"""Images and files a piece references, copied into the site's `static/` and the
references rewritten; a reference to a file the source site does not have is reported.

A root-relative path (`/assets/img/x.png`) keeps its path under `static/`, so the old URL of
the file answers too. A path relative to the post (a Hugo page bundle, Pelican's
`{static}`) is copied under `/images/<slug>/`. Files are only ever read from inside the
source folder and written inside the site's `static/`.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from sitegen.importers.pieces import Archive, Piece

if TYPE_CHECKING:
    from sitegen.importers.site import Planned

FILE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".pdf", ".mp3",
                 ".mp4", ".webm", ".ogg", ".zip", ".csv", ".json", ".txt"}
_REFERENCE = re.compile(
    r"""(?P<pre>!\[[^\]]*\]\(\s*<?|\]\(\s*<?|\b(?:src|href|poster)\s*=\s*["']|^\[[^\]]+\]:\s*)"""
    r"""(?P<url>[^)\s"'<>]+)""", re.MULTILINE)


def rewrite(piece: Piece, body: str, meta: dict[str, Any], archive: Archive,
            site: Path) -> tuple[str, list[Planned]]:
    """The body and lead image with local file references rewritten; the copies to make."""
    copies: dict[Path, Planned] = {}

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        new = _local(url, piece, archive, site, copies)
        return match.group("pre") + (new if new is not None else url)

    body = _REFERENCE.sub(replace, body)
    image = meta.get("image")
    if isinstance(image, str) and image:
        new = _local(image, piece, archive, site, copies, always=True)
        if new is not None:
            meta["image"] = new
    return body, list(copies.values())


def _local(url: str, piece: Piece, archive: Archive, site: Path,
           copies: dict[Path, Planned], *, always: bool = False) -> str | None:
    """The new URL of a local file reference, with its copy planned; None to leave it."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:")):
        return None
    path = unquote(parts.path)
    path = re.sub(r"^\{(?:static|attach|filename)\}|^\|(?:static|attach|filename)\|", "", path)
    suffix = PurePosixPath(path).suffix.lower()
    if not path or (suffix not in FILE_SUFFIXES and not always):
        return None
    found, new = _find(path, piece, archive)
    if found is None:
        archive.report.problem(piece.source, f"references `{path}`, which is not in the "
                               "source site, so it was not copied. Add the file to static/ "
                               "or fix the reference.")
        return None
    target = site / "static" / new.lstrip("/")
    from sitegen.importers.site import Planned

    copies.setdefault(target, Planned(target, "", f"copy of {found}"))
    return new + (f"#{parts.fragment}" if parts.fragment else "")


def _find(path: str, piece: Piece, archive: Archive) -> tuple[Path | None, str]:
    """(the file in the source, its URL in the new site)."""
    root = archive.root.resolve()
    if path.startswith("/"):
        for folder in archive.static_roots:
            candidate = (folder / path.lstrip("/")).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate, path
        return None, path
    if piece.path is None:
        return None, path
    for folder in [piece.path.parent, *archive.static_roots]:
        candidate = (folder / path).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            slug = piece.meta.get("slug") or piece.slug
            return candidate, f"/images/{slug}/{candidate.name}"
    return None, path


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def same_file(source: Path, target: Path) -> bool:
    return target.is_file() and filecmp.cmp(source, target, shallow=False)
