"""A Pelican site, read as Pelican reads it: `pelicanconf.py` (its plain settings, read
with `ast`, never run: PATH, ARTICLE_PATHS, PAGE_PATHS, ARTICLE_URL, PAGE_URL, TIMEZONE,
USE_FOLDER_AS_CATEGORY, DEFAULT_CATEGORY, AUTHOR), Markdown with `Key: value` headers,
reStructuredText with `:key: value` fields (when docutils is installed), categories from
folders, `{filename}` links and `{static}` files, and old URLs from ARTICLE_URL."""

from __future__ import annotations

import ast
import re
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.content.fields import near_iso
from sitegen.content.slugs import slugify
from sitegen.importers import sourcefiles
from sitegen.importers.bodies import link
from sitegen.importers.fields import map_fields
from sitegen.importers.pieces import Archive, Piece
from sitegen.importers.report import Report

DEFAULTS: dict[str, Any] = {
    "PATH": ".", "ARTICLE_PATHS": [""], "PAGE_PATHS": ["pages"], "ARTICLE_URL": "{slug}.html",
    "PAGE_URL": "pages/{slug}.html", "USE_FOLDER_AS_CATEGORY": True,
    "DEFAULT_CATEGORY": "misc", "AUTHOR": "", "ARTICLE_EXCLUDES": [], "PAGE_EXCLUDES": [],
}
SUFFIXES = {".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm"}
_HEADER = re.compile(r"^([A-Za-z][\w-]*):\s*(.*)$")
# Only in a link or an image's address, as Pelican reads them: in a code sample they stay.
_INTERNAL = re.compile(r"""(?<=\]\(|="|=')[{|](filename|static|attach)[}|]([^)"'\s<>]+)""")


def settings(source: Path, report: Report) -> dict[str, Any]:
    """pelicanconf.py's literal settings over Pelican's defaults; never executed."""
    found = dict(DEFAULTS)
    path = source / "pelicanconf.py"
    if not path.is_file():
        return found
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError as exc:
        report.problem(f"pelicanconf.py:{exc.lineno}", "cannot be parsed, so Pelican's "
                       "default settings are used.")
        return found
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                continue  # computed in Python: Pelican's default stands
    return found


def read(source: Path) -> Archive:
    report = Report("pelican")
    conf = settings(source, report)
    content = (source / str(conf["PATH"])).resolve()
    if not content.is_relative_to(source.resolve()):
        content = source
    archive = Archive(source, [], report, {}, [content, source])
    pages = [content / p for p in conf["PAGE_PATHS"]]
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if (not path.is_file() or path.suffix.lower() not in SUFFIXES
                or any(p.startswith((".", "_")) for p in rel.parts)
                or rel.parts[0] in {"output", "theme", "themes", "plugins"}):
            continue
        is_page = any(path.is_relative_to(folder) for folder in pages)
        piece = _piece(path, rel, content, conf, is_page, report)
        if piece is not None:
            archive.pieces.append(piece)
            archive.links["filename:/" + rel.as_posix()] = piece.source
            archive.links["filename:" + rel.as_posix()] = piece.source
    report.counts["articles"] = sum(p.kind == "article" for p in archive.pieces)
    report.counts["pages"] = sum(p.kind == "page" for p in archive.pieces)
    return archive


def _piece(path: Path, rel: Path, content: Path, conf: dict[str, Any], is_page: bool,
           report: Report) -> Piece | None:
    split = _split(path, content, report)
    if split is None:
        return None
    raw, body, kind, _ = split
    if "title" not in {k.casefold() for k in raw}:
        report.skip(rel.as_posix(), "no `Title:`, which Pelican skips too")
        return None
    mapped = map_fields(raw, report)
    named = sourcefiles.dated_name(path.stem)
    if not is_page and "date" not in mapped.meta:
        mapped.meta["date"] = named[0] if named else datetime.fromtimestamp(
            path.stat().st_mtime, UTC).date().isoformat()
        report.mapped["date from the file name or its time (DEFAULT_DATE)"] += 1
    slug = str(mapped.meta.get("slug") or slugify(str(mapped.meta["title"])))
    categories = mapped.categories or _default_category(rel, conf, is_page)
    if mapped.draft:
        mapped.meta["draft"] = True
    values = {"slug": slug, "category": slugify(categories[0]) if categories else "",
              "lang": str(raw.get("lang") or ""), "author": slugify(_first(mapped.bylines))}
    pattern = str(conf["PAGE_URL" if is_page else "ARTICLE_URL"])
    old = _url(pattern, values, mapped.meta.get("date"))
    body = _INTERNAL.sub(lambda m: _internal(m.group(1), m.group(2)), body)
    site_author = [conf["AUTHOR"]] if conf["AUTHOR"] else []
    return Piece(rel.as_posix(), "page" if is_page else "article", slug, mapped.meta, body,
                 kind, [old] if old else [], mapped.bylines or site_author,
                 [c for c in categories if slugify(c) != "misc"], path)


