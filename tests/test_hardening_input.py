"""Hostile front matter: tag counts, calendar edges and control characters are errors at
their line (or accepted where valid), never a traceback, and build/ stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO, run_sitegen, tree_bytes

from sitegen.dates import LAST
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


# ---------------------------------------------------------------- calendar edges


def dated(date: str, extra: str = "") -> str:
    return f"---\ntitle: Dated\ndate: {date}\n{extra}---\nBody.\n"


OUTSIDE = "is outside the dates sitegen can publish (0001-01-03 to 9999-12-29, in UTC)"


@pytest.mark.parametrize(("date", "message"), [
    ("2023-02-29", "`date` is not a valid date (day is out of range for month)"),
    ("2100-02-29", "`date` is not a valid date (day is out of range for month)"),
    ("0000-01-01", "`date` is not a valid date (year 0 is out of range)"),
    ("10000-01-01", "`date` is not a valid date (`10000-01-01` is not an ISO date)"),
    ("0001-01-01", f"`date` 0001-01-01T00:00:00+00:00 {OUTSIDE}"),
    ("0001-01-01T00:00:00+14:00", f"`date` 0001-01-01T00:00:00+14:00 {OUTSIDE}"),
    ("9999-12-31T23:59:59-12:00", f"`date` 9999-12-31T23:59:59-12:00 {OUTSIDE}"),
    ("9999-12-31", f"`date` 9999-12-31T00:00:00+00:00 {OUTSIDE}"),
    ('"9999-12-31T23:59:59.999999+23:59"', f"`date` 9999-12-31T23:59:59.999999+23:59 {OUTSIDE}"),
])
def test_a_date_at_the_calendar_s_edge_is_an_error_at_its_line(make_site, cli, date: str,
                                                                message: str) -> None:
    site = make_site()
    result = broken_build(cli, site, dated(date), "--future")
    assert result.code == 1, result.err
    assert f"{ARTICLE}:3:7: error: {message}" in result.err


@pytest.mark.parametrize("date", ["0001-01-03", "9999-12-29", "2024-02-29",
                                  "1969-12-31T23:59:59Z", "2000-02-29T23:00:00-12:00"])
@pytest.mark.parametrize("timezone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_a_date_just_inside_the_edges_builds(make_site, cli, date: str,
                                             timezone: str) -> None:
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://example.test/\n"
                      f"timezone: {timezone}\n"})
    result = broken_build(cli, site, dated(date), "--future")
    assert result.code == 0, result.err


def test_updated_before_the_date_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, dated("2024-01-05", "updated: 2024-01-04\n"))
    assert result.code == 1
    assert (f"{ARTICLE}:4:10: error: `updated` (2024-01-04T00:00:00+00:00) is before `date` "
            "(2024-01-05T00:00:00+00:00)") in result.err


def test_an_updated_date_past_the_edge_is_an_error(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, dated("2024-01-05", "updated: 9999-12-31\n"))
    assert result.code == 1
    assert f"{ARTICLE}:4:10: error: `updated` 9999-12-31T00:00:00+00:00 {OUTSIDE}" in result.err


@pytest.mark.parametrize("now", ["9999-12-31", "0001-01-01T00:00:00+01:00"])
def test_now_past_the_edge_is_a_usage_error(make_site, now: str) -> None:
    site = make_site()
    done = run_sitegen("build", "--site", site, "--now", now)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "argument --now:" in done.stderr and OUTSIDE.split(" (")[0] in done.stderr


@pytest.mark.parametrize("epoch", ["253402300799", "99999999999999999999", "-99999999999",
                                   "soon"])
def test_source_date_epoch_past_the_edge_is_a_usage_error(make_site, epoch: str) -> None:
    site = make_site()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                          env={**os.environ, "PYTHONPATH": str(REPO),
                               "SOURCE_DATE_EPOCH": epoch},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"SOURCE_DATE_EPOCH={epoch} is not a time sitegen can build at" in done.stderr
    assert not (site / "build").exists()


def test_source_date_epoch_at_the_last_second_builds(make_site) -> None:
    site = make_site()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                          env={**os.environ, "PYTHONPATH": str(REPO),
                               "SOURCE_DATE_EPOCH": str(int(LAST.timestamp()))},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- control characters


@pytest.mark.parametrize(("field", "escape", "code"), [
    ("title", "\\x00", "U+0000"), ("title", "\\u0007", "U+0007"), ("title", "\\e", "U+001B"),
    ("subtitle", "\\x85", "U+0085"),
    ("title", "\\uffff", "U+FFFF"), ("summary", "\\x7f", "U+007F"),
])
def test_a_control_character_from_a_yaml_escape_is_an_error_at_its_line(
        make_site, cli, field: str, escape: str, code: str) -> None:
    site = make_site()
    text = (f"---\ntitle: Plain\ndate: 2024-01-05\n{field}: \"Before{escape}after\"\n---\n"
            "Body.\n").replace("title: Plain\n", "", 1 if field == "title" else 0)
    result = broken_build(cli, site, text)
    assert result.code == 1, result.err
    line = 3 if field == "title" else 4
    assert f"{ARTICLE}:{line}:" in result.err
    assert f"`{field}` holds a" in result.err and f"({code}" in result.err
    assert "Remove it." in result.err


@pytest.mark.parametrize("where", ["title", "tags", "author-name", "extra"])
def test_a_bidi_override_anywhere_in_front_matter_is_an_error(make_site, cli,
                                                              where: str) -> None:
    evil = '"Ann \\u202egnp.exe"'
    site = make_site()
    if where == "author-name":
        assert build(cli, site).code == 0
        before = tree_bytes(site / "build")
        (site / "content/authors/ann-lee.yaml").write_text(f"name: {evil}\n")
        result = build(cli, site)
        assert result.code == 1 and tree_bytes(site / "build") == before
        assert ("content/authors/ann-lee.yaml:1:7: error: `name` holds a bidirectional "
                "override") in result.err
        return
    fields = {"title": f"title: {evil}\n", "tags": f"title: T\ntags: [Iran, {evil}]\n",
              "extra": f"title: T\nextra:\n  note: {evil}\n"}[where]
    result = broken_build(cli, site, f"---\n{fields}date: 2024-01-05\n---\nBody.\n")
    assert result.code == 1, result.err
    key = where
    assert f"`{key}` holds a bidirectional override (U+202E)" in result.err


def test_a_lone_surrogate_escape_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, '---\ntitle: "Half \\ud800 a pair"\ndate: 2024-01-05\n'
                          '---\nBody.\n')
    assert result.code == 1
    assert f"{ARTICLE}:2:" in result.err and "invalid Unicode character escape" in result.err


def test_tabs_and_line_breaks_stay_valid(make_site, cli) -> None:
    site = make_site()
    result = broken_build(cli, site, '---\ntitle: "Tab\\there"\ndate: 2024-01-05\n'
                          'subtitle: |\n  Two\n  lines\n---\nBody.\n')
    assert result.code == 0, result.err
