"""An Eleventy site, read as Eleventy reads it: the input folder its config names
(`dir: {input: "src"}`, read from the file's text: the JavaScript is never run), `_data/`
(JSON and YAML; JavaScript data files are reported), directory data files
(`posts/posts.json`, `*.11tydata.json`) merged under each file's front matter, dates in
file names, and `permalink` where it is a plain pattern (or one of `page.fileSlug`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sitegen.content.slugs import slugify
from sitegen.importers import sourcefiles
from sitegen.importers.bodies import Body, liquid_body
from sitegen.importers.fields import map_fields, word_list
from sitegen.importers.pieces import Archive, Piece
from sitegen.importers.report import Report

CONFIG_NAMES = [".eleventy.js", "eleventy.config.js", "eleventy.config.mjs",
                "eleventy.config.cjs"]
SUFFIXES = {".md", ".markdown", ".html", ".liquid", ".njk"}
SKIPPED = {"node_modules", "_site", "_includes", "_layouts", "_data", ".git", "dist"}
POST_FOLDERS = {"posts", "post", "blog", "articles", "news", "notes", "writing"}
POST_TAGS = {"post", "posts", "blog", "article", "articles", "news"}


def read(source: Path) -> Archive:
    report = Report("eleventy")
    input_dir = source / _input_folder(source)
    data = sourcefiles.load_data(input_dir / "_data", report)
    if any((input_dir / "_data").glob("*.js")):
        report.problem("_data/", "has JavaScript data files, which the import does not run; "
                       "templates that read them show nothing.")
    archive = Archive(source, [], report, {}, [input_dir, source])
    engines = _engines(source)
    for path in sorted(input_dir.rglob("*")):
        rel = path.relative_to(input_dir)
        if (not path.is_file() or path.suffix.lower() not in SUFFIXES
                or any(p in SKIPPED or p.startswith(".") for p in rel.parts)
                or path.stem.casefold() in {"readme", "license", "changelog"}):
            continue
        piece = _piece(path, rel, input_dir, data, report, engines)
        if piece is not None:
            archive.pieces.append(piece)
            archive.links[rel.as_posix()] = piece.source
    report.counts["articles"] = sum(p.kind == "article" for p in archive.pieces)
    report.counts["pages"] = sum(p.kind == "page" for p in archive.pieces)
    return archive


def _config_text(source: Path) -> str:
    for name in CONFIG_NAMES:
        path = source / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return ""


def _engines(source: Path) -> dict[str, str]:
    """The template engine Eleventy runs over Markdown and HTML files (Liquid unless the
    config's `markdownTemplateEngine` / `htmlTemplateEngine` says otherwise)."""
    text = _config_text(source)
    engines = {}
    for kind in ("markdown", "html"):
        found = re.search(kind + r"""TemplateEngine\s*:\s*["'](\w+)["']""", text)
        engines[kind] = found.group(1) if found else "liquid"
    return engines


def _engine(path: Path, meta: dict[str, Any], engines: dict[str, str]) -> str:
    """The engine of one file: its front matter's `templateEngineOverride`, its suffix."""
    override = str(meta.get("templateEngineOverride") or "").split(",")[0].strip()
    if override:
        return override
    suffix = path.suffix.lower()
    if suffix in {".njk", ".liquid"}:
        return suffix[1:]
    return engines["html" if suffix == ".html" else "markdown"]


def _input_folder(source: Path) -> str:
    for name in CONFIG_NAMES:
        path = source / name
        if path.is_file():
            found = re.search(r"""\binput\s*:\s*["']([^"']+)["']""",
                              path.read_text(encoding="utf-8", errors="replace"))
            if found and ".." not in found.group(1):
                return found.group(1).strip("/") or "."
    return "."


def _folder_data(path: Path, input_dir: Path, report: Report) -> dict[str, Any]:
    """Directory data files from the input folder down to the file's own."""
    merged: dict[str, Any] = {}
    folder = input_dir
    for part in ("", *path.parent.relative_to(input_dir).parts):
        folder = folder / part if part else folder
        for name in (f"{folder.name}.json", f"{folder.name}.11tydata.json"):
            merged.update(_json(folder / name, report))
    merged.update(_json(path.with_name(path.stem + ".11tydata.json"), report))
    return merged


def _json(path: Path, report: Report) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        report.problem(path.name, f"data file cannot be read ({exc}).")
        return {}
    return data if isinstance(data, dict) else {}


def _read_file(path: Path, rel: Path, input_dir: Path, report: Report,
               ) -> tuple[sourcefiles.SourceFile, dict[str, Any], bool] | None:
    """The file, its data (directory data under its front matter), and whether it is a
    post; None for a listing, which sitegen makes itself."""
    file = sourcefiles.read(path, input_dir, report)
    if file is None:
        return None
    meta = {**_folder_data(path, input_dir, report), **file.meta}
    output = _output_type(path, meta)
    if output is not None:
        report.skip(file.rel, f"a template for a {output} file, not a page; sitegen makes "
                    "pages only (put the file itself in static/)")
        return None
    tags = {t.casefold() for t in word_list(meta.get("tags"), False)}
    is_post = bool(tags & POST_TAGS) or bool(set(rel.parts[:-1]) & POST_FOLDERS)
    if path.stem == "index" and not is_post:
        return None  # a listing page: sitegen makes its own
    if meta.get("pagination"):
        report.skip(file.rel, "a generated listing (pagination); sitegen makes its own")
        return None
    return file, meta, is_post


def _piece(path: Path, rel: Path, input_dir: Path, data: dict[str, Any],
           report: Report, engines: dict[str, str]) -> Piece | None:
    found = _read_file(path, rel, input_dir, report)
    if found is None:
        return None
    file, meta, is_post = found
    named = sourcefiles.dated_name(path.stem)
    mapped = map_fields(meta, report)
    mapped.meta["tags"] = [t for t in mapped.meta.get("tags", []) if t.casefold() not in
                           POST_TAGS]
    file_slug = named[1] if named else (rel.parent.name if path.stem == "index" else path.stem)
    if is_post and "date" not in mapped.meta:
        if named is None:
            report.skip(file.rel, "a post with no date in its front matter or file name; "
                        "give it `date:` and import again")
            return None
        mapped.meta["date"] = named[0]
    mapped.meta.setdefault("title", file_slug.replace("-", " ").title())
    if mapped.draft:
        mapped.meta["draft"] = True
    page = {"fileSlug": file_slug, "filePathStem": "/" + rel.with_suffix("").as_posix(),
            "url": _default_url(rel, file_slug), "date": mapped.meta.get("date", "")}
    old = _permalink(mapped.permalink, page, meta) if mapped.permalink else page["url"]
    kind = "html" if path.suffix.lower() in {".html", ".njk", ".liquid"} else "md"
    body = liquid_body(Body(file.body, file.rel, file.body_line, report),
                       {**data, **meta, "page": page}, html_body=kind == "html",
                       nunjucks=_engine(path, meta, engines) == "njk")
    folder = "" if is_post else "/".join(rel.parent.parts[:-1] if path.stem == "index"
                                         else rel.parent.parts)
    return Piece(file.rel, "article" if is_post else "page", file_slug, mapped.meta, body,
                 kind, [old] if old else [], mapped.bylines or _data_author(data),
                 mapped.categories, path, folder)


PAGE_TYPES = {"", ".html", ".htm"}
FILE_TYPES = {".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".webmanifest", ".rss",
              ".atom", ".ics", ".csv", ".yaml", ".yml", ".map"}


def _output_type(path: Path, meta: dict[str, Any]) -> str | None:
    """The type of file a template makes when it is not a page (`/css/async.css` as its
    permalink, `feed.xml.njk`, `styles.css.liquid`): `.css`; None for a page."""
    permalink = meta.get("permalink")
    if isinstance(permalink, str) and permalink.strip() not in {"", "false"}:
        last = permalink.split("?")[0].rstrip().rsplit("/", 1)[-1]
        suffix = Path(last).suffix.lower() if "}}" not in last[-3:] else ""
        return suffix if suffix not in PAGE_TYPES and suffix[1:].isalnum() else None
    suffix = Path(path.stem).suffix.lower()  # `feed.xml.njk`; but `notes.v2.md` is a page
    return suffix if suffix in FILE_TYPES else None


def _default_url(rel: Path, file_slug: str) -> str:
    """Eleventy's URL for a file: its folder and its slug, as a folder."""
    folders = list(rel.parent.parts if rel.stem != "index" else rel.parent.parts[:-1])
    return "/" + "/".join([*folders, file_slug]) + "/" if file_slug else "/"


_VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*(\|\s*slug(?:ify)?\s*)?\}\}")


def _permalink(pattern: str, page: dict[str, Any], meta: dict[str, Any]) -> str:
    """A permalink pattern with the variables Eleventy sites use; "" for anything else."""
    if pattern in {"false", "False"}:
        return ""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = page.get(name[5:]) if name.startswith("page.") else meta.get(name)
        text = str(found or "")
        return slugify(text) if match.group(2) else text

    text = _VARIABLE.sub(value, pattern)
    if "{" in text or not text.startswith("/"):
        return ""
    return text[: -len("index.html")] if text.endswith("/index.html") else text


def _data_author(data: dict[str, Any]) -> list[Any]:
    meta = data.get("metadata") or data.get("site") or {}
    author = meta.get("author") if isinstance(meta, dict) else None
    if isinstance(author, dict):
        return [author.get("name")] if author.get("name") else []
    return [author] if isinstance(author, str) else []
