"""Which outputs an incremental build keys in full, and what it reads again to key them.

A build keeps each page's shape and each ref's fingerprint with the output's manifest
(sitegen.engine.changes): the next build keys in full only the pages whose shape changed
or whose record of reads names a ref whose value changed, and keeps the other keys as
they are. These tests build a fixture site from the cache on disk (as `sitegen build`
does, one Builder per build) and in the dev server's Builder, watch which outputs are
keyed in full, compare that with the set computed from the last build's records and
shapes, and check every result byte for byte against a clean build.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import tree_bytes
from newsroom import write_newsroom
from test_rebuild_counts import EDITED, clean_tree, edit, options

from sitegen.engine import cache as cache_mod
from sitegen.engine import changes, imagework, load
from sitegen.engine.bodystore import ArticleStore
from sitegen.engine.build import Builder, build
from sitegen.render.themes import default_theme_dir

REF = "a" + EDITED


class Watched:
    """A fixture site built from the cache on disk, and the outputs each build keyed in
    full (those whose last key the change set did not keep)."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
        self.out = tmp_path / "out"
        self.scratch = tmp_path
        self.full: set[str] = set()
        kept = changes.Since.kept

        def watching(since: changes.Since, path: str, shape: str,
                     refs: tuple[str, ...]) -> str | None:
            key = kept(since, path, shape, refs)
            if key is None:
                self.full.add(path)
            return key

        monkeypatch.setattr(changes.Since, "kept", watching)
        build(options(self.site, output=self.out))  # cold: nothing keyed
        # A first incremental build keys every page in full, and keeps what it keyed from.
        edit(self.site / "content/articles/2024/story-003.md", lambda t: t + "\nMore.\n")
        build(options(self.site, output=self.out))

    def keyed(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The last build's records of reads and shapes, as the cache on disk has them."""
        cache = cache_mod.load(self.site)
        (where,) = cache.reads
        return cache.reads[where], cache.keyed[where][1]

    def rebuild(self) -> tuple[tuple[str, ...], set[str]]:
        """Build; the pages rendered and the outputs keyed in full."""
        self.full = set()
        result = build(options(self.site, output=self.out))
        assert tree_bytes(self.out) == clean_tree(self.site, self.scratch)
        return result.rendered, self.full


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Watched:
    return Watched(tmp_path, monkeypatch)


def retag(text: str) -> str:
    return re.sub(r"^tags: \[", "tags: [elections, ", text, count=1, flags=re.M)


@pytest.mark.parametrize("change", [
    lambda t: t.replace('title: "Story number 7"', 'title: "A sharper headline"'),
    lambda t: t + "\nA late paragraph.\n",
    retag,
], ids=["headline", "body", "retag"])
def test_an_article_edit_keys_in_full_only_the_pages_reading_it_or_changed(
        watched: Watched, change: Callable[[str], str]) -> None:
    """Exactly the pages whose record names the edited article, or whose shape changed
    (a re-tagged article moves into a tag's listing), are keyed in full."""
    reads, shapes = watched.keyed()
    edit(watched.site / EDITED, change)
    rendered, full = watched.rebuild()
    after_reads, after_shapes = watched.keyed()
    reading = {path for path, record in reads.items() if REF in record[::2]}
    reshaped = {path for path, shape in after_shapes.items() if shapes.get(path) != shape}
    pages = {path for path in full if path in after_reads}
    assert pages == (reading | reshaped) & after_reads.keys()
    assert set(rendered) <= pages | (after_reads.keys() - reads.keys())
    assert len(pages) < len(after_reads) / 2  # the point: most pages keep their keys


def test_a_body_edit_keys_only_its_page(watched: Watched) -> None:
    """Listings read an article's headline, dek and date, not its body: but the article's
    fingerprint is its file, so every page reading it is keyed in full, and only its own
    page is rendered."""
    edit(watched.site / EDITED, lambda t: t + "\nA late paragraph.\n")
    rendered, full = watched.rebuild()
    (page,) = rendered
    assert page.endswith("story-007/index.html") and page in full


def test_a_template_edit_keys_every_page_using_it(watched: Watched) -> None:
    """A template's source is in the shape of each page using it: all of them are keyed
    in full (and rendered, the template's text being on them), no other page."""
    reads, _ = watched.keyed()
    template = watched.site / "themes/default/templates/tag.html"
    template.parent.mkdir(parents=True)
    source = (default_theme_dir() / "templates/tag.html").read_text()
    template.write_text(source.replace("{% block main %}", "{% block main %}<!-- t -->", 1))
    rendered, full = watched.rebuild()
    tag_pages = {p for p in reads if p.startswith("tags/") and p != "tags/index.html"}
    assert tag_pages and tag_pages <= full and set(rendered) == tag_pages
    assert not any(p.endswith(".html") and p not in tag_pages for p in full & reads.keys())


@pytest.mark.parametrize("setting", ["title: The Other Ledger\n", "timezone: Europe/Paris\n"])
def test_a_configuration_edit_keys_every_output(watched: Watched, setting: str) -> None:
    """The configuration is in every shape: every page and feed is keyed in full."""
    reads, shapes = watched.keyed()
    config = watched.site / "sitegen.yaml"
    text = config.read_text()
    config.write_text(re.sub(r"^title: .*\n", "", text, flags=re.M) + setting
                      if setting.startswith("title") else text + setting)
    _, full = watched.rebuild()
    assert full >= shapes.keys() & watched.keyed()[1].keys()
    assert reads.keys() <= full


def test_the_dev_server_changes_only_the_added_article(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In place, the change set is the refs whose object is not the last build's: after an
    article is added under existing tags, byline and section, every other article, author,
    tag and section is the last build's object, so the set is the new article alone; and
    the output is a clean build's."""
    site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
    out = tmp_path / "served"
    seen: set[frozenset[str]] = set()
    kept = changes.Since.kept

    def watching(since: changes.Since, path: str, shape: str,
                 refs: tuple[str, ...]) -> str | None:
        seen.add(since.changed)
        return kept(since, path, shape, refs)

    monkeypatch.setattr(changes.Since, "kept", watching)
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    added = site / "content/articles/2024/story-100.md"
    added.write_text((site / EDITED).read_text().replace("Story number 7", "Story 100"))
    result = builder.build(save_cache=False, changed=[added])
    assert tree_bytes(out) == clean_tree(site, tmp_path)
    assert result.rendered and seen == {frozenset({"acontent/articles/2024/story-100.md"})}


def test_the_image_stage_reads_only_the_bodies_that_show_pictures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store record says whether a body has an image: a build from the cache looks
    for pictures in that body alone, not in every article's."""
    site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
    edit(site / EDITED, lambda t: t + "\n![A chart](/images/chart.png)\n")
    out = tmp_path / "out"
    build(options(site, output=out))
    looked: list[str] = []
    srcs = imagework._body_srcs
    monkeypatch.setattr(imagework, "_body_srcs", lambda html: looked.append(html) or srcs(html))
    edit(site / "content/articles/2024/story-003.md", lambda t: t + "\nMore.\n")
    build(options(site, output=out))
    assert len(looked) == 1 and "chart.png" in looked[0]


def test_a_store_of_another_cache_format_is_emptied(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The store has no header of its own: its setup names the cache's format, so a new
    record layout (MAGIC bumped) never reads an old row."""
    site = write_newsroom(tmp_path / "site", articles=4, per_page=3)
    build(options(site, output=tmp_path / "out"))
    digests = [digest for _, digest, _ in cache_mod.load(site).stats.values()]
    assert ArticleStore(site, cache_mod.setup_id()).records(digests)
    monkeypatch.setattr(cache_mod, "MAGIC", b"SITEGEN-CACHE 999\n")
    assert ArticleStore(site, cache_mod.setup_id()).records(digests) == {}


def backdated(*paths: Path) -> None:
    """Files old enough for their stat signatures to be trusted (see engine.clock)."""
    for path in paths:
        for file in [path] if path.is_file() else path.rglob("*.*"):
            os.utime(file, (time.time() - 60, time.time() - 60))


def test_an_unchanged_article_is_not_checked_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked entries are kept in the store: a build checks only the front matter of the
    files read anew since the last build, and gives a clean build's bytes."""
    site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
    backdated(site / "content")
    out = tmp_path / "out"
    build(options(site, output=out))
    other = site / "content/articles/2024/story-003.md"
    backdated(edit(other, lambda t: t + "\nMore.\n"))
    build(options(site, output=out))  # checks the entries read from the store, keeps them
    checked: list[str] = []
    read_entry = load.read_entry

    def counting(source: Any, *args: Any, **kw: Any) -> Any:
        checked.append(source.rel)
        return read_entry(source, *args, **kw)

    monkeypatch.setattr(load, "read_entry", counting)
    backdated(edit(site / EDITED, lambda t: t.replace('title: "Story number 7"',
                                                      'title: "Seven"')))
    build(options(site, output=out))
    # The file read anew last time is checked from its record once; the edited one is read.
    assert sorted(checked) == ["content/articles/2024/story-003.md", EDITED]
    assert tree_bytes(out) == clean_tree(site, tmp_path)
