"""Compiled templates kept for the process (sitegen.render.compiled): a theme is compiled
once, yet every environment renders what its own configuration and sources say."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import FIXED_NOW

from sitegen.config import load_config
from sitegen.engine.build import BuildOptions, build
from sitegen.render.pages import make_environment

# Jinja2's optimizer runs `absolute` on the constant at compile time: the compiled code
# holds the site's address, so code compiled for one site must never render another.
PAGE = '{{ "/feed.xml" | absolute }} {{ "2024-03-01" | length }} {{ title }}'


def environment(root: Path, base_url: str, page: str = PAGE) -> jinja2.Environment:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.yaml").write_text(f"title: T\nbase_url: {base_url}\n")
    templates = root / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "page.html").write_text(page)
    return make_environment([templates], load_config(root))


def test_code_compiled_for_one_configuration_never_renders_another(tmp_path: Path) -> None:
    one = environment(tmp_path / "same", "https://one.test/")
    assert one.get_template("page.html").render(title="A") == "https://one.test/feed.xml 10 A"
    other = environment(tmp_path / "same", "https://other.test/")
    assert (other.get_template("page.html").render(title="B")
            == "https://other.test/feed.xml 10 B")


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    first = environment(tmp_path, "https://one.test/", "old {{ title }}")
    assert first.get_template("page.html").render(title="A") == "old A"
    second = environment(tmp_path, "https://one.test/", "new {{ title }}")
    assert second.get_template("page.html").render(title="A") == "new A"


def test_a_theme_is_compiled_once_for_one_configuration(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    environment(tmp_path, "https://one.test/").get_template("page.html")
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None,
                 *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    again = environment(tmp_path, "https://one.test/")
    assert again.get_template("page.html").render(title="C") == "https://one.test/feed.xml 10 C"
    assert compiled == []


def test_a_changed_base_url_reaches_every_page_of_the_next_build(make_site) -> None:
    site = make_site()
    build(BuildOptions(site=site, now=FIXED_NOW))
    (site / "sitegen.yaml").write_text("title: Test Times\nbase_url: https://moved.test/\n"
                                       "per_page: 2\n")
    build(BuildOptions(site=site, now=FIXED_NOW))
    canonical = [line for p in (site / "build").rglob("*.html")
                 for line in p.read_text().splitlines() if 'rel="canonical"' in line]
    assert canonical
    assert [line for line in canonical if 'href="https://moved.test/' not in line] == []
