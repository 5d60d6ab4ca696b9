"""A Hugo site, read as Hugo reads it: its configuration (`hugo.toml`, `config.yaml`,
`config/_default/`; `contentDir`, `[permalinks]`, `uglyURLs`), the content folder (a file
in a section folder is an article, one at the top a page, a bundle's `index.md` takes the
folder's name, `_index.md` is a listing), YAML, TOML or JSON front matter, `data/` and
author taxonomy pages for profiles; shortcodes expanded; old URLs as Hugo made them."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sitegen.content.fields import near_iso
from sitegen.content.slugs import slugify
from sitegen.importers import sourcefiles
from sitegen.importers.bodies import Body, hugo_body
from sitegen.importers.fields import map_fields
from sitegen.importers.pieces import Archive, Piece, Profile
from sitegen.importers.report import Report

CONFIG_NAMES = ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                "config.yaml", "config.yml", "config.json"]
CONTENT_SUFFIXES = {".md", ".markdown", ".html", ".htm"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def load_config(source: Path, report: Report) -> dict[str, Any]:
    """The site's configuration, `config/_default/` merged over the root file."""
    config: dict[str, Any] = {}
    for name in CONFIG_NAMES:
        if (source / name).is_file():
            config = sourcefiles.load_config_file(source / name, report)
            break
    default = source / "config" / "_default"
    for name in CONFIG_NAMES:
        if (default / name).is_file():
            config.update(sourcefiles.load_config_file(default / name, report))
    if (default / "permalinks.toml").is_file():
        config["permalinks"] = sourcefiles.load_config_file(default / "permalinks.toml",
                                                            report)
    languages = dict(config.get("languages") or {})
    for path in sorted(default.glob("languages.*.toml")):
        languages[path.name.split(".")[1]] = sourcefiles.load_config_file(path, report)
    config["languages"] = languages
    return {str(k).casefold(): v for k, v in config.items()}


def content_folder(source: Path, config: dict[str, Any], report: Report) -> Path:
    """The default language's content folder; the other languages' folders are reported:
    a sitegen site is in one language (translations are the languages issue's)."""
    default = str(config.get("defaultcontentlanguage") or "en")
    folders = {lang: str(info.get("contentDir") or info.get("contentdir"))
               for lang, info in config["languages"].items()
               if isinstance(info, dict) and (info.get("contentDir") or info.get("contentdir"))}
    for lang, folder in sorted(folders.items()):
        if lang != default and (source / folder).is_dir():
            count = sum(1 for p in (source / folder).rglob("*") if p.suffix in CONTENT_SUFFIXES)
            report.skip(f"{folder}/ ({count} files)", f"the `{lang}` translation; a sitegen "
                        "site has one language, so only the default language "
                        f"(`{default}`) is imported")
    return source / (folders.get(default) or str(config.get("contentdir") or "")
                     or mounted(source, config, "content").relative_to(source))


def mounted(source: Path, config: dict[str, Any], target: str) -> Path:
    """The folder Hugo reads as `target` (content, data, static, assets): a module mount's
    source (`module: mounts: [{source: src/content, target: content}]`), else its own."""
    module = config.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    for mount in mounts if isinstance(mounts, list) else []:
        folder = mount.get("source") if isinstance(mount, dict) else None
        if (isinstance(folder, str) and mount.get("target") == target and ".." not in folder
                and (source / folder).is_dir()):
            return source / folder
    return source / target


def read(source: Path) -> Archive:
    report = Report("hugo")
    config = load_config(source, report)
    content = content_folder(source, config, report)
    data = sourcefiles.load_data(mounted(source, config, "data"), report)
    archive = Archive(source, [], report, _profiles(data, content, report),
                      [mounted(source, config, "static"), mounted(source, config, "assets"),
                       content])
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in CONTENT_SUFFIXES:
            continue
        rel = path.relative_to(content)
        if path.stem.startswith("_index") or rel.parts[0] == "authors":
            continue  # a list page's text, or an author's taxonomy page (a profile)
        piece = _piece(path, rel, source, config, report)
        if piece is not None:
            archive.pieces.append(piece)
            for key in (rel.as_posix(), "/" + rel.as_posix(), path.stem, rel.parent.name,
                        rel.with_suffix("").as_posix()):
                archive.links.setdefault("ref:" + key, piece.source)
    report.counts["articles"] = sum(p.kind == "article" for p in archive.pieces)
    report.counts["pages"] = sum(p.kind == "page" for p in archive.pieces)
    return archive


def _profiles(data: dict[str, Any], content: Path, report: Report) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    authors = data.get("authors") or {}
    if isinstance(authors, dict):
        for key, info in authors.items():
            if isinstance(info, dict):
                name = str(info.get("name") or key)
                profile = Profile(name, str(info.get("role") or ""),
                                  str(info.get("bio") or ""),
                                  str(info.get("avatar") or info.get("photo") or ""))
                profiles[key] = profiles[key.casefold()] = profiles[name] = profile
    for page in sorted((content / "authors").glob("*/_index.md")):
        file = sourcefiles.read(page, content, report)
        if (file is not None and file.meta.get("name")) or (file and file.meta.get("title")):
            name = str(file.meta.get("name") or file.meta.get("title"))
            profile = Profile(name, str(file.meta.get("role") or ""),
                              str(file.meta.get("bio") or file.body.strip()),
                              str(file.meta.get("photo") or file.meta.get("avatar") or ""))
            profiles[page.parent.name] = profiles[name] = profile
    return profiles


