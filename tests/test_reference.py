"""docs/reference.md against the code: every configuration key, front-matter field,
template, template variable, page kind and filter is documented in its section."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import jinja2
import pytest
from conftest import REPO

from sitegen.config import KNOWN_KEYS, load_config
from sitegen.model.entries import ARTICLE_FIELDS, AUTHOR_FIELDS, PAGE_FIELDS
from sitegen.render import themes
from sitegen.render.pages import make_environment

MANUAL = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of the manual's section whose heading is `title`, up to the next heading
    of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}\n", MANUAL, re.MULTILINE)
    assert match, f"docs/reference.md has no section `{title}`"
    level = len(match.group(1))
    rest = MANUAL[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[:end.start()] if end else rest


def named(text: str) -> set[str]:
    """Everything written as `code` in a text."""
    return set(re.findall(r"`([^`\s]+)`", text))


def _missing(wanted: set[str], text: str) -> set[str]:
    return wanted - named(text)


def test_every_config_key_is_documented() -> None:
    assert not _missing(KNOWN_KEYS, section("Configuration: `sitegen.yaml`"))


@pytest.mark.parametrize(("fields", "title"), [
    (ARTICLE_FIELDS, "Articles (`content/articles/**/*.md`, `*.txt`)"),
    (PAGE_FIELDS, "Standalone pages (`content/pages/**/*.md`)"),
    (AUTHOR_FIELDS, "Authors (`content/authors/<id>.yaml`, or `<id>.md` with the bio as body)"),
])
def test_every_front_matter_field_is_documented(fields: set[str], title: str) -> None:
    assert not _missing(fields, section(title))


def test_every_template_and_partial_is_documented() -> None:
    folder = themes.default_theme_dir() / "templates"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    assert not _missing(names, section("Templates"))


def test_every_template_variable_and_page_kind_is_documented() -> None:
    """The demo's plan: each page's own variables in its template's row, its kind in the
    URL scheme (the demo has every kind, month archives, a taxonomy and a series included)."""
    from sitegen.check.site import build_in_memory

    built = build_in_memory(REPO, datetime(2026, 11, 25, 12, tzinfo=UTC))
    rows = {m.group(1): m.group(2) for m in
            re.finditer(r"^\| `([a-z0-9_]+\.html)` \| (.*) \|$", section("Pages"), re.MULTILINE)}
    urls = named(section("URL scheme"))
    for page in built.plan.pages:
        assert page.template in rows, page.template
        assert not _missing(set(page.context), rows[page.template]), page.template
        assert page.kind in urls, page.kind


def test_every_filter_and_global_is_documented() -> None:
    env = make_environment([], load_config(REPO))
    plain = jinja2.Environment()
    assert not _missing(set(env.filters) - set(plain.filters), section("Filters"))
    assert not _missing(set(env.globals) - set(plain.globals), section("Filters"))


def test_every_command_is_documented() -> None:
    from sitegen.cli import make_parser

    parser = make_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    text = section("Commands")
    for name in commands.choices:  # type: ignore[union-attr]
        assert f"`sitegen {name}" in text, name
