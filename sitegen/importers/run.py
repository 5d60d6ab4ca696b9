"""`sitegen import --from KIND SOURCE`: read the source, write the site, print the report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from sitegen.config import load_config
from sitegen.errors import Problems, UsageError
from sitegen.importers import READERS
from sitegen.importers.pieces import Archive
from sitegen.importers.site import plan_site, write_planned


def reader(kind: str) -> Callable[[Path], Archive]:
    module, _, name = READERS[kind].partition(":")
    function: Callable[[Path], Archive] = getattr(importlib.import_module(module), name)
    return function


def run_import(kind: str, source: Path, site: Path, force: bool) -> list[str]:
    """Import `source` (a `kind` site folder, or a WXR file) into `site`; the report lines.
    Raises (and writes nothing) when a file of the site is in the way."""
    if kind == "wordpress" and not source.is_file():
        raise UsageError(f"{source}: not a file. Give the WXR export file that WordPress's "
                         "Tools > Export writes (an .xml file).")
    if kind != "wordpress" and not source.is_dir():
        raise UsageError(f"{source}: not a folder. Give the {kind} site's folder (the one "
                         "that holds its configuration file).")
    site = site.resolve()
    source = source.resolve()
    if source == site or (site.is_relative_to(source) and kind != "wordpress"):
        raise UsageError(f"{site}: the site is inside the source folder {source}. Make the "
                         "sitegen site in a folder of its own (sitegen new site DIR).")
    config = load_config(site)
    archive = reader(kind)(source)
    planned = plan_site(archive, site, config)
    done = write_planned(planned, force, Problems(site))
    report = archive.report
    written = [line for line in done if line.startswith("wrote")]
    report.counts["files written"] = len(written)
    report.counts["files unchanged"] = sum(line.startswith("unchanged") for line in done)
    return [*written, *report.lines(), *(line for line in done if ": warning: " in line)]