def _default_category(rel: Path, conf: dict[str, Any], is_page: bool) -> list[str]:
    """The folder's name (USE_FOLDER_AS_CATEGORY), else DEFAULT_CATEGORY; pages have none."""
    if is_page:
        return []
    if conf["USE_FOLDER_AS_CATEGORY"] and len(rel.parts) > 1:
        return [rel.parts[0]]
    return [str(conf["DEFAULT_CATEGORY"])]


def _first(bylines: list[Any]) -> str:
    return str(bylines[0]).split(",")[0] if bylines else ""


def _internal(kind: str, target: str) -> str:
    """`{filename}/x.md` is a link to that post; `{static}` and `{attach}` files stay
    paths for the file copier (sitegen.importers.files)."""
    return link("filename:" + target) if kind == "filename" else f"{{static}}{target}"


def _url(pattern: str, values: dict[str, str], when: Any) -> str:
    """ARTICLE_URL filled in as Pelican's str.format does (`{date:%Y}` included)."""
    if "__" in pattern or "[" in pattern:
        return ""  # nothing but plain fields and date formats is read from a pattern
    try:
        date = datetime.fromisoformat(near_iso(str(when))) if when else datetime(1970, 1, 1)
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
        text = pattern.format(date=date, **{k: values.get(k, "") for k in fields - {"date"}})
    except (ValueError, KeyError, IndexError, AttributeError):
        return ""
    return "/" + text.lstrip("/")


def _split(path: Path, content: Path, report: Report) -> tuple[dict[str, Any], str, str,
                                                                 int] | None:
    """(metadata, body, body kind, body line) of a Pelican source file."""
    if path.suffix == ".rst":
        return _rst(path, content, report)
    file = sourcefiles.read(path, content, report)
    if file is None:
        return None
    kind = "html" if path.suffix in {".html", ".htm"} else "md"
    if file.has_front_matter:
        return file.meta, file.body, kind, file.body_line
    if kind == "html":
        return _html_meta(file.body), _html_body(file.body), "html", 1
    meta: dict[str, Any] = {}
    lines = file.body.split("\n")
    index = 0
    while index < len(lines) and (found := _HEADER.match(lines[index])):
        meta[found.group(1).casefold()] = found.group(2).strip()
        index += 1
        while index < len(lines) and lines[index].startswith(("    ", "\t")):
            meta[found.group(1).casefold()] += " " + lines[index].strip()
            index += 1
    return meta, "\n".join(lines[index:]), "md", index + 1


_META = re.compile(r"""<meta\s+name=["'](\w+)["']\s+content=["']([^"']*)["']""", re.I)


def _html_meta(text: str) -> dict[str, Any]:
    meta: dict[str, Any] = {k.casefold(): v for k, v in _META.findall(text)}
    title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    if title:
        meta["title"] = title.group(1).strip()
    return meta


def _html_body(text: str) -> str:
    body = re.search(r"<body[^>]*>(.*)</body>", text, re.S | re.I)
    return body.group(1) if body else text


def _rst(path: Path, content: Path, report: Report) -> tuple[dict[str, Any], str, str,
                                                               int] | None:
    """reStructuredText through docutils, when it is installed, into HTML."""
    rel = path.relative_to(content).as_posix()
    try:
        from docutils.core import publish_parts  # type: ignore[import-untyped]
        from docutils.writers import html5_polyglot  # type: ignore[import-untyped]
    except ImportError:
        report.skip(rel, "reStructuredText, and docutils is not installed (pip install "
                    "docutils), so it cannot be read")
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    meta: dict[str, Any] = {}
    for key, value in re.findall(r"^:(\w+):\s*(.*)$", text, re.MULTILINE):
        meta[key.casefold()] = value.strip()
    body_text = re.sub(r"^:\w+:.*$\n?", "", text, flags=re.MULTILINE)
    # A writer object, not `writer_name` (deprecated in docutils 0.22, to go in 2.0)
    parts = publish_parts(body_text, writer=html5_polyglot.Writer(), settings_overrides={
        "report_level": 5, "halt_level": 5, "file_insertion_enabled": False,
        "raw_enabled": False, "doctitle_xform": True})
    meta.setdefault("title", re.sub(r"<[^>]+>", "", parts.get("title", "")).strip())
    if not meta["title"]:
        del meta["title"]
    return meta, parts["body"], "html", 1
