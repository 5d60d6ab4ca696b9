"""A template that never ends: a range too long is an error at its line, a render that
runs too long is stopped at its line, and Ctrl-C or SIGTERM stop `sitegen build` and
`sitegen serve` mid-render, leaving build/ as the last good build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO, tree_bytes
from serve_support import ServeProcess

from sitegen.render import deadline

FOREVER = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
THEME = {"sitegen.yaml": "title: T\nbase_url: https://example.test/\ntheme: mine\n",
         "themes/mine/theme.txt": "a theme of its own: article.html, the rest the default's\n"}


def build(cli, site: Path):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat())


def never_ending(site: Path) -> None:
    (site / "themes/mine/templates").mkdir(parents=True, exist_ok=True)
    (site / "themes/mine/templates/article.html").write_text("{{ this.title }}\n" + FOREVER)


def test_a_huge_range_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site(THEME)
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    (site / "themes/mine/templates").mkdir(parents=True, exist_ok=True)
    (site / "themes/mine/templates/article.html").write_text(
        "{{ this.title }}\n{% for i in range(10**12) %}{% endfor %}\n")
    result = build(cli, site)
    assert result.code == 1
    assert ("themes/mine/templates/article.html:2:1: error: template error: range() of "
            "1000000000000 items in a template; at most 100000") in result.err
    assert tree_bytes(site / "build") == before


def test_a_render_that_never_ends_is_stopped_at_its_line(make_site, cli, monkeypatch) -> None:
    monkeypatch.setattr(deadline, "RENDER_TIMEOUT", 1.0)
    site = make_site(THEME)
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    never_ending(site)
    start = time.monotonic()
    result = build(cli, site)
    assert result.code == 1 and time.monotonic() - start < 30
    assert ("themes/mine/templates/article.html:2:1: error: template error: rendering took "
            "over 1 s and was stopped") in result.err
    assert tree_bytes(site / "build") == before


def test_recursion_in_a_template_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site(THEME)
    (site / "themes/mine/templates").mkdir(parents=True, exist_ok=True)
    (site / "themes/mine/templates/article.html").write_text(
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}\n")
    result = build(cli, site)
    assert result.code == 1
    assert "themes/mine/templates/article.html:1:1: error: template error: maximum recursion" \
        in result.err


@pytest.mark.parametrize("which", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_never_ending_build(make_site, cli, which: signal.Signals) -> None:
    site = make_site(THEME)
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    never_ending(site)
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                                "--now", FIXED_NOW.isoformat(), "--jobs", "1"],
                               env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)  # well into the render
    process.send_signal(which)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert tree_bytes(site / "build") == before
    assert not list(site.glob(".build.tmp-*")) or build(cli, site).code == 1


@pytest.mark.parametrize("which", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_serve_during_a_never_ending_render(make_site,
                                                           which: signal.Signals) -> None:
    site = make_site(THEME)
    server = ServeProcess("--site", site, "--port", "0")
    try:
        server.url()
        before = tree_bytes(site / "build")
        never_ending(site)
        time.sleep(2.0)  # the rebuild is rendering forever
        server.proc.send_signal(which)
        start = time.monotonic()
        code = server.stop()
        assert code == 0 and time.monotonic() - start < 15, "".join(server.out + server.err)
        assert "Traceback" not in "".join(server.err)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    assert tree_bytes(site / "build") == before
