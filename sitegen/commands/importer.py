"""`sitegen import FILE...`: plain-text hand-ins into Markdown articles and author profiles.

Each FILE is a hand-in (see `sitegen.content.handin` for the shape), with or without front matter.
It becomes:

- `content/articles/<year>/<slug>.md`: full front matter (title, subtitle, date, authors, tags,
  section, then any other field the file's own front matter has) and the body as Markdown that
  renders exactly as typed. The slug comes from the headline unless the file sets `slug`.
- `content/authors/<id>.yaml` for each byline name that has no profile yet: name, the role
  when the bio states one ("... is Senior Editor for ..."), and the bio.

What wins: the file's front matter, then the command line (`--date`, `--section`, `--tags`),
then what the text says; the date defaults to today in the site's time zone.

Nothing is written over: a file that exists with other content is an error naming it (`--force`
replaces it), one with the same content is left alone, so importing twice changes nothing.
Every file is checked as the build would check it before anything of it is written; a file
that cannot be read as a hand-in is reported and the others are still imported.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sitegen.commands.options import build_time
from sitegen.commands.scaffold import (
    article_path,
    author_ids,
    check_section,
    dump_yaml,
    front_matter,
    write_files,
)
from sitegen.config import Config, load_config
from sitegen.content import handin, sources
from sitegen.content.plaintext import line_to_markdown
from sitegen.content.slugs import slugify
from sitegen.errors import Problems
from sitegen.model import assemble, entries

FIRST_KEYS = ("title", "subtitle", "date", "authors", "tags", "section")


@dataclass(frozen=True)
class ImportOptions:
    """The command line's defaults for what a file's front matter does not say."""

    date: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewFile:
    """A file an import will write: where, what, and a note for the user."""

    path: Path
    text: str
    note: str


def plan_file(path: Path, site: Path, config: Config, options: ImportOptions,
              known_authors: set[str], today: date, problems: Problems) -> list[NewFile] | None:
    """The files one hand-in becomes (its article first), or None with its errors reported."""
    source = sources.read_source(path, problems, required=False,
                                 max_size=config.max_file_size)
    hand_in = entries.read_handin(source, problems) if source else None
    if source is None or hand_in is None:
        return None
    if not hand_in.body.strip():
        problems.error(path, source.body_line, 1, "has no body. Write the article's paragraphs "
                       "after the front matter, separated by blank lines.")
        return None
    meta = merged_meta(source.meta, hand_in, options, today)
    from_byline = "authors" not in source.meta and "author" not in source.meta
    new_ids = {slugify(n) for n in hand_in.author_names} - known_authors if from_byline else set()
    entry = _check(source, meta, config, known_authors | new_ids, problems)
    if entry is None:
        return None
    if not meta["authors"]:
        problems.warn(path, 1, 1, "has no byline, so the article has no author. Add an "
                      "`Author: Name` line after the text, or `authors:` to its front matter.")
    year = entry.date.astimezone(config.tz).year
    article = NewFile(article_path(site, year, entry.slug),
                      front_matter(meta) + hand_in.body_markdown, f"from {path}")
    return [article, *_new_authors(hand_in, new_ids, site)]


def merged_meta(meta: dict[str, Any], hand_in: handin.HandIn, options: ImportOptions,
                today: date) -> dict[str, Any]:
    """Front matter for the article: the file's own first, then options, then the text."""
    merged: dict[str, Any] = {"title": meta.get("title", hand_in.title)}
    subtitle = meta.get("subtitle", hand_in.dek)
    if subtitle:
        merged["subtitle"] = subtitle
    merged["date"] = meta.get("date") or options.date or today.isoformat()
    if "authors" in meta:
        merged["authors"] = meta["authors"]
    elif "author" in meta:
        author = meta["author"]
        merged["authors"] = [author] if isinstance(author, str) else author
    else:
        merged["authors"] = list(dict.fromkeys(slugify(n) for n in hand_in.author_names))
    merged["tags"] = meta["tags"] if "tags" in meta else list(options.tags)
    section = meta.get("section") or options.section
    if section:
        merged["section"] = section
    for key, value in meta.items():
        if key not in merged and not (key == "author" and "authors" not in meta):
            merged[key] = value
    return merged