def _piece(path: Path, rel: Path, source: Path, config: dict[str, Any],
           report: Report) -> Piece | None:
    file = sourcefiles.read(path, path.parents[len(rel.parts) - 1], report)
    if file is None:
        return None
    mapped = map_fields(file.meta, report)
    bundle = path.stem == "index"
    lang = _language(path.stem, config)
    name = rel.parent.name if bundle else path.stem.removesuffix(f".{lang}" if lang else "")
    is_page = len(rel.parts) == 1 or (bundle and len(rel.parts) == 2)
    _defaults(mapped.meta, mapped.draft or file.meta.get("draft") is True, name)
    named = sourcefiles.dated_name(name)
    folder = ""
    if not is_page and "date" not in mapped.meta:
        placed = _undated(mapped.meta, named, rel, bundle)
        if placed is None:
            report.skip(file.rel, "a post with no date in its front matter or name; give "
                        "it `date:` and import again")
            return None
        is_page, folder = placed
    slug = str(file.meta.get("slug") or (named[1] if named else name))
    section = rel.parts[0] if not is_page else ""
    old = mapped.permalink or old_url(config, section, rel, file.meta, mapped.meta, name)
    if lang:  # a translation beside its original (`post.de.md`): its own slug and URL
        mapped.meta.setdefault("extra", {})["lang"] = lang
        slug, old = f"{slug}-{lang}", f"/{lang}{old}"
    body = hugo_body(Body(file.body, file.rel, file.body_line, report))
    kind = "html" if path.suffix.lower() in {".html", ".htm"} else "md"
    categories = mapped.categories or ([section] if section not in GENERIC else [])
    return Piece(file.rel, "page" if is_page else "article", slug, mapped.meta, body, kind,
                 [old], mapped.bylines, categories, path, folder)


GENERIC = {"", "posts", "post", "blog", "articles", "article", "entries"}  # not desks
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][a-zA-Z]{2,4})?")


def _language(stem: str, config: dict[str, Any]) -> str:
    """The language a file name gives (`post.de.md`: `de`), one of the site's when it
    names them; "" for none (`ISRG-CP-CPS-v5.0.html` is version 5.0, not a language)."""
    part = stem.split(".")[-1] if "." in stem else ""
    if not _LANGUAGE.fullmatch(part):
        return ""
    known = {str(code).casefold() for code in config.get("languages") or {}}
    return part if not known or part.casefold() in known else ""


def _defaults(meta: dict[str, Any], draft: bool, name: str) -> None:
    meta.setdefault("title", name.replace("-", " ").title())
    if draft:
        meta["draft"] = True


def _undated(meta: dict[str, Any], named: tuple[str, str] | None, rel: Path,
             bundle: bool) -> tuple[bool, str] | None:
    """(is it a page, its folder) for a file with no `date`: dated by its name, else an
    undated page of a section (docs, guides) kept at its path; None for an undated post."""
    if named is not None:
        meta["date"] = named[0]
        return False, ""
    if rel.parts[0] in GENERIC:
        return None
    return True, "/".join(rel.parent.parts[:-1] if bundle else rel.parent.parts)


def old_url(config: dict[str, Any], section: str, rel: Path, raw: dict[str, Any],
            meta: dict[str, Any], name: str) -> str:
    """The URL Hugo gave the page: `[permalinks]` for its section, else its path."""
    permalinks = config.get("permalinks") or {}
    if isinstance(permalinks.get("page"), dict):  # Hugo 0.120's `[permalinks.page]`
        permalinks = permalinks["page"]
    pattern = permalinks.get(section) if isinstance(permalinks, dict) else None
    slug = str(raw.get("slug") or name)
    if not pattern or "date" not in meta:
        folders = list(rel.parent.parts[:-1] if rel.stem == "index" else rel.parent.parts)
        url = "/" + "/".join([*folders, slug]) + "/"
        return url[:-1] + ".html" if config.get("uglyurls") else url
    when = datetime.fromisoformat(near_iso(str(meta["date"])))
    values = {
        ":year": f"{when.year:04d}", ":month": f"{when.month:02d}", ":day": f"{when.day:02d}",
        ":monthname": MONTHS[when.month - 1], ":yearday": str(when.timetuple().tm_yday),
        ":weekday": str(when.isoweekday() % 7), ":section": section,
        ":sections": "/".join(rel.parent.parts[:1]), ":title": slugify(str(meta["title"])),
        ":slugorfilename": slug, ":slugorcontentbasename": slug, ":slug": slug,
        ":filename": name, ":contentbasename": name,
    }
    text = str(pattern)
    for key in sorted(values, key=len, reverse=True):
        text = text.replace(key, values[key])
    return text if text.startswith("/") else "/" + text
