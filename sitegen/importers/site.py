"""An archive read from another tool, written into a sitegen site.

Everything is planned first (articles, pages, author profiles, sections, copied files), then
checked against what the site already holds: a file that exists with other content is an
error naming it unless --force, and then nothing at all is written. A file with the same
content is left alone, so importing twice changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.commands.scaffold import dump_yaml, front_matter, write_file
from sitegen.config import RESERVED_SECTIONS, Config
from sitegen.content.fields import parse_when
from sitegen.content.slugs import is_valid_slug, slugify
from sitegen.errors import Problems
from sitegen.importers import files, residue
from sitegen.importers.bodies import LINK_END, LINK_MARK
from sitegen.importers.bylines import Byline, split_bylines
from sitegen.importers.fields import ordered
from sitegen.importers.pieces import Archive, Piece, Profile

MAX_SECTIONS = 12  # more distinct categories than this are a tag cloud, not desks


@dataclass(frozen=True)
class Planned:
    """A file the import will write: where, its bytes as text, what it is (for the report)."""

    path: Path
    text: str
    note: str
    # What to do when the site has another file there: "error" (without --force),
    # "update" (sitegen.yaml gaining sections), "skip" (a page the new site already has,
    # such as `sitegen new site`'s About: reported, not replaced).
    clash: str = "error"


def plan_site(archive: Archive, site: Path, config: Config) -> list[Planned]:
    """Every file the archive becomes in `site`, articles first."""
    _keep_one_language(archive)
    _drop_unplaceable_pages(archive, site)
    sections = _sections(archive, config, site)
    authors: dict[str, Planned] = {}
    placed = _one_per_file([(piece, *_place(piece, site, config, sections))
                            for piece in archive.pieces], archive, site)
    urls = {piece.source: url for piece, _, url in placed}
    planned: list[Planned] = []
    for piece, path, url in placed:
        meta = dict(piece.meta)
        meta["authors"] = _authors(piece, archive, site, authors)
        if piece.kind == "article" and piece.categories:
            _file_categories(meta, piece.categories, sections)
        aliases = [a for a in dict.fromkeys([*piece.old_urls, *meta.get("aliases", [])])
                   if a != url]
        meta["aliases"] = aliases
        if piece.kind == "page":
            meta = {k: v for k, v in meta.items() if k in {"title", "slug", "summary",
                                                            "draft", "aliases", "extra"}}
        body = re.sub(r"\n{3,}", "\n\n", _resolve_links(piece, archive, urls))
        body, copies = files.rewrite(piece, body, meta, archive, site)
        body = residue.clean_piece(piece, body, meta, archive.report)
        planned += copies
        planned.append(Planned(path, front_matter(ordered(meta)) + body.strip("\n") + "\n",
                               f"from {piece.source}",
                               "skip" if piece.kind == "page" else "error"))
    planned += authors.values()
    config_file = _config_with_sections(site, config, sections)
    if config_file is not None:
        planned.append(config_file)
    return _unique(planned)


# URLs sitegen makes itself: a source page at one of them would replace that page.
SITEGEN_PAGES = {"authors", "tags", "archive", "corrections", "search", "page", "pagefind",
                 "feed.xml", "rss.xml", "404", "index", "home", "blog", "posts"}


def _drop_unplaceable_pages(archive: Archive, site: Path) -> None:
    """A page at a URL sitegen makes (`/authors/`, `/search/`, the blog's listing) is left
    out, and so is a second page on one URL; both are reported."""
    taken: dict[str, str] = {}
    kept = []
    for piece in archive.pieces:
        if piece.kind == "page":
            key = f"{piece.folder}/{slugify(str(piece.meta.get('slug') or piece.slug))}"
            if not piece.folder and key.strip("/") in SITEGEN_PAGES:
                archive.report.skip(piece.source, f"a page at /{key.strip('/')}/, which "
                                    "sitegen makes itself")
                continue
            if key in taken:
                archive.report.skip(piece.source, f"a second page at /{key.strip('/')}/ "
                                    f"(the first is {taken[key]})")
                continue
            taken[key] = piece.source
        kept.append(piece)
    archive.pieces = kept


def _keep_one_language(archive: Archive) -> None:
    """A site in several languages (posts with `lang: de`, `lang: en`) is imported in one:
    English when it has English, else its most common; the translations are reported, as
    a sitegen site has one language. Pieces that name no language stay."""
    def lang(piece: Piece) -> str:
        extra = piece.meta.get("extra")
        return str(extra.get("lang") or "") if isinstance(extra, dict) else ""

    counts = Counter(lang(p) for p in archive.pieces if lang(p))
    if len(counts) < 2:
        return
    keep = next((code for code in counts if code.casefold() in {"en", "en-us", "en_us"}),
                counts.most_common(1)[0][0])
    skipped = Counter(lang(p) for p in archive.pieces if lang(p) not in {"", keep})
    archive.pieces = [p for p in archive.pieces if lang(p) in {"", keep}]
    for code, count in sorted(skipped.items()):
        archive.report.skip(f"`lang: {code}` ({count} file{'s' * (count != 1)})",
                            f"the `{code}` translation; a "
                            f"sitegen site has one language, so only `{keep}` is imported")


def _one_per_file(placed: list[tuple[Piece, Path, str]], archive: Archive,
                  site: Path) -> list[tuple[Piece, Path, str]]:
    """The pieces that have a file of their own: a second piece on one date with one slug
    is reported, not silently lost."""
    first: dict[Path, str] = {}
    kept = []
    for piece, path, url in placed:
        if path in first:
            archive.report.skip(piece.source, f"it would be {path.relative_to(site)} too, "
                                f"as {first[path]} is; give one of them another `slug`")
            continue
        first[path] = piece.source
        kept.append((piece, path, url))
    return kept


def _unique(planned: list[Planned]) -> list[Planned]:
    seen: dict[Path, Planned] = {}
    for item in planned:
        seen.setdefault(item.path, item)
    return list(seen.values())


# ---------------------------------------------------------------- where each piece goes


def _place(piece: Piece, site: Path, config: Config,
           sections: dict[str, str]) -> tuple[Path, str]:
    """The piece's file in the site and its new URL."""
    slug = slugify(str(piece.meta.get("slug") or piece.slug))
    piece.meta["slug"] = slug
    suffix = ".html" if piece.body_kind == "html" else ".md"
    if piece.kind == "page":
        folder = "/".join(slugify(p) for p in piece.folder.split("/") if p)
        where = f"{folder}/{slug}" if folder else slug
        return site / "content" / "pages" / f"{where}{suffix}", config.root_path + f"/{where}/"
    when = parse_when(piece.meta["date"], config.tz).astimezone(config.tz)
    section = sections.get(piece.categories[0], "") if piece.categories else ""
    url = config.root_path + config.article_permalink.format(
        year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}",
        slug=slug, section=section or "articles")
    name = f"{when.month:02d}-{when.day:02d}-{slug}{suffix}"
    return site / "content" / "articles" / f"{when.year:04d}" / name, url


