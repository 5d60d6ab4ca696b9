"""Search from the plain install: Pagefind is a dependency; a binary that cannot run on
this machine turns search off with a note saying why, never a failed build."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO

from sitegen.output import search


def test_pagefind_is_a_dependency_of_the_plain_install() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert any(dep.startswith("pagefind[bin]") for dep in project["dependencies"])


@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01\x01garbage", b"#!/no/such/loader\n",
                                     b"#!/bin/sh\nkill -ILL $$\n"])
def test_a_binary_that_cannot_run_turns_search_off_with_the_reason(
        make_site, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    binary = tmp_path / "pagefind"
    binary.write_bytes(content)
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    site = make_site()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert f"note: search is off because Pagefind's binary {binary} cannot run on this " \
           "machine (" in result.err
    assert 'pip install "pagefind[bin]"' in result.err
    assert not (site / "build/pagefind").exists()
    assert "Traceback" not in result.err


def test_a_missing_binary_says_it_is_not_installed(make_site, cli, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere"))
    site = make_site()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0
    assert "note: search is off because Pagefind is not installed" in result.err
    assert search.find_pagefind() is None
