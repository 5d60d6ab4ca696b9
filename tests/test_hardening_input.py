"""Hostile front matter: tag counts, calendar edges and control characters are errors at
their line (or accepted where valid), never a traceback, and build/ stays as it was."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXED_NOW, tree_bytes

from sitegen.model.entries import MAX_TAGS

ARTICLE = "content/articles/2024/hostile.md"


def build(cli, site: Path, *more: str):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *more)


def broken_build(cli, site: Path, text: str, *more: str):
    """Build once (good), then with `text` as an article: the result and that build/ is
    the first build's."""
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    (site / ARTICLE).parent.mkdir(parents=True, exist_ok=True)
    (site / ARTICLE).write_text(text, encoding="utf-8")
    result = build(cli, site, *more)
    assert "Traceback" not in result.err
    if result.code != 0:
        assert tree_bytes(site / "build") == before
    return result


# ---------------------------------------------------------------- tags


def tagged(count: int) -> str:
    tags = "\n".join(f"  - Tag number {n}" for n in range(count))
    return f"---\ntitle: Tagged\ndate: 2024-01-05\ntags:\n{tags}\n---\nBody.\n"


def test_an_article_with_too_many_tags_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, tagged(3000))
    assert result.code == 1
    assert (f"{ARTICLE}:4:6: error: 3000 tags; an article takes at most {MAX_TAGS}"
            in result.err)
    assert "Keep the ones readers browse by" in result.err


def test_an_article_with_the_most_tags_builds(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, tagged(MAX_TAGS))
    assert result.code == 0, result.err
    assert (site / "build/tags/tag-number-49/index.html").is_file()
