"""Incremental builds: byte-identical to clean builds, and they redo only what changed.

Every test compares whole output trees with a clean build (`--clean`, fresh output folder,
made from a copy of the site so that it cannot touch the incremental build's cache).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXED_NOW, tree_bytes
from newsroom import AUTHORS, SECTIONS, TAGS, article_text, write_newsroom

from sitegen.engine import cache as cache_mod
from sitegen.engine import uptodate
from sitegen.engine.build import Builder, BuildOptions, BuildResult, FirstPages, build
from sitegen.render.themes import default_theme_dir


def options(site: Path, **kw: object) -> BuildOptions:
    return BuildOptions(site=site, now=FIXED_NOW, jobs=1, **kw)  # type: ignore[arg-type]


def clean_tree(site: Path, scratch: Path) -> dict[str, bytes]:
    """The output of a clean build of a copy of `site`."""
    copy = scratch / "clean-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".build.*"))
    build(options(copy, output=scratch / "clean-out", clean=True))
    tree = tree_bytes(scratch / "clean-out")
    shutil.rmtree(scratch / "clean-out")
    return tree


def articles(site: Path) -> list[Path]:
    return sorted((site / "content/articles").rglob("*.*"))


# ---------------------------------------------------------------- the edits

# What a watcher saw, and how the dev server's Builder must rebuild after it: "patch" (an edit
# that moves nothing), "reread" (only the changed article files read again) or "full".
Edit = tuple[str, list[Path], str]


def without_section(path: Path) -> Path:
    """Take the `section:` line out of an article's front matter."""
    path.write_text(re.sub(r"^section: .*\n", "", path.read_text(), count=1, flags=re.M))
    return path


def change_headline(site: Path, rng: random.Random) -> Edit:
    path = rng.choice(articles(site))
    text = path.read_text()
    title = f"Changed: headline {rng.randint(0, 10**6)}"
    path.write_text(re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M))
    return f"headline of {path.name}", [path], "patch"


def edit_body(site: Path, rng: random.Random) -> Edit:
    path = rng.choice(articles(site))
    path.write_text(path.read_text() + f"\nA late paragraph {rng.randint(0, 99)}.\n")
    return f"body of {path.name}", [path], "patch"


def edit_unsectioned(site: Path, rng: random.Random) -> Edit:
    """Headline and body of an article with no `section:` (it has no neighbours); when none
    is left, one loses its section, which moves it."""
    deskless = [p for p in articles(site) if "\nsection: " not in p.read_text()]
    if not deskless:
        path = without_section(rng.choice(articles(site)))
        return f"section taken from {path.name}", [path], "reread"
    path = rng.choice(deskless)
    text = re.sub(r"^title: .*$", f'title: "Deskless {rng.randint(0, 10**6)}"',
                  path.read_text(), count=1, flags=re.M)
    path.write_text(text + f"\nA deskless paragraph {rng.randint(0, 99)}.\n")
    return f"section-less {path.name}", [path], "patch"


def delete_article(site: Path, rng: random.Random) -> Edit:
    path = rng.choice(articles(site))
    path.unlink()
    return f"deleted {path.name}", [path], "reread"


def add_article(site: Path, rng: random.Random) -> Edit:
    n = rng.randint(100, 999)
    path = site / f"content/articles/2024/added-{n}.md"
    path.write_text(article_text(rng, f"Added story {n}", rng.randint(0, 300),
                                 rng.sample(sorted(AUTHORS), 1), rng.sample(TAGS, 2),
                                 rng.choice(SECTIONS)))
    return f"added {path.name}", [path], "reread"


def rename_article(site: Path, rng: random.Random) -> Edit:
    """Same bytes, another file: another URL (and `.md` <-> `.txt`: another rendering)."""
    path = rng.choice(articles(site))
    suffix = rng.choice([".md", ".txt"])
    target = path.with_name(f"renamed-{rng.randint(0, 999)}{suffix}")
    path.rename(target)
    return f"renamed {path.name} to {target.name}", [path, target], "reread"


def add_tag(site: Path, rng: random.Random) -> Edit:
    path = rng.choice(articles(site))
    tag = rng.choice([*TAGS, "Brand New Tag"])
    path.write_text(re.sub(r"^tags: \[", f"tags: [{tag}, ", path.read_text(), count=1,
                           flags=re.M))
    return f"tag {tag} on {path.name}", [path], "reread"


