"""Site search with Pagefind: find its binary, and index a finished output tree.

Pagefind (`pagefind[bin]`, its binary as a wheel) is a dependency, so a plain install has
search; a binary that cannot run on this machine turns search off with a note saying why,
as a missing one does. When it is found,
the build runs it on the new output folder before that folder is swapped in, so a failed index
leaves the last good site in place. Only elements marked `data-pagefind-body` (the article
bodies) are indexed, so navigation and listing pages never show up as results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from sitegen.errors import SitegenError

INDEX_FOLDER = "pagefind"  # inside the output
# Pagefind's own PyPI package: `sitegen[search]` would name PyPI's unrelated "sitegen" outside a
# checkout (there, `scripts/setup.sh search` installs the same extra).
ENABLE_SEARCH_COMMAND = 'pip install "pagefind[bin]"'
INDEX_TIMEOUT = 600  # seconds; a large archive indexes in well under a minute
NOT_INSTALLED = "Pagefind is not installed"
PROBE_TIMEOUT = 20  # seconds for `pagefind --version`
_LAST_PROBLEM: list[str] = []  # why the last find_pagefind() found none


def _lower_priority() -> None:
    os.nice(10)


class SearchIndexError(SitegenError):
    """Pagefind ran and failed; the output folder was left as it was (exit 1)."""

    exit_code = 1


def find_pagefind() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, the `pagefind[bin]` package, else PATH.

    The Python package's own lookup is used when it is installed, so sitegen finds exactly
    the binary `python -m pagefind` would run. None when there is no runnable binary.
    """
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = os.environ.get("PAGEFIND_BINARY_PATH") or shutil.which("pagefind")
        binary = Path(found) if found else None
    else:
        binary = get_executable()
    if binary is None or not binary.is_file() or not os.access(binary, os.X_OK):
        _LAST_PROBLEM[:] = [NOT_INSTALLED]
        return None
    try:
        st = binary.stat()
    except OSError:
        return None
    problem = _probe(str(binary), st.st_size, st.st_mtime_ns)
    _LAST_PROBLEM[:] = [problem] if problem else []
    return None if problem else binary


@lru_cache(maxsize=4)
def _probe(binary: str, _size: int, _mtime: int) -> str | None:
    """Why the binary cannot run here (a wheel for another machine, a missing library), or
    None: `pagefind --version`, once per binary file."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return f"Pagefind's binary {binary} cannot run on this machine ({reason})"
    if done.returncode < 0 or done.returncode in (126, 127):  # killed (SIGILL...), or a
        # wrapper that could not execute it; any other failure is the index's to report
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return (f"Pagefind's binary {binary} cannot run on this machine (exit "
                f"{done.returncode}: {detail[0][:200]})")
    return None


def disabled_note() -> str:
    """What the build says when search is on in sitegen.yaml but no Pagefind can index."""
    problem = _LAST_PROBLEM[0] if _LAST_PROBLEM else NOT_INSTALLED
    return (f"note: search is off because {problem}; /search/ says so. To enable it, run "
            f"`{ENABLE_SEARCH_COMMAND}` (reinstall it if it is there) and build again.")


def index(binary: Path, site: Path, output: Path | None = None,
          running: list[subprocess.Popen[str]] | None = None) -> None:
    """Write Pagefind's index and UI into `site/pagefind/` (or `output`); raise
    SearchIndexError on failure. With `running` (the dev server's), Pagefind runs at low CPU
    priority and is listed there while it runs, so that stopping the server can stop it."""
    command = [str(binary), "--site", str(site), "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True,
                                   preexec_fn=_lower_priority if running is not None else None)
    except OSError as exc:
        raise SearchIndexError(f"search: could not run Pagefind ({binary}): {exc}. The previous "
                               "build was kept. Reinstall it with "
                               f"`{ENABLE_SEARCH_COMMAND}` or uninstall it.") from None
    if running is not None:
        running.append(process)
    try:
        stdout, stderr = process.communicate(timeout=INDEX_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SearchIndexError(f"search: Pagefind ({binary}) took over {INDEX_TIMEOUT} s. The "
                               "previous build was kept.") from None
    finally:
        if running is not None:
            running.remove(process)
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if done.returncode != 0 and "not able to build an index" in done.stdout + done.stderr:
        return  # nothing with text to index (empty article bodies): an empty search, no error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchIndexError(f"search: Pagefind failed (exit {done.returncode}): "
                               + " / ".join(detail) + ". The previous build was kept.")
