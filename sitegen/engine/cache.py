"""The build cache beside the site (`.sitegen-cache/`): what the last build learnt.

It holds, per article file, its stat signature and content digest; and, per output folder,
the key and inode of every file written (the manifest), so that the next build can keep
unchanged pages without rendering them. Per content digest, the parsed front matter and the
rendered body (Markdown is most of a cold build) are in the article store beside it
(sitegen.engine.bodystore), which a build reads article by article rather than whole: this
file stays small for a large archive, and loading it loads no body.

The file is `marshal` data behind a header naming the format, the Python version (marshal's
format follows it), the sitegen version and the Markdown set-up, and the data's CRC-32 and
length. The data is written in frames of a few thousand entries each (`_frames`), so that
saving a large archive's cache never holds a second copy of it in memory: at 100,000
articles the file is about 100 MB.
A cache written by another version or set-up, or one that is truncated or corrupted, fails
those checks and is ignored: the build then runs cold, never on doubtful data. `--clean`
ignores it on purpose. Writes go to a temporary file renamed into place, so a killed build
leaves the old cache or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import markdown
import yaml

from sitegen import __version__
from sitegen.content import fastpatterns, handin, markup, plaintext, sanitize, sources, yamlio
from sitegen.engine.bodystore import ArticleStore, MemoryStore, Store
from sitegen.engine.changes import Keyed
from sitegen.engine.clock import RACY_NS as RACY_NS
from sitegen.engine.clock import now_ns as now_ns
from sitegen.model.refs import ReadSet
from sitegen.names import CACHE_DIR as CACHE_DIR
from sitegen.output.write import Manifest

CACHE_FILE = "build-cache.bin"
# 3: with what each page read; 4: images; 5: records in the article store; 6: a record
# says whether its body shows pictures, and what each output was keyed from
# 7: in frames (written and read a frame at a time)
MAGIC = b"SITEGEN-CACHE 7\n"

Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def setup_id() -> str:
    """Everything cached data depends on besides the content itself (the format too: the
    article store, which has no header of its own, is emptied when its records change)."""
    return "|".join([
        MAGIC.decode().strip(), f"sitegen {__version__}", f"python {sys.version_info[:3]}",
        f"markdown {markdown.__version__}", f"pyyaml {yaml.__version__}",
        f"extensions {markup.EXTENSIONS}", f"code {_code_digest()}",
    ])


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """The source of the modules cached data comes from: a change to them (even without a
    version bump, as in development) must not reuse what the old code produced."""
    h = hashlib.blake2b(digest_size=8)
    for module in (markup, plaintext, fastpatterns, sources, yamlio, sanitize, handin):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


def signature(st: os.stat_result) -> Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Cache:
    """The cached data of one site; empty when there was none or it was not trusted."""

    # rel path -> (signature, digest, scan time in ns)
    stats: dict[str, tuple[Signature, str, int]] = field(default_factory=dict)
    # content digest -> the parsed article record and its body (see content.read)
    store: Store = field(default_factory=MemoryStore)
    # resolved output folder -> {rel path: (key, inode)}
    manifests: dict[str, Manifest] = field(default_factory=dict)  # by output folder
    # resolved output folder -> {rel path: what the page read (sitegen.render.recording)}
    reads: dict[str, dict[str, ReadSet]] = field(default_factory=dict)
    # resolved output folder -> what its pages were keyed from (sitegen.engine.changes)
    keyed: dict[str, Keyed] = field(default_factory=dict)
    # related articles by the archive's shape (see sitegen.model.related)
    related: dict[str, Any] = field(default_factory=dict)
    # inline Markdown (bios, corrections): text -> HTML
    inline: dict[str, str] = field(default_factory=dict)
    # source image path -> (signature, scan time in ns, digest, width, height, format), the
    # files themselves in .sitegen-cache/images/ (see sitegen.engine.imagework)
    images: dict[str, Any] = field(default_factory=dict)
    loaded: bool = False
    dirty: bool = False

    def known_digest(self, rel: str, sig: Signature) -> str | None:
        """The digest recorded for `rel` if its signature matches and was not racy."""
        hit = self.stats.get(rel)
        if hit is None or hit[0] != sig or sig[1] >= hit[2] - RACY_NS:
            return None
        return hit[1]


def _checksum(crc: int, length: int) -> bytes:
    """Detects truncation and corruption (not tampering: the cache is the user's own file,
    like the templates beside it). 32 bytes: CRC-32 and length, padded."""
    return crc.to_bytes(4, "big") + length.to_bytes(8, "big") + bytes(20)


def cache_path(site: Path) -> Path:
    return site / CACHE_DIR / CACHE_FILE


def empty(site: Path) -> Cache:
    """A cache that believes nothing of the last build (`--clean`), its store emptied."""
    store = ArticleStore(site, setup_id())
    store.clear()
    return Cache(store=store)


def load(site: Path, believe: bool = True) -> Cache:
    """The site's cache, or an empty one if it is missing, foreign, truncated or corrupted,
    or not to be believed (`--clean`); its article store is then emptied too: its rows are
    only found through the cache."""
    if not believe:
        return empty(site)
    header = MAGIC + setup_id().encode() + b"\n"
    try:
        with open(cache_path(site), "rb") as f:
            if f.read(len(header)) != header:
                return empty(site)
            checksum = f.read(32)
            data = _undump(f, checksum)
    except Exception:  # unreadable, damaged, or a bug: never trust it
        return empty(site)
    if data is None:
        return empty(site)
    return Cache(stats=dict(data["stats"]), store=ArticleStore(site, setup_id()),
                 manifests=dict(data["manifests"]), reads=dict(data["reads"]),
                 keyed=dict(data["keyed"]), related=dict(data["related"]),
                 inline=dict(data["inline"]), images=dict(data["images"]), loaded=True)


def save(site: Path, cache: Cache) -> None:
    """Write the cache atomically; a failure to write only costs the next build time."""
    folder = site / CACHE_DIR
    header = MAGIC + setup_id().encode() + b"\n"
    tmp = folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        with open(tmp, "wb") as f:
            f.write(header)
            f.write(bytes(32))  # the checksum, known once the frames are written
            crc, length = 0, 0
            for frame in _dump(cache):
                crc, length = zlib.crc32(frame, crc), length + len(frame)
                f.write(frame)
            f.seek(len(header))
            f.write(_checksum(crc, length))
        os.replace(tmp, cache_path(site))
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def save_if_new(site: Path, cache: Cache) -> None:
    """Save the cache if it learnt anything since it was loaded; close its article store
    (its log folded in; opened again when next read)."""
    if cache.dirty or not cache.loaded:
        save(site, cache)
        cache.dirty = False
        cache.loaded = True
    cache.store.close()


FRAME_ITEMS = 4096  # entries of a dict per frame


def _dump(cache: Cache) -> Iterator[bytes]:
    """The cache's data as frames: each an 8-byte length and the marshal data of (path,
    items), the items of the dict at that path of keys (see `_frames`)."""
    data = {"stats": cache.stats, "manifests": cache.manifests,
            "reads": cache.reads, "keyed": cache.keyed, "related": cache.related,
            "inline": cache.inline, "images": cache.images}
    for path, items in _frames((), data):
        frame = marshal.dumps((path, items))
        yield len(frame).to_bytes(8, "big") + frame


def _frames(path: tuple[Any, ...], data: dict[Any, Any],
            ) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, Any]]]]:
    """(path, items): the dict at `path`, FRAME_ITEMS entries at a time, every dict in it
    (an output folder's manifest, its pages' reads) in frames of its own, after its place
    in this one (an empty dict, filled by those frames: the order of keys is kept). The
    first frame names the dict even when it is empty."""
    yield path, []
    items: list[tuple[Any, Any]] = []
    for key, value in data.items():
        nested = type(value) is dict
        items.append((key, {} if nested else value))
        if nested or len(items) == FRAME_ITEMS:
            yield path, items
            items = []
        if nested:
            yield from _frames((*path, key), value)
    if items:
        yield path, items


def _undump(f: BinaryIO, checksum: bytes) -> dict[str, Any] | None:
    """The data `_dump` framed, read a frame at a time (the file is never held whole);
    None when the frames do not add up to the checksum (truncated or corrupted)."""
    data: dict[Any, Any] = {}
    crc, length = 0, 0
    while size_bytes := f.read(8):
        frame = f.read(int.from_bytes(size_bytes, "big"))
        crc, length = zlib.crc32(frame, zlib.crc32(size_bytes, crc)), length + 8 + len(frame)
        path, items = marshal.loads(frame)
        node = data
        for key in path:
            node = node.setdefault(key, {})
        node.update(items)
    return data if _checksum(crc, length) == checksum else None


def prune(cache: Cache, rels: set[str]) -> None:
    """Forget files that are gone, and the stored records no file uses any more."""
    for rel in [r for r in cache.stats if r not in rels]:
        del cache.stats[rel]
        cache.dirty = True
    if cache.dirty:
        cache.store.keep_only({digest for _, digest, _ in cache.stats.values()})
