"""`taxonomies:` in sitegen.yaml: groupings of articles besides tags (regions, topics...).

Each is a front-matter list field of its own name (`regions: [Middle East, Gulf]`) with an
index at /<name>/, a page per term at /<name>/<term>/ (paginated) with its feeds, like tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.content.slugs import is_valid_slug, slugify

EXAMPLE = "`taxonomies: [regions, topics]` or `- name: regions` / `title: Regions`"
# Names a taxonomy cannot take: sitegen's own URLs and the article fields it would replace.
TAKEN = {"authors", "tags", "archive", "corrections", "search", "page", "pagefind", "series",
         "title", "subtitle", "date", "author", "section", "slug", "summary", "updated",
         "draft", "image", "image_alt", "canonical", "layout", "extra", "series_order"}


@dataclass(frozen=True)
class TaxonomyConfig:
    """A taxonomy: `name` is its front-matter field and URL, `title` what readers see."""

    name: str
    title: str


def read_taxonomies(value: Any, sections: list[str],
                    problems: list[str]) -> tuple[TaxonomyConfig, ...]:
    """The taxonomies `value` lists; each problem is appended to `problems` as a message."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"`taxonomies` must be a list, such as {EXAMPLE}.")
        return ()
    found: list[TaxonomyConfig] = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"each taxonomy needs a `name`, such as {EXAMPLE}.")
            continue
        unknown = set(item) - {"name", "title"}
        if unknown:
            problems.append(f"unknown taxonomy field `{sorted(unknown)[0]}`; a taxonomy has "
                            "name and title.")
        name = item["name"]
        why = _refused(name, sections, [t.name for t in found])
        if why:
            problems.append(why)
            continue
        found.append(TaxonomyConfig(name, str(item.get("title") or name.title())))
    return tuple(found)


def _refused(name: str, sections: list[str], before: list[str]) -> str:
    if not is_valid_slug(name):
        return (f"taxonomy name `{name}` cannot be a URL. Use lowercase letters, digits and "
                f"dashes, such as `{slugify(name) or 'regions'}`.")
    if name in TAKEN:
        return (f"taxonomy name `{name}` is taken by sitegen (a page or an article field of "
                "its own). Choose another name.")
    if name in sections:
        return f"taxonomy name `{name}` is also a section's. Choose another name."
    if name in before:
        return f"taxonomy `{name}` is listed twice. Remove one."
    return ""
