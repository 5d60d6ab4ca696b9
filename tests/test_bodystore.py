"""Article bodies live in `.sitegen-cache/articles.sqlite`, not in memory nor in the build cache:
pages still show them, a lost or damaged store is rendered again from the sources, and the
model a build holds has no body text in it."""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from conftest import FIXED_NOW

from sitegen.config import load_config
from sitegen.engine import cache as cache_mod
from sitegen.engine.bodystore import STORE_FILE
from sitegen.engine.build import BuildOptions, build
from sitegen.engine.load import load_site
from sitegen.errors import Problems
from sitegen.names import CACHE_DIR

BODY = "A sentence only the body of the long story holds, about harbour dredging."
LONG_STORY = f"""
    ---
    title: Long Story
    date: 2024-03-04T10:00:00Z
    author: ann-lee
    tags: [Harbour]
    section: news
    ---
    The first paragraph, which is also the summary.

    {BODY}
"""


def _build(site: Path, **options: Any) -> Path:
    build(BuildOptions(site=site, now=datetime.fromisoformat(FIXED_NOW.isoformat()),
                       **options))
    return site / "build"


def _story(out: Path) -> str:
    return (out / "2024/03/04/long-story/index.html").read_text(encoding="utf-8")


def _site(make_site: Any) -> Path:
    return make_site({"content/articles/2024/long-story.md": LONG_STORY})


def test_the_build_cache_holds_no_body_and_the_store_does(make_site: Any) -> None:
    site = _site(make_site)
    out = _build(site)
    assert BODY in _story(out)
    assert BODY.encode() not in cache_mod.cache_path(site).read_bytes()
    assert any(BODY in html for html in _stored_bodies(site))


def _stored_bodies(site: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(site / CACHE_DIR / STORE_FILE)) as db:
        return [html for (html,) in db.execute("SELECT html FROM articles")]


def test_a_page_rendered_again_takes_its_body_from_the_store(make_site: Any) -> None:
    site = _site(make_site)
    out = _build(site)
    (out / "2024/03/04/long-story/index.html").unlink()  # the next build renders it again
    (site / "content/articles/2024/long-story.md").touch()  # same bytes: no Markdown
    assert BODY in _story(_build(site))


def test_a_damaged_store_is_rendered_again_from_the_sources(make_site: Any) -> None:
    site = _site(make_site)
    _build(site)
    store = site / CACHE_DIR / STORE_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(b"not a database at all" * 100)
    out = site / "build"
    (out / "2024/03/04/long-story/index.html").unlink()
    assert BODY in _story(_build(site))
    assert any(BODY in html for html in _stored_bodies(site))  # made afresh


def test_a_missing_store_is_rendered_again_from_the_sources(make_site: Any) -> None:
    site = _site(make_site)
    out = _build(site)
    for name in (STORE_FILE, f"{STORE_FILE}-wal", f"{STORE_FILE}-shm"):
        (site / CACHE_DIR / name).unlink(missing_ok=True)
    (out / "2024/03/04/long-story/index.html").unlink()
    assert BODY in _story(_build(site))


def test_a_body_lost_after_the_model_was_made_is_rendered_from_its_file(make_site: Any,
                                                                         ) -> None:
    site = _site(make_site)
    _build(site)
    cache = cache_mod.load(site)
    config = load_config(site)
    model, _ = load_site(config, site, BuildOptions(site=site), FIXED_NOW, Problems(site),
                         cache)
    cache.store.clear()  # gone between the model and the render
    story = next(a for a in model.articles if a.title == "Long Story")
    assert BODY in story.body_html


def test_articles_of_a_built_model_hold_no_body_text(make_site: Any) -> None:
    site = _site(make_site)
    _build(site)
    cache = cache_mod.load(site)
    model, _ = load_site(load_config(site), site, BuildOptions(site=site), FIXED_NOW,
                         Problems(site), cache)
    story = next(a for a in model.articles if a.title == "Long Story")
    assert not any(BODY in text for text in _strings_reachable(story))
    assert BODY in story.body_html  # read from the store when asked for


def _strings_reachable(value: object, depth: int = 4) -> list[str]:
    """Every str an object holds, up to `depth` references away (not through the store,
    which is the one thing that may hold bodies)."""
    found: list[str] = []
    seen: set[int] = set()
    todo = [(value, 0)]
    while todo:
        item, level = todo.pop()
        if id(item) in seen or level > depth or type(item).__name__ in (
                "ArticleStore", "MemoryStore", "module", "type"):
            continue
        seen.add(id(item))
        if isinstance(item, str):
            found.append(item)
            continue
        todo += [(ref, level + 1) for ref in gc.get_referents(item)]
    return found


def test_a_stored_body_s_tables_are_captioned_in_the_site_s_language_of_now(
        make_site: Any) -> None:
    """The store keeps a body as Markdown made it; its tables' captions are named in the
    article's language as the page renders, so a change of the site's language alone
    re-captions them."""
    site = make_site({"content/articles/2024/tabled.md": (
        "---\ntitle: Tabled\ndate: 2024-03-08\n---\n| Year | Cost |\n|---|---|\n| 2024 | 1 |\n")})
    page = "2024/03/08/tabled/index.html"
    assert '<caption id="table-1">Table 1: Year and Cost</caption>' in (
        _build(site) / page).read_text(encoding="utf-8")
    assert any(" data-named>" in html for html in _stored_bodies(site))  # named as it renders
    config = site / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "language: fr\n", encoding="utf-8")
    french = (_build(site) / page).read_text(encoding="utf-8")
    assert '<caption id="table-1">Tableau 1 : Year et Cost</caption>' in french