def _page_slugs(site: Path) -> set[str]:
    """The site's own standalone pages, whose URLs a section must not take."""
    return {p.stem for p in (site / "content" / "pages").glob("*.*")}


def _sections(archive: Archive, config: Config, site: Path) -> dict[str, str]:
    """Category -> section, when the archive's first categories are few enough to be
    desks; the site's own sections first (a category `Opinion` is the section `opinion`)."""
    known = {s.name for s in config.sections}
    firsts = Counter(p.categories[0] for p in archive.pieces
                     if p.kind == "article" and p.categories)
    names = {c: slugify(c) for c in firsts}
    new = {n for n in names.values() if n not in known}
    pages = {slugify(str(p.meta.get("slug") or p.slug)) for p in archive.pieces
             if p.kind == "page"} | _page_slugs(site)
    usable = {c: n for c, n in names.items() if is_valid_slug(n) and n not in pages
              and n not in RESERVED_SECTIONS and n != "uncategorized"}
    if len(new) > MAX_SECTIONS:
        usable = {c: n for c, n in usable.items() if n in known}
    return usable


def _file_categories(meta: dict[str, Any], categories: list[str],
                     sections: dict[str, str]) -> None:
    """The first category is the section when it is one; the others become tags."""
    rest = categories
    if categories[0] in sections:
        meta["section"] = sections[categories[0]]
        rest = categories[1:]
    tags = meta.setdefault("tags", [])
    tags += [c for c in rest if c not in tags and slugify(c) != "uncategorized"]


