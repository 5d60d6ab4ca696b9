"""The dev server's search index, made in the background after a build and swapped into the
output between builds (a Pagefind run takes seconds at 10,000 articles; the preview does not
wait for it). The Builder says when its index is behind (`session.search_builds`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.engine import session as session_mod
from sitegen.engine.request import output_dir
from sitegen.output import search
from sitegen.output.folder import swap_folder

if TYPE_CHECKING:
    from sitegen.engine.build import Builder


def search_job(builder: Builder) -> tuple[Path, Path, Path, int] | None:
    """In place with `search_later`: what the search index needs, if it is behind the
    output: (Pagefind, output folder, folder to index into, builds so far)."""
    session = builder.session
    if not session.search_later or session.pagefind is None or session.snapshot is None:
        return None
    if session.search_indexed == session.search_builds:
        return None
    out = output_dir(builder.options)
    return (session.pagefind, out, out.parent / f".{out.name}.search-next",
            session.search_builds)

def adopt_search(builder: Builder, out: Path, fresh: Path, builds: int) -> None:
    """Swap a search index made by `search_job` into the output (call between builds).
    Its files count as the output's (a later build leaves them), with no page key: the
    next `sitegen build` indexes again rather than trust them. Raises OutputLocked while
    another process writes the output."""
    with builder.locked(builder.options):
        files = swap_folder(out, search.INDEX_FOLDER, fresh)
    prefix = search.INDEX_FOLDER + "/"
    session = builder.session
    session.output_files = {rel: ino for rel, ino in (session.output_files or {}).items()
                            if not rel.startswith(prefix)}
    session.output_files.update((rel, file[0]) for rel, file in files.items())
    if builder.cache is not None:
        manifest = {rel: entry for rel, entry in builder.cache.manifests.get(str(out),
                                                                          {}).items()
                    if not rel.startswith(prefix)}
        manifest.update((rel, ("", file)) for rel, file in files.items())
        session_mod.remember_manifest(builder.cache, out, manifest,
                                      builder.cache.reads.get(str(out), {}),
                                      builder.cache.keyed.get(str(out), (None, {})))
    session.search_indexed = builds