def join_series(site: Path, rng: random.Random) -> Edit:
    """A part of a series: the series page, and every part's "Part N of M", change."""
    path = rng.choice(articles(site))
    order = f"series_order: {rng.randint(1, 3)}\n" if rng.random() < 0.5 else ""
    path.write_text(re.sub(r"^date: ", f"series: The Long Story\n{order}date: ",
                           re.sub(r"^series(_order)?: .*\n", "", path.read_text(), flags=re.M),
                           count=1, flags=re.M))
    return f"series on {path.name}", [path], "reread"


def change_date(site: Path, rng: random.Random) -> Edit:
    path = rng.choice(articles(site))
    text = path.read_text()
    days = [d for d in range(1, 29) if f"date: 2024-11-{d:02d}T07" not in text]
    path.write_text(re.sub(r"^date: .*$", f"date: 2024-11-{rng.choice(days):02d}T07:00:00Z",
                           text, count=1, flags=re.M))
    return f"date of {path.name}", [path], "reread"


def rename_author(site: Path, rng: random.Random) -> Edit:
    author = rng.choice(sorted(AUTHORS))
    path = site / f"content/authors/{author}.yaml"
    path.write_text(f"name: Renamed {rng.randint(0, 999)}\nbio: Writes *a lot*.\n")
    return f"renamed {author}", [path], "full"


def change_template(site: Path, rng: random.Random) -> Edit:
    name = rng.choice(["partials/footer.html", "partials/teaser.html", "article.html",
                       "partials/pagination.html"])
    target = site / "themes/default/templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (default_theme_dir() / "templates" / name).read_text()
    target.write_text(text + f"<!-- edition {rng.randint(0, 999)} -->\n")
    return f"template {name}", [target], "full"


def change_config(site: Path, rng: random.Random) -> Edit:
    per_page = rng.randint(2, 5)
    path = site / "sitegen.yaml"
    path.write_text(
        f"title: The Ledger {rng.randint(0, 9)}\nbase_url: https://ledger.test/\n"
        f"per_page: {per_page}\n")
    return f"config per_page={per_page}", [path], "full"


PATCHES = [change_headline, edit_body, edit_unsectioned]  # edits that move nothing
KINDS = [*PATCHES, delete_article, add_article, rename_article, add_tag, change_date,
         rename_author, change_template, change_config, join_series]