def _check(source: sources.Source, meta: dict[str, Any], config: Config, authors: set[str],
           problems: Problems) -> entries.Entry | None:
    """Check the article's front matter as the build will; report problems against the file
    being imported (lines of its own front matter where the field came from there)."""
    check = Problems(problems.site_root)
    title = meta.get("title")
    stem = slugify(title if isinstance(title, str) else str(title))
    probe_meta = dict(meta)
    if "author" in source.meta and "authors" not in source.meta:
        probe_meta["author"] = probe_meta.pop("authors")  # errors point at the file's own line
    probe = sources.Source(source.path.parent / f"{stem}.md", source.rel, probe_meta,
                           source.meta_text, source.meta_line, "", source.body_line)
    entry = entries.read_entry(probe, config, check)
    if entry is not None:
        assemble.check_bylines([entry], authors, check)
    for problem in check.errors:
        problems.error(source.path, problem.line, problem.col, problem.message)
    return entry if not check.errors else None


def _new_authors(hand_in: handin.HandIn, new_ids: set[str], site: Path) -> list[NewFile]:
    files: list[NewFile] = []
    for name in hand_in.author_names:
        author_id = slugify(name)
        if author_id not in new_ids or any(f.path.stem == author_id for f in files):
            continue
        profile: dict[str, Any] = {"name": name}
        bio = hand_in.bio_of(name)
        role = handin.role_from_bio(name, bio)
        if role:
            profile["role"] = role
        if bio:
            profile["bio"] = line_to_markdown(bio)
        path = site / "content" / "authors" / f"{author_id}.yaml"
        files.append(NewFile(path, dump_yaml(profile), f"new author {name}"))
    return files


def import_files(files: list[Path], site: Path, options: ImportOptions, *, force: bool,
                 now: datetime | None = None) -> Problems:
    """Import every file; print what was written; return the problems (errors and warnings)."""
    config = load_config(site)
    check_section(config, options.section)
    today = (now or datetime.now(UTC)).astimezone(config.tz).date()
    problems = Problems(site)
    known = set(author_ids(site))
    for path in files:
        planned = plan_file(path, site, config, options, known, today, problems)
        if planned is None or not _may_write(planned, path, force, problems):
            continue
        if not _inside(planned, site, problems):
            continue
        said = []
        writes = {}
        for new in planned:
            old = new.path.read_bytes() if new.path.is_file() else None
            if old == new.text.encode("utf-8"):
                said.append(f"unchanged {new.path} ({new.note})")
                continue
            writes[new.path] = new.text
            said.append(f"{'replaced' if old is not None else 'wrote'} {new.path} ({new.note})")
        write_files(writes)  # the article and its new authors, all or none
        print("\n".join(said))
        known |= {new.path.stem for new in planned[1:]}
    return problems


def _inside(planned: list[NewFile], site: Path, problems: Problems) -> bool:
    """False (with an error) when a file would be written through a symbolic link that
    leads out of the site (content/articles/2024 linked elsewhere)."""
    root = site.resolve()
    for new in planned:
        folder = next((p for p in [new.path.parent, *new.path.parents] if p.exists()), root)
        if not folder.resolve().is_relative_to(root):
            problems.error(folder, 1, 1, f"leads out of the site (to {folder.resolve()}), so "
                           f"importing would write {new.path.name} there. Make it a folder "
                           "of the site, or import into another site.")
            return False
    return True


def _may_write(planned: list[NewFile], source: Path, force: bool, problems: Problems) -> bool:
    """False (with an error) when a file would be replaced by other content without --force."""
    ok = True
    for new in planned:
        if force or not new.path.exists():
            continue
        if not new.path.is_file() or new.path.read_bytes() != new.text.encode("utf-8"):
            problems.error(new.path, 1, 1, f"already exists, and importing {source} would "
                           "change it. Pass --force to replace it, or move it away first.")
            ok = False
    return ok


# ---------------------------------------------------------------- command line


def cmd_import(args: argparse.Namespace) -> int:
    if getattr(args, "from_tool", None):
        return _import_from(args)
    options = ImportOptions(date=args.date, section=args.section, tags=args.tags)
    problems = import_files(args.files, args.site, options, force=args.force,
                            now=build_time(args))
    problems.raise_if_any()  # its message lists the warnings with the errors
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    return 0


def _import_from(args: argparse.Namespace) -> int:
    """`--from KIND SOURCE`: another tool's archive (see sitegen.importers)."""
    from sitegen.errors import UsageError
    from sitegen.importers.run import run_import

    if len(args.files) != 1:
        raise UsageError(f"import --from {args.from_tool} takes one SOURCE (the site's folder, "
                         f"or for wordpress the export file), not {len(args.files)}.")
    for line in run_import(args.from_tool, args.files[0], args.site, args.force):
        print(line)
    return 0
