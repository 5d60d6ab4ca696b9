"""Other tools' front matter fields into sitegen's, by what they mean.

`excerpt` and `description` are a summary, `lastmod` is `updated`, `published: false` is a
draft, whatever the tool. Fields a theme reads for itself (`layout`, `comments`, `toc`) are
dropped; the rest are kept under `extra`, where templates can still read them. Every
decision is counted in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sitegen.content.fields import near_iso
from sitegen.importers.report import Report

# Field names of Jekyll, Hugo, Eleventy, Pelican and WordPress themes, by meaning. The
# build's "did you mean" reads this table too (sitegen.model.entries.FOREIGN_FIELDS).
MEANINGS: dict[str, str] = {
    "title": "title", "headline": "title",
    "date": "date", "pubdate": "date", "publishdate": "date", "published_at": "date",
    "created": "date", "created_at": "date", "post_date": "date",
    "lastmod": "updated", "modified": "updated", "last_modified_at": "updated",
    "updated": "updated", "updated_at": "updated", "last_updated": "updated",
    "excerpt": "summary", "description": "summary", "summary": "summary",
    "abstract": "summary", "teaser": "summary", "lead": "summary",
    "subtitle": "subtitle", "dek": "subtitle", "deck": "subtitle", "subheadline": "subtitle",
    "sub_title": "subtitle", "tagline": "subtitle",
    "author": "authors", "authors": "authors", "byline": "authors", "writer": "authors",
    "by": "authors", "creator": "authors",
    "tags": "tags", "tag": "tags",
    "categories": "categories", "category": "categories", "section": "categories",
    "draft": "draft", "published": "published", "status": "status",
    "image": "image", "cover": "image", "cover_image": "image", "featured_image": "image",
    "featureimage": "image", "feature_image": "image", "thumbnail": "image", "hero": "image",
    "banner": "image", "og_image": "image", "images": "image", "header": "image",
    "image_alt": "image_alt", "alt": "image_alt", "cover_alt": "image_alt",
    "slug": "slug", "canonical": "canonical", "canonical_url": "canonical",
    "canonicalurl": "canonical",
    "aliases": "aliases", "redirect_from": "aliases",
    "permalink": "permalink", "url": "permalink", "save_as": "permalink",
    "lang": "lang", "language": "lang", "locale": "lang",
}
# What a theme reads to lay the page out: meaningless in sitegen's theme.
THEME_FIELDS = {
    "layout", "template", "comments", "share", "toc", "math", "mathjax", "katex",
    "sidebar", "menu", "weight", "type", "showtoc", "tocopen", "hidemeta", "nav_exclude",
    "sitemap", "disqus", "disqus_identifier", "comments_id", "featured", "pin", "sticky",
    "classes", "class", "css", "js", "scripts", "styles", "eleventyexcludefromcollections",
    "eleventynavigation", "eleventycomputed", "pagination", "render_with_liquid", "hidden",
    "nav_order", "parent", "has_children", "headless", "outputs", "ogimage", "share_img",
    "show_date", "show_in_homepage", "search", "robots", "noindex", "reading_time",
}
SITEGEN_ORDER = ("title", "subtitle", "date", "updated", "authors", "section", "tags",
                 "summary", "slug", "image", "image_alt", "draft", "canonical", "aliases",
                 "extra")


@dataclass
class Mapped:
    """A piece's front matter in sitegen's terms, with what the tool module still needs."""

    meta: dict[str, Any] = field(default_factory=dict)
    bylines: list[Any] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    permalink: str = ""  # the tool's own URL setting, for the tool to compute the old URL
    draft: bool = False


def map_fields(raw: dict[str, Any], report: Report, *, split_words: bool = False,
               extra_key: str | None = None) -> Mapped:
    """`raw` front matter into sitegen's. `split_words`: a string of tags or categories is
    space-separated (Jekyll); else comma-separated (Pelican, WordPress)."""
    mapped = Mapped()
    for key, value in raw.items():
        meaning = MEANINGS.get(str(key).casefold().replace("-", "_"))
        if meaning is None:
            _unmapped(str(key), value, mapped, report)
            continue
        if meaning != key and meaning not in {"categories", "published", "status"}:
            report.mapped[f"{key} -> {meaning}"] += 1
        _take(meaning, str(key), value, mapped, report, split_words)
    if extra_key and "extra" in mapped.meta:
        mapped.meta["extra"] = {extra_key: mapped.meta["extra"]}
    return mapped


def _unmapped(key: str, value: Any, mapped: Mapped, report: Report) -> None:
    if key.casefold() in THEME_FIELDS:
        report.dropped[f"{key} (the source theme's layout setting)"] += 1
    elif value not in (None, "", [], {}):
        mapped.meta.setdefault("extra", {})[key] = _plain(value)
        report.extra[key] += 1


def _take(meaning: str, key: str, value: Any, mapped: Mapped, report: Report,
          split_words: bool) -> None:
    meta = mapped.meta
    if meaning in {"title", "summary", "subtitle", "image_alt", "canonical"}:
        if value not in (None, ""):
            meta.setdefault(meaning, _text(value))
    elif meaning in {"date", "updated"}:
        when = date_text(value)
        if when:
            meta.setdefault(meaning, when)
    elif meaning == "authors":
        mapped.bylines += value if isinstance(value, list) else [value]
    elif meaning in {"tags", "categories"}:
        words = word_list(value, split_words)
        target = meta.setdefault("tags", []) if meaning == "tags" else mapped.categories
        target += [w for w in words if w not in target]
    elif meaning in {"draft", "published", "status"}:
        mapped.draft = mapped.draft or _is_draft(meaning, value)
        if mapped.draft:
            report.mapped[f"{key}: {value} -> draft"] += 1
    elif meaning == "image":
        image = image_of(value)
        if image:
            meta.setdefault("image", image)
    elif meaning == "slug":
        meta["slug"] = _text(value)
    elif meaning == "aliases":
        meta.setdefault("aliases", []).extend(word_list(value, False))
    elif meaning == "permalink":
        mapped.permalink = _text(value)
    elif meaning == "lang":
        # The article's language: kept under extra until sitegen has a field for it.
        meta.setdefault("extra", {})["lang"] = _text(value)
        report.mapped[f"{key} -> extra.lang (the article's language)"] += 1


def _is_draft(meaning: str, value: Any) -> bool:
    if meaning == "draft":
        return value is True or str(value).casefold() in {"true", "yes"}
    if meaning == "published":
        return value is False or str(value).casefold() in {"false", "no"}
    return str(value).casefold() in {"draft", "hidden", "pending", "private"}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def _plain(value: Any) -> Any:
    """Front matter data YAML can write again: dates as ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def word_list(value: Any, split_words: bool) -> list[str]:
    """Tags or categories: a list, or a string split on commas (or spaces, for Jekyll)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = text.split() if split_words and "," not in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def image_of(value: Any) -> str:
    """A lead image from the shapes themes use: a path, `{path: ...}`, `[first, ...]`."""
    if isinstance(value, list):
        return image_of(value[0]) if value else ""
    if isinstance(value, dict):
        for key in ("path", "src", "url", "image", "feature", "teaser", "file"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip()
        return ""
    return value.strip() if isinstance(value, str) else ""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def date_text(value: Any) -> str:
    """A date in a form sitegen reads (ISO), or "" when `value` is not one."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = near_iso(str(value).strip())
    if not _DATE.match(text):
        return ""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return ""
    return text


def ordered(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter in the order people read it."""
    first = {k: meta[k] for k in SITEGEN_ORDER if k in meta and meta[k] not in (None, [], {})}
    return first | {k: v for k, v in meta.items() if k not in first and v not in (None, [])}
