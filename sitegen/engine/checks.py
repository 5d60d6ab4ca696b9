"""Checks of the whole site made before anything is rendered, each adding its errors to the
build's problems rather than stopping it (the build reports every problem of a run
together, and fails before the output is touched): `layout:` templates the theme lacks,
pages that would take a URL sitegen makes, static files on a generated page's path, and
`front:` entries that name no article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen.config import CONFIG_NAME, Config
from sitegen.config_languages import for_language
from sitegen.content import yamlio
from sitegen.errors import ContentError, Problems, name_list
from sitegen.model.entries import Entry, permalink
from sitegen.plan import front
from sitegen.plan.outputs import Plan, PlannedPage
from sitegen.plan.pages import shadowed, source_of

SHOWN = 3  # articles named in a missing layout's error, besides the one it is reported at


@contextmanager
def reported_with(problems: Problems) -> Iterator[None]:
    """A stage run on content already known to be wrong may fail because of it: then the
    problems found so far are the report (the failure is most likely one of theirs). A
    stage's own ContentError joins them."""
    try:
        yield
    except ContentError as exc:
        known = set(problems.errors)
        problems.errors += [p for p in exc.problems if p not in known]
        problems.raise_if_any()
    except Exception:
        if not problems.errors:
            raise
        problems.raise_if_any()


def missing_layouts(entries: list[Entry], template_dirs: list[Path], theme: str,
                    problems: Problems) -> frozenset[str]:
    """One error per `layout:` template the theme lacks, at the `layout:` line of the first
    article (in path order) naming it, with the count and the first few of the others.
    Returns those templates: their pages are not rendered (each would fail alike)."""
    users: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.source.rel):
        if entry.layout:
            users.setdefault(f"{entry.layout}.html", []).append(entry)
    missing = {name: found for name, found in users.items()
               if not any((folder / name).is_file() for folder in template_dirs)}
    for name, found in sorted(missing.items()):
        first = found[0]
        line, col = first.source.line_of("layout")
        others = [_place(e) for e in found[1:]]
        also = ""
        if others:
            also = f" It is named by {len(found):,} articles: this one, {name_list(others, SHOWN)}."
        problems.error(first.source.path, line, col,
                       f"`layout: {first.layout}` names the template `{name}`, which the "
                       f"theme does not have.{also} Add {name} to themes/{theme}/templates/ "
                       "(`{% extends \"article.html\" %}` keeps the article page), or remove "
                       "`layout:` to use article.html.")
    return frozenset(missing)


def _place(entry: Entry) -> str:
    line, col = entry.source.line_of("layout")
    return f"{entry.source.rel}:{line}:{col}"


def shadowing(plan: Plan, problems: Problems) -> None:
    """An error for a page that would take the file of a page sitegen makes (a tag's, an
    author's, the archive's...), at its source: a page's file, or sitegen.yaml's sections."""
    for page, other in shadowed(plan):
        # The one at fault: a standalone page, else a section (named in sitegen.yaml), else
        # the later of two (an author profile whose id differs only in case).
        mine, theirs = (other, page) if _intruder_rank(other) < _intruder_rank(page) else (
            page, other)
        source = source_of(mine)
        where = problems.site_root / (source or "sitegen.yaml")
        what = "its URL" if source else f"the {mine.kind} page's URL"
        problems.error(where, 1, 1, f"{what} {mine.url} is also the URL of sitegen's "
                       f"{theirs.kind} page, which it would replace. Give it another `slug`, "
                       "or the section another name.")


def _intruder_rank(page: PlannedPage) -> int:
    return {"redirect": -1, "page": 0, "section": 1}.get(page.kind, 2)


def static_clashes(plan: Plan, static: dict[str, Path], problems: Problems) -> None:
    """An error for each static file on the path of a generated page or feed."""
    made = {page.path for page in plan.pages} | {feed.path for feed in plan.feeds}
    for rel, path in sorted(static.items()):
        if rel in made:
            problems.error(path, 1, 1, f"static file /{rel} has the same path as a "
                           "generated page. Rename it.")


def check_front(config: Config, site_dir: Path, entries: Iterable[tuple[Entry, object]],
                problems: Problems) -> None:
    """An error at sitegen.yaml's `front:` for each entry that names no article, or two in
    one language (a draft or a future article is no error: it leads once it is published).
    Each article's URL is its language's (/fr/2026/...): each language's front page pins
    the articles of its own that an entry names, so a slug may name each translation."""
    if not config.front:
        return
    own = {lang.tag: for_language(config, lang) for lang in config.languages[1:]}
    articles = [(e.slug, permalink(own.get(e.language, config), e), e.source.rel, e.language)
                for e, _ in entries]
    text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8-sig")
    start, _ = yamlio.key_line(text, "front")
    for name in config.front:
        matches = [a for a in articles if front.names_article(name, *a[:3])]
        languages = [m[3] for m in matches]
        if matches and len(set(languages)) == len(languages):
            continue
        line = yamlio.value_line(text, name, start)
        col = text.split("\n")[line].find(name) + 1 or 1
        what = (f"names {len(matches)} articles ({', '.join(m[2] for m in matches[:3])})"
                if matches else "names no article")
        problems.error(site_dir / CONFIG_NAME, line + 1, col,
                       f"`front` entry `{name}` {what}. Write an article's URL (as "
                       "/2026/04/22/slug/), its slug or its file under content/articles/.")
