"""Shared fixtures: real fixture sites on disk, the CLI run in-process or as a subprocess,
and real headless Chromium (Debian's package) through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scripts.demo_site import demo_copy as demo_copy  # the tests build copies of the demo
from sitegen.cli import main as cli_main

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Fixture sites are built "now" = this instant, so future/draft tests never depend on the clock.
FIXED_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a fixture site: {relative path: text or bytes}; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


# The small valid site most tests start from: three articles (Markdown and plain text, one
# with two authors), two sections, two authors and a page.
BASE_SITE: dict[str, str | bytes] = {
    "sitegen.yaml": """
        title: Test Times
        base_url: https://example.test/
        per_page: 2
    """,
    "content/authors/ann-lee.yaml": """
        name: Ann Lee
        role: Senior Editor
        bio: Ann Lee is *Senior Editor* for Test Times.
        links:
          website: https://example.test/ann
    """,
    "content/authors/bo-chen.yaml": "name: Bo Chen\nrole: Correspondent\n",
    "content/articles/2024/first.md": """
        ---
        title: First Story
        subtitle: The dek of the first story
        date: 2024-03-01T10:00:00Z
        author: ann-lee
        tags: [Iran, Sanctions]
        section: news
        ---
        The first paragraph of the "first" story.

        A second paragraph.
    """,
    "content/articles/2024/second.md": """
        ---
        title: Second Story
        date: 2024-03-02T10:00:00Z
        authors: [ann-lee, bo-chen]
        tags: [Iran]
        section: opinion
        ---
        Body of the second story.
    """,
    "content/articles/2024/third.txt": """
        ---
        title: Third Story
        date: 2024-03-03
        author: bo-chen
        tags: [Sanctions]
        section: news
        ---
        Plain *text* with "quotes" -- and a URL https://example.test/x.
    """,
    "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
}


def write_site(site: Path, files: dict[str, str | bytes] | None = None, *,
               base: bool = True) -> Path:
    """The small valid site (BASE_SITE) plus `files`, written at `site`."""
    if base:
        write_files(site, BASE_SITE)
    if files:
        write_files(site, files)
    return site


@pytest.fixture
def make_site(tmp_path: Path):
    """Returns a function that writes a small valid site plus `files`, and its folder."""

    def _make(files: dict[str, str | bytes] | None = None, *, base: bool = True) -> Path:
        return write_site(tmp_path / "site", files, base=base)

    return _make


def run_cli(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> CliResult:
    code = cli_main([str(a) for a in args])
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `sitegen ARGS` in-process; returns exit code, stdout and stderr."""
    return lambda *args: run_cli(*args, capsys=capsys)


def run_sitegen(*args: str | Path, cwd: Path | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess (for exit codes, signals and tracebacks)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to compare whole trees."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """Real headless Chromium. Skips outside CI when missing; with CI=true a missing one fails."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: run scripts/test.sh")
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's demo site (content/), built once per session at FIXED_NOW into tmp.

    Tests only read it. Pagefind indexes it for search when installed.
    """
    from sitegen.engine.build import BuildOptions, build

    out = tmp_path_factory.mktemp("demo") / "build"
    build(BuildOptions(site=demo_copy(out.parent / "site"), output=out, now=FIXED_NOW))
    return out

