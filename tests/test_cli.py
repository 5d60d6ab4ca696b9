"""The command line as a user meets it: entry points, --version, --help, exit codes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_sitegen

from sitegen import __version__


def test_python_m_sitegen_version() -> None:
    result = run_sitegen("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sitegen {__version__}"


def _commands() -> list[str]:
    from sitegen.cli import make_parser

    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # argparse keeps them here
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command: str) -> None:
    result = run_sitegen(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: sitegen {command}" in result.stdout


def test_no_command_prints_help_and_exits_2() -> None:
    result = run_sitegen()
    assert result.returncode == 2 and "build" in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = run_sitegen("build", "--no-such-flag")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_build_in_current_folder(make_site) -> None:
    site = make_site()
    result = run_sitegen("build", "--now", "2026-01-01T00:00:00Z", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "build/index.html").is_file()


def test_wheel_ships_the_default_theme(tmp_path: Path) -> None:
    """A `pip install` user has no repository checkout: the theme must be inside the package."""
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                             str(tmp_path), str(REPO)], capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("sitegen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sitegen/themes/default/templates/article.html" in names
    assert "sitegen/themes/default/static/css/style.css" in names
    assert "sitegen/engine/build.py" in names
    assert {"sitegen/locale/messages/en.yaml", "sitegen/locale/messages/fa.yaml",
            "sitegen/locale/messages/zh-Hant.yaml"} <= names  # the catalogues are data


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["build", "--help"]])
def test_help_and_version_load_no_stage_of_the_build(argv: list[str]) -> None:
    """`sitegen --help` starts fast: no Jinja2, Markdown, PyYAML, watchdog or stage module."""
    probe = ("import sys; from sitegen.cli import main\n"
             f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
             "{'jinja2', 'markdown', 'yaml', 'watchdog', 'babel'} or m.startswith(("
             "'sitegen.engine', 'sitegen.locale', "
             "'sitegen.content', 'sitegen.model', 'sitegen.plan', 'sitegen.render', "
             "'sitegen.output', 'sitegen.serve')))\n"
             "print('LOADED', heavy)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert "LOADED []" in result.stdout, result.stdout


def test_a_build_with_nothing_to_do_loads_no_stage(tmp_path: Path) -> None:
    """The no-op check runs before any of the pipeline is imported: an up-to-date `sitegen
    build` loads no Jinja2, Markdown or PyYAML, and no stage but the check's own modules."""
    site = tmp_path / "site"
    (site / "content/articles").mkdir(parents=True)
    (site / "sitegen.yaml").write_text("title: T\nbase_url: https://t.test/\n")
    (site / "content/articles/a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-01T00:00:00Z\n---\nBody.\n")
    probe = ("import sys; from sitegen.cli import main\n"
             f"code = main(['build', '--site', {str(site)!r}, '-q', '--now', "
             "'2025-01-01T00:00:00Z'])\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
             "{'jinja2', 'markdown', 'yaml', 'watchdog'} or m.startswith(('sitegen.content', "
             "'sitegen.model', 'sitegen.plan', 'sitegen.render.pages', 'sitegen.serve', "
             "'sitegen.engine.build', 'sitegen.engine.cache')))\n"
             "print('EXIT', code, 'LOADED', heavy)")
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True)
    assert "EXIT 0 LOADED [" in first.stdout and "'jinja2'" in first.stdout  # it built
    second = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert "EXIT 0 LOADED []" in second.stdout, second.stdout
