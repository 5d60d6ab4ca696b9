"""`sitegen new site DIR` and `sitegen new article "Headline"`: files to start from.

Both only create files: an existing file is never written over. The helpers that write front
matter and files safely (`front_matter`, `write_file`) are shared with `sitegen import`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from sitegen.commands import publishing
from sitegen.commands.options import build_time
from sitegen.config import DEFAULT_SECTIONS, Config, did_you_mean, load_config
from sitegen.content.plaintext import line_to_markdown
from sitegen.content.slugs import slugify
from sitegen.content.sources import find_files
from sitegen.errors import OutputError, UsageError, name_list
from sitegen.model.placeholder import PLACEHOLDER

AUTHOR_SUFFIXES = {".yaml", ".yml", ".md"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


# ---------------------------------------------------------------- shared helpers


def front_matter(meta: dict[str, Any]) -> str:
    """A `---` block for `meta`, keys in the given order; dates unquoted, lists inline."""
    lines = ["---"]
    for key, value in meta.items():
        if key in {"date", "updated"} and isinstance(value, str) and _ISO_DATE.match(value):
            lines.append(f"{key}: {value}")
        else:
            lines.append(dump_yaml({key: value}).rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block mappings; lists of plain values inline (`tags: [Iran, Diplomacy]`)."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(isinstance(item, str | int | float | bool) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: dict[str, Any]) -> str:
    """Safe YAML, Unicode as is, keys in the given order, long text on one line."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=float("inf"))


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: set it back at once
    os.umask(mask)
    return mask


def write_file(path: Path, text: str) -> None:
    """Write `text` whole or not at all: a temporary file beside it, then a rename."""
    write_files({path: text})


def write_files(files: dict[Path, str]) -> None:
    """Write every file whole, or none of them (OutputError: a full disk, no permission):
    each is written to a temporary beside it first, and only when all are on disk are they
    renamed into place; on failure the temporaries and the folders made for them go."""
    made: list[Path] = []
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            _make_parents(path.parent, made)
            temps.append((_write_temporary(path, text), path))
        for tmp, path in temps:
            os.replace(tmp, path)
    except OSError as exc:
        _undo(temps, made)
        where = exc.filename or next(iter(files), "")
        raise OutputError(f"{where}: cannot write ({exc.strerror or exc}). Nothing was "
                          "written; free some disk space (or fix the folder's permissions) "
                          "and run this again.") from None
    except BaseException:
        _undo(temps, made)
        raise


def _make_parents(folder: Path, made: list[Path]) -> None:
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _write_temporary(path: Path, text: str) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as any editor would save it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _undo(temps: list[tuple[str, Path]], made: list[Path]) -> None:
    for tmp, _ in temps:
        Path(tmp).unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def author_ids(site: Path) -> list[str]:
    """The ids of the author profiles in `site/content/authors`, sorted."""
    return sorted({p.stem for p in find_files(site / "content" / "authors", AUTHOR_SUFFIXES)})


def article_path(site: Path, year: int, slug: str, suffix: str = ".md") -> Path:
    return site / "content" / "articles" / f"{year:04d}" / f"{slug}{suffix}"


def check_section(config: Config, section: str | None) -> None:
    names = [s.name for s in config.sections]
    if section and section not in names:
        raise UsageError(f"unknown section `{section}`.{did_you_mean(section, names)} "
                         f"Sections: {', '.join(names)} (set them in sitegen.yaml).")


def _now(args: argparse.Namespace) -> datetime:
    return build_time(args) or datetime.now(UTC)


# ---------------------------------------------------------------- new site


