"""Site search with Pagefind: find its binary, and index a finished output tree.

Pagefind is optional (`pip install "pagefind[bin]"`, or the `search` extra). When it is found,
the build runs it on the new output folder before that folder is swapped in, so a failed index
leaves the last good site in place. Only elements marked `data-pagefind-body` (the article
bodies) are indexed, so navigation and listing pages never show up as results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sitegen.errors import SitegenError

INDEX_FOLDER = "pagefind"  # inside the output
# Pagefind's own PyPI package: `sitegen[search]` would name PyPI's unrelated "sitegen" outside a
# checkout (there, `scripts/setup.sh search` installs the same extra).
ENABLE_SEARCH_COMMAND = 'pip install "pagefind[bin]"'
INDEX_TIMEOUT = 600  # seconds; a large archive indexes in well under a minute
DISABLED_NOTE = (f"note: search is off because Pagefind is not installed; /search/ says so. "
                 f"To enable it, run `{ENABLE_SEARCH_COMMAND}` and build again.")


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
        return None
    return binary


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
