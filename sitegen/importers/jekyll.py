"""A Jekyll site, read as Jekyll reads it: `_config.yml` (permalink style, time zone,
front matter defaults), every `_posts/` folder (the folders above one are the posts'
categories), `_drafts/`, Markdown pages with front matter, `_data/` (authors and the data
Liquid reads), and each post's old URL as Jekyll's permalink style made it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.content.fields import near_iso
from sitegen.content.slugs import slugify
from sitegen.importers import sourcefiles
from sitegen.importers.bodies import Body, liquid_body
from sitegen.importers.fields import map_fields
from sitegen.importers.pieces import Archive, Piece, Profile
from sitegen.importers.report import Report

POST_SUFFIXES = {".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html", ".htm"}
STYLES = {  # Jekyll's named permalink styles
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
SKIPPED_FOLDERS = {"_site", "node_modules", "vendor", ".git", ".bundle", ".jekyll-cache",
                   "_includes", "_layouts", "_sass", "_data", "_plugins", "assets"}
NOT_PAGES = {"index", "404", "readme", "changelog", "license", "contributing", "feed",
             "search", "tags", "categories", "archive", "blog"}


def read(source: Path) -> Archive:
    report = Report("jekyll")
    config = sourcefiles.load_config_file(source / "_config.yml", report) if (
        source / "_config.yml").is_file() else {}
    data = sourcefiles.load_data(source / "_data", report)
    archive = Archive(source, [], report, _profiles(data), [source])
    site_data = {**config, "data": data, "baseurl": "", "url": ""}
    for path in _files(source):
        rel = path.relative_to(source)
        if "_posts" in rel.parts or "_drafts" in rel.parts:
            piece = _post(path, source, config, site_data, report)
        elif path.suffix in {".md", ".markdown"}:
            piece = _page(path, source, config, site_data, report)
        else:
            continue
        if piece is not None:
            archive.pieces.append(piece)
            _link_keys(archive, piece, rel)
    report.counts["articles"] = sum(p.kind == "article" for p in archive.pieces)
    report.counts["pages"] = sum(p.kind == "page" for p in archive.pieces)
    return archive


def _files(source: Path) -> list[Path]:
    found = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(p in SKIPPED_FOLDERS or p.startswith(".") for p in rel.parts[:-1]):
            continue
        if path.is_file() and path.suffix.lower() in POST_SUFFIXES:
            found.append(path)
    return found


def _profiles(data: dict[str, Any]) -> dict[str, Profile]:
    """`_data/authors.yml`: `id: {name, bio, avatar}` or a list of `{id/name, ...}`."""
    authors = data.get("authors") or data.get("people") or {}
    items = authors.items() if isinstance(authors, dict) else (
        (str(a.get("id") or a.get("key") or a.get("name")), a) for a in authors
        if isinstance(a, dict))
    profiles = {}
    for key, info in items:
        if not isinstance(info, dict):
            continue
        name = str(info.get("name") or info.get("display_name") or key)
        profile = Profile(name, str(info.get("role") or info.get("title") or ""),
                          str(info.get("bio") or info.get("description") or ""),
                          str(info.get("avatar") or info.get("photo") or info.get("image")
                              or ""),
                          str(info.get("email") or ""), _links(info))
        profiles[key] = profiles[key.casefold()] = profiles[name] = profile
    return profiles


def _links(info: dict[str, Any]) -> dict[str, str]:
    links = {}
    for key in ("web", "website", "url", "homepage", "twitter", "github", "mastodon"):
        value = info.get(key)
        if isinstance(value, str) and value.startswith(("http:", "https:")):
            links[key] = value
        elif isinstance(value, str) and value and key in ("twitter", "github"):
            host = "x.com" if key == "twitter" else "github.com"
            links[key] = f"https://{host}/{value.lstrip('@')}"
    return links


def defaults_for(config: dict[str, Any], rel: str, kind: str) -> dict[str, Any]:
    """`defaults:` values whose scope (path prefix, type) covers the file."""
    values: dict[str, Any] = {}
    for rule in config.get("defaults") or []:
        if not isinstance(rule, dict):
            continue
        scope = rule.get("scope") or {}
        path = str(scope.get("path") or "")
        kinds = scope.get("type")
        if rel.startswith(path) and (not kinds or kinds == kind):
            values.update(rule.get("values") or {})
    return values


def _post(path: Path, source: Path, config: dict[str, Any], site_data: dict[str, Any],
          report: Report) -> Piece | None:
    file = sourcefiles.read(path, source, report)
    if file is None:
        return None
    named = sourcefiles.dated_name(path.stem)
    draft = "_drafts" in Path(file.rel).parts
    if named is None and not draft:
        report.skip(file.rel, "in _posts/ without a date in its name (YYYY-MM-DD-title), "
                    "which Jekyll does not publish either")
        return None
    meta = {**defaults_for(config, file.rel, "posts"), **file.meta}
    mapped = map_fields(meta, report, split_words=True)
    slug = named[1] if named else path.stem
    if "date" not in mapped.meta:
        mapped.meta["date"] = named[0] if named else _mtime(path)
    mapped.meta.setdefault("title", slug.replace("-", " ").title())
    mapped.draft = mapped.draft or draft
    if mapped.draft:
        mapped.meta["draft"] = True
    categories = _path_categories(file.rel) + [c for c in mapped.categories]
    page = {**file.meta, "title": mapped.meta["title"], "date": mapped.meta["date"]}
    body = liquid_body(Body(file.body, file.rel, file.body_line, report),
                       {"site": site_data, "page": page},
                       html_body=path.suffix in {".html", ".htm"})
    old = "" if draft else old_url(config, mapped.permalink, mapped.meta, categories, slug,
                                   path.suffix)
    return Piece(file.rel, "article", slug, mapped.meta, body,
                 "html" if path.suffix in {".html", ".htm"} else "md", [old] if old else [],
                 mapped.bylines or _site_author(config), list(dict.fromkeys(categories)), path)


def _site_author(config: dict[str, Any]) -> list[Any]:
    author = config.get("author")
    if isinstance(author, dict):
        return [author.get("name")] if author.get("name") else []
    return [author] if isinstance(author, str) and author else []


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def _path_categories(rel: str) -> list[str]:
    parts = Path(rel).parts
    index = parts.index("_posts") if "_posts" in parts else parts.index("_drafts")
    return [p for p in parts[:index]]


def old_url(config: dict[str, Any], permalink: str, meta: dict[str, Any],
            categories: list[str], slug: str, suffix: str) -> str:
    """The URL Jekyll gave the post."""
    collections = config.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    own = posts.get("permalink") if isinstance(posts, dict) else None
    pattern = permalink or str(own or config.get("permalink") or "date")
    pattern = STYLES.get(pattern, pattern)
    when = _local_date(str(meta["date"]))
    title = str(meta.get("slug") or slug)
    values = {
        ":categories": "/".join(c.lower().replace(" ", "%20") for c in categories),
        ":year": f"{when.year:04d}", ":month": f"{when.month:02d}", ":day": f"{when.day:02d}",
        ":i_month": str(when.month), ":i_day": str(when.day), ":short_year": f"{when:%y}",
        ":y_day": f"{when.timetuple().tm_yday:03d}", ":hour": f"{when:%H}",
        ":minute": f"{when:%M}", ":second": f"{when:%S}", ":title": title,
        ":slug": slugify(title), ":output_ext": ".html", ":name": slug,
        ":slugified_categories": "/".join(slugify(c) for c in categories),
    }
    for key in sorted(values, key=len, reverse=True):
        pattern = pattern.replace(key, values[key])
    url = "/" + "/".join(p for p in pattern.split("/") if p)
    return url + "/" if pattern.endswith("/") else url


def _local_date(text: str) -> datetime:
    """The post's date as written: Ruby keeps a date's own offset, and Jekyll's URL uses
    its year, month and day (`2015-02-26 15:03 -0800` is the 26th, not UTC's 27th)."""
    return datetime.fromisoformat(near_iso(text))


def _page(path: Path, source: Path, config: dict[str, Any], site_data: dict[str, Any],
          report: Report) -> Piece | None:
    rel = path.relative_to(source).as_posix()
    if path.stem.casefold() in NOT_PAGES or rel.startswith("_"):
        return None
    file = sourcefiles.read(path, source, report)
    if file is None or not file.has_front_matter:
        return None  # Jekyll copies a file without front matter as it is: not a page
    mapped = map_fields({**defaults_for(config, rel, "pages"), **file.meta}, report,
                        split_words=True)
    if "title" not in mapped.meta:
        report.skip(rel, "a page without a title (usually a theme's listing)")
        return None
    page = {**file.meta}
    body = liquid_body(Body(file.body, rel, file.body_line, report),
                       {"site": site_data, "page": page})
    stem = Path(rel).with_suffix("").as_posix()
    old = mapped.permalink or ("/" + stem + ".html")
    if mapped.draft:
        mapped.meta["draft"] = True
    return Piece(rel, "page", slugify(path.stem), mapped.meta, body, "md", [old], [], [], path)


def _link_keys(archive: Archive, piece: Piece, rel: Path) -> None:
    """What `{% post_url %}` and `{% link %}` call this piece by."""
    archive.links[rel.as_posix()] = piece.source
    archive.links["post_url:" + rel.stem] = piece.source
    parts = rel.parts
    if "_posts" in parts:
        below = Path(*parts[parts.index("_posts") + 1:]).with_suffix("").as_posix()
        archive.links["post_url:" + below] = piece.source
