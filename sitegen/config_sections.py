"""The settings of `sitegen.yaml` that shape URLs: the sections (each one's URL, title and
schema.org type) and the article permalink. Read by sitegen.config, which gives `error` to
report a problem at the key's line."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.content.slugs import is_valid_slug, slugify
from sitegen.errors import did_you_mean

Error = Callable[[str, str], None]  # (key, message): a problem at that key of the file

DEFAULT_ARTICLE_PERMALINK = "/{year}/{month}/{day}/{slug}/"
PERMALINK_FIELDS = {"year", "month", "day", "slug", "section"}


@dataclass(frozen=True)
class SectionConfig:
    """A section as configured: `name` is its slug, `title` what readers see."""

    name: str
    title: str
    description: str = ""
    schema_type: str = "NewsArticle"  # the schema.org type of its articles' JSON-LD
    # Whether sitegen.yaml gives them: if not, each language's strings do (section.<name>).
    own_title: bool = False
    own_description: bool = False


# The schema.org article type each usual desk gets unless `schema_type` says otherwise.
DEFAULT_SCHEMA_TYPES = {
    "news": "NewsArticle",
    "opinion": "OpinionNewsArticle",
    "editorial": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
}
SCHEMA_TYPES = {
    "Article", "NewsArticle", "OpinionNewsArticle", "AnalysisNewsArticle",
    "ReportageNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
    "AskPublicNewsArticle", "SatiricalArticle", "Report", "BlogPosting",
}

DEFAULT_SECTIONS = (
    SectionConfig("news", "News", "Reporting on what happened and why it matters.",
                  "NewsArticle"),
    SectionConfig("opinion", "Opinion", "Arguments for ideas, drawn from facts and data.",
                  "OpinionNewsArticle"),
    SectionConfig("analysis", "Analysis", "Interpretation of the news based on evidence.",
                  "AnalysisNewsArticle"),
    SectionConfig("editorial", "Editorial", "The view of the editors.", "OpinionNewsArticle"),
)


def read_permalink(error: Error, value: Any) -> str:
    if not isinstance(value, dict):
        error("permalinks", "`permalinks` must be a mapping such as "
                    "`article: /{year}/{month}/{slug}/`.")
        return DEFAULT_ARTICLE_PERMALINK
    for key in value:
        if key != "article":
            error("permalinks", f"unknown permalink kind `{key}`; only `article` is set.")
    pattern = value.get("article", DEFAULT_ARTICLE_PERMALINK)
    if not isinstance(pattern, str) or "{slug}" not in pattern or not pattern.startswith("/"):
        error("permalinks", "the article permalink must start with `/` and contain `{slug}`.")
        return DEFAULT_ARTICLE_PERMALINK
    names = {f for _, f, _, _ in string.Formatter().parse(pattern) if f}
    if names - PERMALINK_FIELDS:
        bad = sorted(names - PERMALINK_FIELDS)[0]
        error("permalinks", f"unknown permalink field `{{{bad}}}`. Use "
                    + ", ".join(f"{{{f}}}" for f in sorted(PERMALINK_FIELDS)) + ".")
        return DEFAULT_ARTICLE_PERMALINK
    segments = pattern.split("/")[1:-1] if pattern.endswith("/") else pattern.split("/")[1:]
    if any(s in ("", ".", "..") for s in segments) or "\\" in pattern:
        error("permalinks", "the article permalink must be a path of named parts, "
                    "such as /{year}/{month}/{slug}/: no empty, `.` or `..` part.")
        return DEFAULT_ARTICLE_PERMALINK
    return pattern if pattern.endswith("/") else pattern + "/"


def read_sections(error: Error, value: Any) -> tuple[SectionConfig, ...]:
    if value is None:
        return DEFAULT_SECTIONS
    if not isinstance(value, list) or not value:
        error("sections", "`sections` must be a list of `- name: ...` entries.")
        return DEFAULT_SECTIONS
    sections: list[SectionConfig] = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            error("sections", "each section needs a `name` (its slug, e.g. `opinion`).")
            continue
        unknown = set(item) - {"name", "title", "description", "schema_type"}
        if unknown:
            error("sections", f"unknown section field `{sorted(unknown)[0]}`; "
                        "a section has name, title, description and schema_type.")
        name = item["name"]
        if not _section_name_ok(error, name, [s.name for s in sections]):
            continue
        sections.append(SectionConfig(name, str(item.get("title") or name.title()),
                                      str(item.get("description") or ""),
                                      _schema_type(error, name, item.get("schema_type")),
                                      bool(item.get("title")), bool(item.get("description"))))
    return tuple(sections) or DEFAULT_SECTIONS


# The first parts of the URLs sitegen makes itself: a section there would replace its pages.
RESERVED_SECTIONS = {"authors", "tags", "archive", "corrections", "search", "page", "pagefind",
                     "series"}


def _section_name_ok(error: Error, name: str, before: list[str]) -> bool:
    """A section's name is its URL (/name/): a slug, not one of sitegen's own, not twice."""
    if not is_valid_slug(name):
        error("sections", f"section name `{name}` cannot be a URL. Use lowercase "
                    f"letters, digits and dashes, such as `{slugify(name) or 'news'}`.")
    elif name in RESERVED_SECTIONS:
        error("sections", f"section name `{name}` is taken by sitegen's /{name}/ pages. "
                    "Choose another name.")
    elif name in before:
        error("sections", f"section `{name}` is listed twice. Remove one.")
    else:
        return True
    return False


def _schema_type(error: Error, name: str, value: Any) -> str:
    """The section's schema.org article type: as set, else the usual one for its name."""
    default = DEFAULT_SCHEMA_TYPES.get(name, "NewsArticle")
    if value is None:
        return default
    if not isinstance(value, str) or value not in SCHEMA_TYPES:
        error("sections", f"unknown schema_type `{value}` for section `{name}`."
                    f"{did_you_mean(str(value), SCHEMA_TYPES)} Use one of "
                    f"{', '.join(sorted(SCHEMA_TYPES))}.")
        return default
    return value