def _config_with_sections(site: Path, config: Config, sections: dict[str, str],
                          ) -> Planned | None:
    """sitegen.yaml with the new sections added at the end of `sections:`."""
    known = {s.name for s in config.sections}
    titles = {name: category for category, name in sections.items()}
    new = sorted(n for n in set(sections.values()) if n not in known)
    if not new:
        return None
    path = site / "sitegen.yaml"
    text = path.read_text(encoding="utf-8")
    entries = [{"name": s.name, "title": s.title, "description": s.description}
               for s in config.sections]
    entries += [{"name": n, "title": titles[n], "description": ""} for n in new]
    block = dump_yaml({"sections": entries})
    found = re.search(r"^sections:.*?(?=^[^\s#-]|\Z)", text, re.MULTILINE | re.DOTALL)
    updated = (text[:found.start()] + block + text[found.end():] if found
               else text.rstrip("\n") + "\n" + block)
    return Planned(path, updated, f"{len(new)} new section(s): {', '.join(new)}", "update")


# ---------------------------------------------------------------- bylines


def _authors(piece: Piece, archive: Archive, site: Path,
             authors: dict[str, Planned]) -> list[str]:
    """The piece's author ids; a profile planned for each new one."""
    ids = []
    for byline in split_bylines(piece.bylines):
        profile = archive.profiles.get(byline.name) or archive.profiles.get(
            byline.name.casefold()) or Profile(byline.name, byline.role)
        author_id = slugify(profile.name)
        ids.append(author_id)
        path = site / "content" / "authors" / f"{author_id}.yaml"
        known = authors.get(author_id)
        # A byline that gives a role completes a profile an earlier byline started.
        late_role = known is not None and byline.role and "\nrole:" not in known.text
        if (known is None or late_role) and not _has_profile(site, author_id):
            authors[author_id] = Planned(path, _profile_text(profile, byline),
                                         f"author {profile.name}")
    return list(dict.fromkeys(ids))


def _has_profile(site: Path, author_id: str) -> bool:
    folder = site / "content" / "authors"
    return any((folder / f"{author_id}{s}").exists() for s in (".yaml", ".yml", ".md"))


def _profile_text(profile: Profile, byline: Byline) -> str:
    data: dict[str, Any] = {"name": profile.name}
    role = profile.role or byline.role
    for key, value in (("role", role), ("bio", profile.bio), ("photo", profile.photo),
                       ("email", profile.email)):
        if value:
            data[key] = value
    links = {k: v for k, v in profile.links.items() if v.startswith(("http:", "https:"))}
    if links:
        data["links"] = links
    return dump_yaml(data)


# ---------------------------------------------------------------- links between posts


_MARK = re.compile(re.escape(LINK_MARK) + r"(.*?)" + re.escape(LINK_END))


def _resolve_links(piece: Piece, archive: Archive, urls: dict[str, str]) -> str:
    def new_url(match: re.Match[str]) -> str:
        key = match.group(1)
        target = archive.links.get(key) or archive.links.get(key.split("#")[0].strip("\"'"))
        if target in urls:
            return urls[target]
        archive.report.problem(piece.source, f"a link to `{key}` names no post of the "
                               "source site; it now points at the home page. Fix the link.")
        return "/"
    return _MARK.sub(new_url, piece.body)


# ---------------------------------------------------------------- writing


def write_planned(planned: list[Planned], force: bool, problems: Problems) -> list[str]:
    """Write every planned file, or (an error for each file in the way) none of them."""
    kept = set()
    for item in planned:
        if not item.path.exists() or force or item.clash == "update" or _same(item):
            continue
        if item.clash == "skip":
            kept.add(item.path)
            problems.warn(item.path, 1, 1, f"already exists, so the source's page ({item.note}) "
                          "was not imported. Pass --force to replace it, or move it away.")
            continue
        problems.error(item.path, 1, 1, f"already exists, and the import ({item.note}) "
                       "would change it. Pass --force to replace it, or move it away.")
    problems.raise_if_any()
    done = [str(w) for w in problems.warnings]
    for item in planned:
        if item.path in kept:
            continue
        if _same(item):
            done.append(f"unchanged {problems.rel(item.path)}")
            continue
        if isinstance(item.text, str) and item.note.startswith("copy of "):
            files.copy(Path(item.note[len("copy of "):]), item.path)
        else:
            write_file(item.path, item.text)
        done.append(f"wrote {problems.rel(item.path)} ({item.note})")
    return done


def _same(item: Planned) -> bool:
    if not item.path.is_file():
        return False
    if item.note.startswith("copy of "):
        return files.same_file(Path(item.note[len("copy of "):]), item.path)
    return item.path.read_bytes() == item.text.encode("utf-8")
