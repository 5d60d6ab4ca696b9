"""What changed since the build that wrote the output: the change set of refs.

A page's key digests its shape (template, configuration, site-wide values, its own fields
and context: sitegen.engine.keys) and the values of what its record of reads names, looked
up by ref. Looking up 30 reads for each of 16,500 pages was most of an incremental build's
keying, although an edit changes the values of one or two refs. So each build keeps, per
output folder, the shape of every page it keyed and a fingerprint of every ref's value;
the next build compares the fingerprints (or, in the dev server, which objects are still
the very ones of the last build) and gets the refs whose value may have changed. A page
whose shape is the one it had and whose record names none of those refs has the key its
file was written with; every other page is keyed in full, as before.

The change set may be larger than what changed (a fingerprint digests the whole object,
an article's also the authors, tags and section it holds), never smaller: a kept key is
one the full computation would give. A changed template, configuration, theme or clock
changes every shape it enters (the key's base part), so those pages are keyed in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.engine.digests import Digester

# A page's key that no later build may keep (see PageKeys.rendered): never taken as is.
UNMATCHED = "unmatched "


@dataclass(frozen=True)
class Since:
    """The output's last keying: the refs whose value may differ now, each page's (and
    feed's) shape then, and the key each file was written with (the manifest)."""

    changed: frozenset[str]
    shapes: Mapping[str, str]
    manifest: Mapping[str, tuple[str, object]]  # output path -> (key, its file)

    def kept(self, path: str, shape: str, refs: tuple[str, ...]) -> str | None:
        """The key `path` was written with, when it holds still: same shape, and none of
        `refs` (what the page read, or the articles a feed shows) changed."""
        if self.shapes.get(path) != shape or not self.changed.isdisjoint(refs):
            return None
        hit = self.manifest.get(path)
        if hit is None or hit[0].startswith(UNMATCHED):
            return None
        return hit[0]


# What a build keyed its pages from, kept with the output's manifest for the next one:
# each ref's fingerprint (None: not taken, as in the dev server's rebuilds, which compare
# objects instead), and each output path's shape.
Keyed = tuple[dict[str, str] | None, dict[str, str]]


def fingerprints(entities: Mapping[str, Any], digester: Digester) -> dict[str, str]:
    """A digest of each ref's whole value (an article's from its inputs, seeded at
    assembly: sitegen.engine.digests.seed_article)."""
    text = digester.text
    return {ref: text(value) for ref, value in entities.items()}


def by_fingerprint(then: Mapping[str, str], now: Mapping[str, str]) -> frozenset[str]:
    """The refs whose fingerprint differs, or that one of the builds lacks."""
    changed = {ref for ref, print_ in now.items() if then.get(ref) != print_}
    changed.update(ref for ref in then if ref not in now)
    return frozenset(changed)


def by_identity(then: Mapping[str, Any], now: Mapping[str, Any]) -> frozenset[str]:
    """The refs whose object is not the last build's very one (the dev server keeps every
    article, author, tag and section it can: sitegen.engine.load), or that one lacks."""
    changed = {ref for ref, value in now.items() if then.get(ref) is not value}
    changed.update(ref for ref in then if ref not in now)
    return frozenset(changed)


def since(keyed: Keyed | None, manifest: Mapping[str, tuple[str, object]],
          entities: Mapping[str, Any], digester: Digester,
          last: Mapping[str, Any] | None) -> tuple[Since | None, dict[str, str] | None]:
    """What changed since the output's pages were keyed (`keyed`, with its `manifest`),
    and the refs' fingerprints to keep for the next build. The dev server's rebuild from
    its last build (`last`: that build's objects by ref) compares objects, and keeps no
    fingerprints (a later `sitegen build` keys every page in full once)."""
    if last is not None:
        return (None if keyed is None else
                Since(by_identity(last, entities), keyed[1], manifest)), None
    prints = fingerprints(entities, digester)
    if keyed is None or keyed[0] is None:
        return None, prints
    return Since(by_fingerprint(keyed[0], prints), keyed[1], manifest), prints


def patched(keyed: Keyed | None, redone: set[str]) -> Keyed:
    """The record after the dev server's patch wrote `redone` with new keys: their shapes
    are not known to match those keys, and the patched objects' fingerprints were not
    taken (the next build from its last compares objects; a `sitegen build` keys in full).
    The shapes are taken out in place: they hold for no reader any more, and copying the
    others was 80 ms of each save's rebuild at 100,000 articles."""
    shapes: dict[str, str] = {} if keyed is None else keyed[1]
    for path in redone:
        shapes.pop(path, None)
    return None, shapes