# Each sequence starts from a fresh build with one kind of edit, then two patchable edits
# (the first must find the state that kind left, the second the state the patch left), then
# another kind and a patchable edit again: every kind is tried first and after a patch, and
# is followed by a patch; every pair of patchable kinds is tried in a row.
SEQUENCES = [(KINDS[i], PATCHES[i % 3], PATCHES[(i + 1 + i // 3) % 3],
              KINDS[(i + 4) % len(KINDS)], PATCHES[(i + 2) % 3]) for i in range(len(KINDS))]
# Edits after which every page is rendered again: a wrong page left by an earlier step would
# be healed by them, so the output is compared with a clean build before them.
HEALING = {change_template, change_config}


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("number", range(len(SEQUENCES)),
                         ids=["-".join(e.__name__ for e in s) for s in SEQUENCES])
def test_edit_sequences_build_like_clean_builds(tmp_path: Path, number: int) -> None:
    """After every edit, `sitegen build` (cache and last output kept) and the dev server's
    in-memory Builder (writing in place, the home page first) produce the same bytes and
    report the same changed files, the Builder taking the path the edit allows (patch,
    re-read of the changed articles, full build); at the end of the sequence (and before an
    edit that renders every page again) both are exactly a clean build."""
    site = write_newsroom(tmp_path / "site", articles=10, seed=number)
    rng = random.Random(number)
    for path in rng.sample(articles(site), 2):
        without_section(path)
    serve_out = tmp_path / "served"
    served = Builder(options(site, output=serve_out, in_place=True))
    build(options(site))
    served.build(save_cache=False)
    for step, edit in enumerate(SEQUENCES[number]):
        if edit in HEALING and step > 0:
            expected = clean_tree(site, tmp_path)
            assert tree_bytes(site / "build") == expected, f"before step {step}"
            assert tree_bytes(serve_out) == expected, f"before step {step} (in place)"
        what, paths, way = edit(site, rng)
        result = build(options(site))
        built = tree_bytes(site / "build")
        early: list[bytes] = []
        first = FirstPages(frozenset({"index.html"}),
                           lambda _, seen=early: seen.append((serve_out / "index.html")
                                                             .read_bytes()))
        served_result = served.build(save_cache=False, changed=paths, first=first)
        assert tree_bytes(serve_out) == built, f"step {step} (in place): {what}"
        assert served_result.changed == result.changed, what
        taken = ("patch" if "patch" in served_result.timings
                 else "reread" if served_result.reread else "full")
        assert taken == way, what
        if way != "patch":  # the home page went live first, whole
            assert early == [built["index.html"]], what
    expected = clean_tree(site, tmp_path)
    assert tree_bytes(site / "build") == expected, "at the end"
    assert tree_bytes(serve_out) == expected, "at the end (in place)"


def test_headline_edit_after_an_added_article_is_still_patched(tmp_path: Path) -> None:
    """After a rebuild that re-read only an added article, the next headline edit still
    takes the patch path (the kept articles and the new sections must agree)."""
    site = write_newsroom(tmp_path / "site", articles=12, per_page=3)
    out = tmp_path / "served"
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    added = site / "content/articles/2024/added-story.md"
    added.write_text(article_text(random.Random(3), "Added Story", 30, ["ann-lee"], ["Iran"],
                                  "news"))
    assert builder.build(save_cache=False, changed=[added]).reread
    edited = next(p for p in articles(site) if p != added)
    edited.write_text(re.sub(r"^title: .*$", 'title: "Patched headline"', edited.read_text(),
                             count=1, flags=re.M))
    result = builder.build(save_cache=False, changed=[edited])
    assert "patch" in result.timings
    assert tree_bytes(out) == clean_tree(site, tmp_path)


def test_neighbours_edited_one_after_the_other_are_patched(tmp_path: Path) -> None:
    """A headline edit, then one of the article next to it in its section: the second
    article's page links the first by its new headline (the site's neighbours were patched
    too, not only the pages showing them)."""
    site = write_newsroom(tmp_path / "site", articles=12, per_page=3)
    out = tmp_path / "served"
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    first = site / "content/articles/2024/story-006.md"
    page = next(out.rglob("story-006/index.html")).read_text()
    slug = re.search(r'href="/[0-9/]+/(story-\d+)/" rel="(?:prev|next)"', page).group(1)
    second = next((site / "content/articles").rglob(f"{slug}.*"))
    for n, path in enumerate([first, second]):
        path.write_text(re.sub(r"^title: .*$", f'title: "Neighbour headline {n}"',
                               path.read_text(), count=1, flags=re.M))
        result = builder.build(save_cache=False, changed=[path])
        assert "patch" in result.timings
    page = next(out.rglob(f"{slug}/index.html")).read_text()
    assert re.search(r'rel="(?:prev|next)">Neighbour headline 0</a>', page)
    assert tree_bytes(out) == clean_tree(site, tmp_path)


def test_edits_of_an_article_without_a_section_are_patched(tmp_path: Path) -> None:
    """An article with no section has no neighbours; its headline and body edits still take
    the patch path, save after save, and give the bytes of a clean build."""
    site = write_newsroom(tmp_path / "site", articles=12, per_page=3)
    path = without_section(site / "content/articles/2024/story-006.md")
    out = tmp_path / "served"
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    assert 'class="article-nav"' not in next(out.rglob("story-006/index.html")).read_text()
    for n in range(2):
        path.write_text(re.sub(r"^title: .*$", f'title: "Deskless headline {n}"',
                               path.read_text(), count=1, flags=re.M) + f"\nLate line {n}.\n")
        result = builder.build(save_cache=False, changed=[path])
        assert "patch" in result.timings
        page = next(out.rglob("story-006/index.html")).read_text()
        assert f"Deskless headline {n}" in page and f"Late line {n}." in page
        assert tree_bytes(out) == clean_tree(site, tmp_path)


def test_first_pages_are_live_before_the_rest(tmp_path: Path) -> None:
    """The dev server's first pages (a tab's page, the home page, the saved article's page)
    are on disk, whole, when it is told; pages that only the rest of the build writes are
    not yet."""
    site = write_newsroom(tmp_path / "site", articles=12, per_page=3)
    out = tmp_path / "served"
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    path = site / "content/articles/2024/extra-late-story.md"
    path.write_text(article_text(random.Random(5), "Extra Late Story", 300, [sorted(AUTHORS)[0]],
                                 ["Brand New Tag"], "news"))
    seen: dict[str, object] = {}

    def done(written: frozenset[str]) -> None:
        seen["written"] = written
        seen["home"] = (out / "index.html").read_text()
        seen["tag page"] = (out / "tags/brand-new-tag/index.html").exists()

    result = builder.build(save_cache=False, changed=[path],
                           first=FirstPages(frozenset({"index.html"}), done))
    assert result.reread
    article = next(p for p in result.changed if "extra-late-story/index.html" in p)
    assert seen["written"] == {"index.html", article}  # its share card comes with the rest
    assert "Extra Late Story" in str(seen["home"])
    assert seen["tag page"] is False  # written after the first pages
    assert (out / "tags/brand-new-tag/index.html").is_file()
    assert tree_bytes(out) == clean_tree(site, tmp_path)


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    site = write_newsroom(tmp_path / "site")
    first = build(options(site))
    before = {p: p.stat().st_ino for p in (site / "build").rglob("*") if p.is_file()}
    second = build(options(site))
    assert second.rendered == ()
    assert second.written == 0 and not second.changed and not second.removed
    assert len(first.rendered) == first.total_pages
    after = {p: p.stat().st_ino for p in (site / "build").rglob("*") if p.is_file()}
    assert after == before  # the very same files: hard links, nothing rewritten


def _html_pages(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*.html")}


def test_headline_edit_renders_exactly_the_pages_showing_it(tmp_path: Path) -> None:
    """Hugo's render-count test, our way: the pages re-rendered after a headline edit are
    exactly those that show the old or the new headline; every other file is untouched."""
    site = write_newsroom(tmp_path / "site", articles=30, per_page=4)
    build(options(site))
    old_pages = _html_pages(site / "build")
    path = site / "content/articles/2024/story-012.md"
    old_title = "Story number 12"
    new_title = "Council Delays Budget Vote Again"
    path.write_text(path.read_text().replace(f'title: "{old_title}"', f'title: "{new_title}"'))
    result = build(options(site))
    new_pages = _html_pages(site / "build")
    showing = {rel for rel in new_pages
               if new_title in new_pages[rel] or old_title in old_pages.get(rel, "")}
    kinds = {rel.split("/")[0] for rel in showing}
    # The article, its neighbours, listings and related boxes: several kinds of page.
    assert {"2024", "tags", "authors"} <= kinds and len(showing) >= 8
    assert set(result.rendered) == showing
    assert len(result.rendered) < result.total_pages / 2
    assert tree_bytes(site / "build") == clean_tree(site, tmp_path)


def test_body_edit_keeps_listing_bytes(tmp_path: Path) -> None:
    """A body edit rewrites the article page; listings that only show its headline keep
    their bytes (and their files)."""
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    path = site / "content/articles/2024/story-003.md"
    path.write_text(path.read_text() + "\nA correction paragraph.\n")
    result = build(options(site))
    assert [p for p in result.changed if p.endswith(".html")] == [
        p for p in result.rendered if "story-003" in p]
    assert "A correction paragraph." in next((site / "build").rglob("story-003/index.html"))\
        .read_text()


def test_config_change_renders_every_page(tmp_path: Path) -> None:
    site = write_newsroom(tmp_path / "site")
    first = build(options(site))
    config = site / "sitegen.yaml"
    config.write_text(config.read_text().replace("The Test Ledger", "The Other Ledger"))
    second = build(options(site))
    assert len(second.rendered) == second.total_pages == first.total_pages
    assert tree_bytes(site / "build") == clean_tree(site, tmp_path)


def test_cache_of_another_version_is_ignored(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    monkeypatch.setattr(cache_mod, "__version__", "99.0-other")
    monkeypatch.setattr(uptodate, "__version__", "99.0-other")  # another version: both
    assert not cache_mod.load(site).loaded
    result = build(options(site))
    assert len(result.rendered) == result.total_pages
    assert tree_bytes(site / "build") == clean_tree(site, tmp_path)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_cache_is_ignored(tmp_path: Path, damage: str) -> None:
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    # Stale content behind the damaged cache: if anything in it were trusted, this shows.
    path = site / "content/articles/2024/story-001.md"
    path.write_text(path.read_text().replace("Story number 1\"", "Fixed headline\""))
    cache_file = cache_mod.cache_path(site)
    blob = cache_file.read_bytes()
    damaged = {"truncate": blob[: len(blob) // 2],
               "flip": blob[:-100] + bytes([blob[-100] ^ 0xFF]) + blob[-99:],
               "garbage": b"\x00garbage" * 100, "empty": b""}[damage]
    cache_file.write_bytes(damaged)
    assert not cache_mod.load(site).loaded
    result = build(options(site))
    assert len(result.rendered) == result.total_pages
    assert tree_bytes(site / "build") == clean_tree(site, tmp_path)
    assert cache_mod.load(site).loaded  # and a good cache replaces it


def test_a_large_cache_is_saved_in_frames_and_loaded_whole(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    # Frames of a few entries, so that this newsroom's cache is split as a large archive's
    # is: every dict (the manifest, the reads, the stats) across frames, its order kept.
    monkeypatch.setattr(cache_mod, "FRAME_ITEMS", 32)
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    saved = cache_mod.load(site)
    out = next(iter(saved.manifests))
    assert len(saved.manifests[out]) > 64 and len(saved.reads[out]) > 64
    monkeypatch.setattr(cache_mod, "FRAME_ITEMS", 1 << 30)  # the same data in one frame
    cache_mod.save(site, saved)
    whole = cache_mod.load(site)
    for part in ("stats", "manifests", "reads", "keyed", "related", "inline", "images"):
        assert getattr(whole, part) == getattr(saved, part), part
        assert list(getattr(whole, part)) == list(getattr(saved, part)), part
    assert list(whole.manifests[out]) == list(saved.manifests[out])
    path = site / "content/articles/2024/story-001.md"  # and a build believes it
    path.write_text(path.read_text().replace("Story number 1\"", "Fixed headline\""))
    result = build(options(site))
    assert 0 < len(result.rendered) < result.total_pages / 2
    assert tree_bytes(site / "build") == clean_tree(site, tmp_path)


def test_clean_ignores_the_cache(tmp_path: Path, cli) -> None:
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--clean", "-v")
    assert result.code == 0, result.err
    total = int(re.search(r"Built (\d+) pages", result.out).group(1))
    assert f"pages rendered {total}," in result.out
    again = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), "-v")
    assert "pages rendered 0," in again.out


def test_same_size_edit_within_the_same_second_is_seen(tmp_path: Path) -> None:
    """An edit that keeps the size, right after a build, is caught (content digest)."""
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    path = site / "content/articles/2024/story-002.md"
    path.write_text(path.read_text().replace("Story number 2\"", "Story numbr 2X\""))
    build(options(site))
    page = next((site / "build").rglob("story-002/index.html")).read_text()
    assert "Story numbr 2X" in page


def test_output_edited_by_hand_is_repaired(tmp_path: Path) -> None:
    """A file added to or changed in the output by hand does not survive the next builds."""
    site = write_newsroom(tmp_path / "site")
    build(options(site))
    (site / "build/stray.html").write_text("not ours")
    page = next((site / "build").rglob("story-004/index.html"))
    page.unlink()
    page.write_text("edited by hand")
    for _ in range(3):  # the spare tree comes back into use on the second build
        build(options(site))
        assert tree_bytes(site / "build") == clean_tree(site, tmp_path)


def test_builder_reports_changed_paths(tmp_path: Path) -> None:
    """The dev server's incremental API: one edit, the changed output paths come back."""
    site = write_newsroom(tmp_path / "site")
    builder = Builder(options(site, output=tmp_path / "out", in_place=True))
    builder.build(save_cache=False)
    path = site / "content/articles/2024/story-005.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    result: BuildResult = builder.build(save_cache=False, changed=[path])
    assert "patch" in result.timings
    assert any("story-005/index.html" in p for p in result.changed)
    assert not result.removed
    path.unlink()
    gone = builder.build(save_cache=False, changed=[path])
    assert any("story-005/index.html" in p for p in gone.removed)
    assert not list((tmp_path / "out").rglob("story-005"))


def test_patched_rebuild_renders_what_a_full_one_does(tmp_path: Path) -> None:
    """The dev server's patch path re-renders the same pages as a full incremental build."""
    site = write_newsroom(tmp_path / "site", articles=30, per_page=4)
    builder = Builder(options(site, output=tmp_path / "served", in_place=True))
    builder.build(save_cache=False)
    build(options(site))
    path = site / "content/articles/2024/story-017.md"
    path.write_text(path.read_text().replace("Story number 17", "A Sharper Headline"))
    patched = builder.build(save_cache=False, changed=[path])
    full = build(options(site))
    assert "patch" in patched.timings
    assert sorted(patched.rendered) == sorted(full.rendered)
    assert tree_bytes(tmp_path / "served") == tree_bytes(site / "build")


def test_failed_rebuild_in_place_changes_nothing(tmp_path: Path) -> None:
    site = write_newsroom(tmp_path / "site")
    out = tmp_path / "served"
    builder = Builder(options(site, output=out, in_place=True))
    builder.build(save_cache=False)
    before = tree_bytes(out)
    broken = site / "themes/default/templates/partials/teaser.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{{ article.title }}{{ no_such_name.attr }}\n")
    path = site / "content/articles/2024/story-006.md"
    path.write_text(path.read_text() + "\nNew paragraph.\n")
    from sitegen.errors import ContentError

    with pytest.raises(ContentError):
        builder.build(save_cache=False, changed=[broken, path])
    assert tree_bytes(out) == before
    broken.unlink()
    builder.build(save_cache=False, changed=[broken])
    assert tree_bytes(out) == clean_tree(site, tmp_path)
