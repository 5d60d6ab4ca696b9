"""Reading another tool's files as that tool does: front matter in YAML (`---`), TOML
(`+++`) or JSON (`{`), data files, dates in file names. Problems go to the report with the
file and line; a file that cannot be read at all is skipped, and the report says why."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.content import sources, yamlio
from sitegen.errors import Problems
from sitegen.importers.report import Report

MAX_SIZE = sources.MAX_FILE_SIZE
_DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


@dataclass(frozen=True)
class SourceFile:
    """A content file of the source site, split."""

    path: Path
    rel: str  # relative to the source folder, as the report names it
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the body's first line
    has_front_matter: bool


def read(path: Path, root: Path, report: Report) -> SourceFile | None:
    """The file split into front matter and body; None (reported) when it cannot be read."""
    rel = path.relative_to(root).as_posix()
    problems = Problems(root)
    text = sources._read_text(path, problems, MAX_SIZE)
    if text is None:
        report.skip(rel, problems.errors[0].message if problems.errors else "unreadable")
        return None
    first = text.split("\n", 1)[0].rstrip()
    if first == "---":
        split = sources.split(path, text, problems)
    elif first == "+++":
        split = sources.split_toml(path, rel, text.split("\n"), problems)
    elif re.match(r'^\{\s*("|$)', first) and path.suffix in {".md", ".markdown", ".html"}:
        return _json_front_matter(path, rel, text, report)
    else:
        return SourceFile(path, rel, {}, text, 1, False)
    if split is None:
        error = problems.errors[0]
        report.skip(f"{rel}:{error.line}", f"front matter cannot be read: {error.message}")
        return None
    return SourceFile(path, rel, split.meta, split.body, split.body_line, True)


def _json_front_matter(path: Path, rel: str, text: str, report: Report) -> SourceFile | None:
    """Hugo's JSON front matter: a JSON object at the top of the file, then the body."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except ValueError as exc:
        report.skip(rel, f"JSON front matter cannot be read ({exc})")
        return None
    if not isinstance(meta, dict):
        return SourceFile(path, rel, {}, text, 1, False)
    body = text[end:].lstrip("\n")
    return SourceFile(path, rel, meta, body, text.count("\n", 0, len(text) - len(body)) + 1,
                      True)


def dated_name(stem: str) -> tuple[str, str] | None:
    """`2001-01-18-slug` -> ("2001-01-18", "slug"); None for a name without a date."""
    found = _DATED.match(stem)
    if not found:
        return None
    year, month, day, slug = found.groups()
    return f"{year}-{month}-{day}", slug


def load_config_file(path: Path, report: Report) -> dict[str, Any]:
    """A tool's YAML, TOML or JSON configuration; {} (reported) when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yamlio.load(text)
    except (OSError, ValueError, yamlio.YamlProblem, tomllib.TOMLDecodeError) as exc:
        report.problem(path.name, f"configuration cannot be read ({str(exc)[:120]}), so its "
                       "settings (permalinks, time zone) are taken as the tool's defaults.")
        return {}
    return data if isinstance(data, dict) else {}


def load_data(folder: Path, report: Report) -> dict[str, Any]:
    """A data folder (Jekyll `_data/`, Hugo `data/`, Eleventy `_data/`) as templates see
    it: one key per file, nested by sub-folder. JavaScript data files are not run."""
    data: dict[str, Any] = {}
    if not folder.is_dir():
        return data
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in {".yml", ".yaml", ".json", ".toml", ".csv"}:
            continue
        target = data
        for part in path.relative_to(folder).parent.parts:
            target = target.setdefault(part, {})
        if path.suffix == ".csv":
            target[path.stem] = _csv(path)
        else:
            target[path.stem] = load_config_file(path, report) if path.suffix != ".yml" \
                and path.suffix != ".yaml" else _yaml_any(path, report)
    return data


def _yaml_any(path: Path, report: Report) -> Any:
    try:
        return yamlio.load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yamlio.YamlProblem) as exc:
        report.problem(path.name, f"data file cannot be read ({str(exc)[:100]}); templates "
                       "that read it show nothing.")
        return None


def _csv(path: Path) -> list[dict[str, str]]:
    try:
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
