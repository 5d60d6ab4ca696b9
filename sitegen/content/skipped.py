"""Files in content/ of types sitegen does not read there, and the build's note on them."""

from __future__ import annotations

from pathlib import Path

from sitegen.content import sources
from sitegen.content.sources import ARTICLE_SUFFIXES, AUTHOR_SUFFIXES, PAGE_SUFFIXES
from sitegen.errors import name_list

NOTED = 3  # skipped files named per type in the note; the rest are counted


def skipped_files(site_dir: Path) -> list[str]:
    """Files in content/articles/, pages/ and authors/ of a type sitegen does not read
    there (a `.rst` post, an image beside a post): not content, but worth a note."""
    skipped = []
    content = site_dir / "content"
    for folder, suffixes in (("articles", ARTICLE_SUFFIXES), ("pages", PAGE_SUFFIXES),
                             ("authors", AUTHOR_SUFFIXES)):
        for path in sources.find_files(content / folder, None):
            if path.suffix not in suffixes:
                skipped.append(path.relative_to(site_dir).as_posix())
    return skipped


def skipped_note(skipped: list[str]) -> str | None:
    """The build's note on the content files it skipped: counts by type, first paths."""
    if not skipped:
        return None
    by_type: dict[str, list[str]] = {}
    for rel in skipped:
        by_type.setdefault(Path(rel).suffix or "(no suffix)", []).append(rel)
    parts = [f"{len(rels):,} {suffix} ({name_list(rels, NOTED)})" for suffix, rels
             in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return (f"note: {len(skipped):,} file{'s' * (len(skipped) != 1)} in content/ of types "
            f"sitegen does not read {'was' if len(skipped) == 1 else 'were'} skipped: "
            f"{', '.join(parts)}. Articles are {_listed(ARTICLE_SUFFIXES)} files, "
            f"pages {_listed(PAGE_SUFFIXES)}, authors {_listed(AUTHOR_SUFFIXES)}; images "
            "and other files go in static/.")


def _listed(suffixes: set[str]) -> str:
    names = sorted(suffixes)
    return f"{', '.join(names[:-1])} or {names[-1]}"
