"""The progress line of a long `sitegen build` on a terminal, and its absence elsewhere."""

from __future__ import annotations

import io
import sys
import time

import pytest

from sitegen.commands import progress
from sitegen.commands.progress import ProgressLine

NOW = "2026-11-25T12:00:00+00:00"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_shows_stage_and_pages_then_clears() -> None:
    stream = _Terminal()
    with ProgressLine(stream, delay=0) as line:
        line.stage("render+write")
        line.pages(40, 120)
        time.sleep(progress.TICK * 2)
        assert stream.getvalue().endswith("\r\x1b[Krendering pages: 40 of 120")
    assert stream.getvalue().endswith("\r\x1b[K")


def test_a_quick_build_shows_nothing() -> None:
    stream = _Terminal()
    with ProgressLine(stream) as line:
        line.stage("content")
    assert stream.getvalue() == ""


def test_a_long_build_on_a_terminal_shows_it(make_site, cli, monkeypatch: pytest.MonkeyPatch,
                                             ) -> None:
    """As if the build took longer than a second: the line appears, and is gone before the
    summary."""
    site = make_site()
    monkeypatch.setattr(progress, "DELAY", 0.0)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 0
    text = terminal.getvalue()
    assert "\r\x1b[K" in text and "..." in text
    assert text.endswith("\r\x1b[K")
    assert result.out.startswith("Built ")


def test_nothing_extra_when_not_a_terminal_or_quiet(make_site, cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site()
    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = cli("build", "--site", site, "--now", NOW)  # captured: not a terminal
    assert result.code == 0 and "\r" not in result.err
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    quiet = cli("build", "--site", site, "--now", NOW, "--clean", "--quiet")
    assert quiet.code == 0 and terminal.getvalue() == "" and quiet.out == ""