def site_files(title: str, today: date) -> dict[str, str]:
    """The files of a minimal site: config, one author, one article dated the day before
    `today` (so a build publishes it at once), an About page, a README, and CI workflows
    that publish it on GitHub Pages or GitLab Pages (see sitegen.commands.publishing)."""
    day = today - timedelta(days=1)
    config = dump_yaml({
        "title": title,
        "description": "News, analysis and opinion.",
        "base_url": "https://example.org/",
        "language": "en",
        "timezone": "UTC",
        "per_page": 10,
        "sections": [{"name": s.name, "title": s.title, "description": s.description}
                     for s in DEFAULT_SECTIONS],
    })
    author = dump_yaml({
        "name": "The Editors",
        "type": "organization",
        "role": "Editorial Board",
        "bio": f"The Editors of {title} write its unsigned editorials.",
    })
    article = front_matter({
        "title": f"Welcome to {title}",
        "subtitle": "How this site is written, built and published",
        "date": day.isoformat(),
        "authors": ["the-editors"],
        "tags": ["Site News"],
        "section": "editorial",
    }) + WELCOME
    about = front_matter({"title": "About"}) + ABOUT.format(title=line_to_markdown(title))
    return {
        "sitegen.yaml": "# Set base_url to the address the site will be published at, and\n"
                        "# timezone to the newsroom's (an IANA name such as America/New_York).\n"
                        + config,
        # The build, its spare and work trees beside it (they may hold drafts), the cache.
        ".gitignore": "build/\n.build.*/\n.build-*/\npublic/\n.sitegen-cache/\n",
        "content/authors/the-editors.yaml": author,
        f"content/articles/{day.year:04d}/welcome.md": article,
        "content/pages/about.md": about,
        "README.md": publishing.site_readme(title),
        ".github/workflows/pages.yml": publishing.GITHUB_PAGES,
        ".gitlab-ci.yml": publishing.GITLAB_CI,
    }


WELCOME = """\
This is the first article. Articles live in `content/articles/`, one file each: front matter
between the `---` lines, then the text in Markdown.

- `sitegen new article "Headline" --author the-editors` starts a new one.
- `sitegen import story.txt` turns a plain-text hand-in (headline, dek, paragraphs, an
  `Author: Name` line and a short bio) into an article and, for a new writer, a profile.
- `sitegen build` writes the site into `build/`.
"""

ABOUT = """\
{title} publishes news, analysis and opinion. Edit this page in `content/pages/about.md`.
"""


def cmd_new_site(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty. Pick a new folder; "
                         "`sitegen new site` never writes over files.")
    title = args.title or _title_from(folder)
    files = site_files(title, _now(args).date())
    write_files({folder / rel: text for rel, text in files.items()})
    for rel in files:
        print(f"wrote {folder / rel}")
    print(f"New site in {folder}. Build it with: sitegen build --site {folder}")
    return 0


def _title_from(folder: Path) -> str:
    words = re.sub(r"[-_.]+", " ", folder.resolve().name).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "New Site"


# ---------------------------------------------------------------- new article


def article_text(title: str, when: datetime, authors: list[str], section: str | None,
                 tags: tuple[str, ...] = ()) -> str:
    """A new article, a draft: front matter (the dek as a comment to fill in) and a line to
    replace (a build warns while a published article still holds it)."""
    meta: dict[str, Any] = {"title": title, "date": when.isoformat(timespec="seconds"),
                            "draft": True, "authors": authors, "tags": list(tags)}
    if section:
        meta["section"] = section
    head = front_matter(meta)
    head = head.replace("\ndate:", "\n# subtitle: the dek, one line under the headline\ndate:", 1)
    return head + PLACEHOLDER + "\n"


HOW_TO_PUBLISH = """\
It is a draft: `sitegen serve --drafts` (or `sitegen build --drafts`) shows it. To publish it,
write it, set its `date`, and delete the `draft: true` line; the next build publishes it
(on its date, when that is later: see `sitegen schedule`)."""


def cmd_new_article(args: argparse.Namespace) -> int:
    site: Path = args.site
    config = load_config(site)
    known = author_ids(site)
    if args.author and args.author not in known:
        raise UsageError(f"unknown author `{args.author}`.{did_you_mean(args.author, known)} "
                         f"Known authors: {name_list(known)}. Add "
                         f"content/authors/{args.author}.yaml to create one.")
    check_section(config, args.section)
    if not args.headline.strip():
        raise UsageError("the headline is empty. Write it in quotes: "
                         "sitegen new article \"The Headline\".")
    when = _now(args).astimezone(config.tz).replace(microsecond=0)
    path = article_path(site, when.year, slugify(args.headline))
    if path.exists():
        raise UsageError(f"{path} already exists. Choose another headline, or edit that file.")
    write_file(path, article_text(args.headline.strip(), when,
                                  [args.author] if args.author else [], args.section,
                                  tuple(args.tags)))
    print(f"wrote {path}")
    print(HOW_TO_PUBLISH)
    return 0


# ---------------------------------------------------------------- command line
