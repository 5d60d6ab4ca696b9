"""partial(): a template rendered once per build for each distinct set of arguments, its
HTML reused and its record of reads added to every page that shows it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest

from sitegen.config import load_config
from sitegen.model.site import Article
from sitegen.render import partials, recording
from sitegen.render.pages import make_environment


def environment(tmp_path: Path, page: str) -> tuple[jinja2.Environment, list[int]]:
    (tmp_path / "sitegen.yaml").write_text("title: T\nbase_url: https://example.test/\n")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "teaser.html").write_text("[{{ count() }} {{ article.title }} {{ level }}]")
    (templates / "page.html").write_text(page)
    env = make_environment([templates], load_config(tmp_path))
    calls: list[int] = []
    env.globals["count"] = lambda: calls.append(1) or len(calls)
    return env, calls


def story(n: int) -> Article:
    return Article(source=f"a{n}.md", slug=f"a{n}", url=f"/a{n}/", title=f"Story {n}",
                   date=datetime(2024, 1, n, tzinfo=UTC))


PAGE = ('{{ partial("teaser.html", article=one, level=3) }}'
        '{{ partial("teaser.html", article=one, level=3) }}'
        '{{ partial("teaser.html", article=one, level=2) }}'
        '{{ partial("teaser.html", article=two, level=3) }}')


def test_the_same_arguments_render_once_and_show_the_same(tmp_path: Path) -> None:
    env, calls = environment(tmp_path, PAGE)
    with partials.memo(partials.Memo()):
        html = env.get_template("page.html").render(one=story(1), two=story(2))
    assert html == "[1 Story 1 3][1 Story 1 3][2 Story 1 2][3 Story 2 3]"
    assert len(calls) == 3


def test_without_a_memo_every_call_renders(tmp_path: Path) -> None:
    env, calls = environment(tmp_path, PAGE)
    html = env.get_template("page.html").render(one=story(1), two=story(2))
    assert html == "[1 Story 1 3][2 Story 1 3][3 Story 1 2][4 Story 2 3]"
    assert len(calls) == 4


def test_a_list_argument_is_rendered_each_time(tmp_path: Path) -> None:
    """A list has no value to compare by (and its id can be a later list's): not kept."""
    env, calls = environment(tmp_path, '{{ partial("teaser.html", article=one, level=[1]) }}'
                                       '{{ partial("teaser.html", article=one, level=[1]) }}')
    with partials.memo(partials.Memo()):
        env.get_template("page.html").render(one=story(1))
    assert len(calls) == 2


def test_a_reused_partial_counts_as_read_by_each_page(tmp_path: Path) -> None:
    env, _ = environment(tmp_path, '{{ partial("teaser.html", article=one, level=3) }}')
    template = env.get_template("page.html")
    one = story(1)
    with partials.memo(partials.Memo()):
        for _ in range(2):  # the second page's teaser is the first's, reused
            with recording.recording() as reads:
                template.render(one=one)
            record, objects = recording.fold(reads)
            assert objects == [one] and record == ("aa1.md", "title")


def test_the_memo_keeps_at_most_its_limit(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partials, "MAX_KEPT", 2)
    env, calls = environment(tmp_path, PAGE + PAGE)
    kept = partials.Memo()
    with partials.memo(kept):
        env.get_template("page.html").render(one=story(1), two=story(2))
    assert len(kept.html) == 2
    # Three distinct teasers through a memo of two, oldest dropped first: each first call
    # of the second page finds its teaser dropped already (the repeat right after it hits).
    assert len(calls) == 6


def test_language_functions_read_the_site_a_loop_or_block_sets(tmp_path: Path) -> None:
    """`t` and `partial` get the page's context itself in loops and blocks (no derived copy),
    except where the loop or block sets `site` (`{% set %}`): then they see that one, as
    with any function Jinja2 hands its context."""
    from types import SimpleNamespace

    from sitegen.locale.catalogue import plain_strings

    page = ('{% set x = 1 %}{{ t("nav.search") }}|'
            '{% for n in [1] %}{{ t("nav.search") }}{% endfor %}|'
            '{% for other in others %}{% set site = other %}{{ t("nav.search") }}'
            '{{ partial("teaser.html", article=one, level=site.language) }}{% endfor %}|'
            '{% for site in others %}{{ t("nav.search") }}{% endfor %}|'
            '{% block b %}{% set site = others[0] %}{{ t("nav.search") }}{% endblock %}')
    env, _ = environment(tmp_path, page)
    # What the language functions read of a site (a SiteInfo in a build).
    english = SimpleNamespace(language="en", strings=plain_strings("en"))
    french = SimpleNamespace(language="fr", strings=plain_strings("fr"))
    html = env.get_template("page.html").render(site=english, others=[french], one=story(1))
    shown = html.split("|")
    assert shown[0] == shown[1] == plain_strings("en").html("nav.search")
    assert shown[2].startswith(plain_strings("fr").html("nav.search")) and shown[2].endswith(
        " Story 1 fr]")
    assert shown[3] == shown[0]  # a loop's own target is not in the context Jinja2 hands on
    assert shown[4] == plain_strings("fr").html("nav.search") != shown[0]
