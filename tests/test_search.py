"""Site search: Pagefind indexes the article bodies during the build, and /search/ finds them in
real Chromium; without Pagefind the build says so once and the page says how to enable it."""

from __future__ import annotations

import html
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXED_NOW, tree_bytes
from demo_content import published_articles
from pagehead import read_head

from scripts.demo_site import serve
from sitegen.output.search import find_pagefind

WORD = "drawbridge"  # in the body of exactly one demo article (checked below)


@pytest.fixture(scope="module")
def pagefind() -> Path:
    """The Pagefind binary. Skips outside CI when missing; with CI=true a missing one fails."""
    binary = find_pagefind()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail('CI=true but Pagefind is missing: run scripts/test.sh (it installs '
                        '".[test,search]")')
        pytest.skip('Pagefind is not installed (pip install "pagefind[bin]")')
    return binary


@pytest.fixture(scope="module")
def served_demo(demo_build: Path, pagefind: Path) -> Iterator[str]:
    """The demo build over HTTP on 127.0.0.1 (a free port), as a reader's browser gets it."""
    with serve(demo_build) as origin:
        yield origin


def article_bodies(build: Path) -> dict[str, str]:
    """URL path -> visible text of the indexed body, for every article page."""
    bodies = {}
    for path in build.rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            body = text.split("data-pagefind-body>", 1)[1].split("\n  </div>", 1)[0]
            url = "/" + path.parent.relative_to(build).as_posix() + "/"
            bodies[url] = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return bodies


def test_only_article_bodies_are_indexed(demo_build: Path, pagefind: Path) -> None:
    entry = json.loads((demo_build / "pagefind/pagefind-entry.json").read_text())
    pages = sum(language["page_count"] for language in entry["languages"].values())
    assert pages == len(published_articles()) == len(article_bodies(demo_build))


def test_pagefind_loads_only_on_the_search_page(demo_build: Path, pagefind: Path) -> None:
    search = (demo_build / "search/index.html").read_text()
    assert '"/pagefind/pagefind.js"' in search or '+ "pagefind/pagefind.js"' in search
    others = [p for p in demo_build.rglob("*.html")
              if "pagefind" not in p.parts and p.parent.name != "search"]
    assert others
    for path in others:
        assert "pagefind/pagefind.js" not in path.read_text(), path
    assert read_head(demo_build / "search/index.html").one("robots") == "noindex"


def test_typing_a_word_finds_its_one_article_first(demo_build: Path, served_demo: str,
                                                   chromium_browser) -> None:
    matches = [url for url, text in article_bodies(demo_build).items()
               if WORD in text.lower()]
    assert len(matches) == 1, matches  # the premise: exactly one demo article has the word
    (expected,) = matches
    # The result shows the headline as the article does (its h1; the card adds a label).
    article = (demo_build / expected.strip("/") / "index.html").read_text()
    title = html.unescape(re.search(r'<h1 class="headline"[^>]*>([^<]+)</h1>', article)[1])
    page = chromium_browser.new_page()
    try:
        page.goto(served_demo + "/search/")
        label = page.locator("label", has_text="Search articles")
        assert label.is_visible()
        box = page.get_by_label("Search articles")  # the visible label names the input
        box.fill(WORD)
        first = page.locator(".search-result-link").first
        first.wait_for(timeout=15_000)
        assert first.get_attribute("href") == expected
        assert first.inner_text().strip() == title
    finally:
        page.close()


def test_search_page_runs_the_query_in_its_address(served_demo: str, chromium_browser):
    page = chromium_browser.new_page()
    try:
        page.goto(served_demo + f"/search/?q={WORD}")
        first = page.locator(".search-result-link").first
        first.wait_for(timeout=15_000)
        assert page.get_by_label("Search articles").input_value() == WORD
    finally:
        page.close()


def test_without_pagefind_the_page_and_build_say_how_to_enable(make_site, cli, monkeypatch,
                                                                tmp_path: Path) -> None:
    # Pagefind's own variable for its binary, pointed at nothing: as if it were not installed.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    monkeypatch.setenv("PATH", str(tmp_path))
    site = make_site()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert result.err.count("search is off") == 1
    assert 'pip install "pagefind[bin]"' in result.err
    page = html.unescape((site / "build/search/index.html").read_text())
    assert "Search is not enabled on this site yet." in page
    assert 'pip install "pagefind[bin]"' in page
    assert "pagefind.js" not in page
    assert not (site / "build/pagefind").exists()
    quiet = cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), "--quiet")
    assert quiet.code == 0 and quiet.err == "" and quiet.out == ""


def test_a_failing_pagefind_keeps_the_previous_build(make_site, cli, monkeypatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    monkeypatch.setenv("PATH", str(tmp_path))
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    before = tree_bytes(site / "build")
    broken = tmp_path / "broken-pagefind"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert "Pagefind failed (exit 3): index exploded" in result.err
    assert "previous build was kept" in result.err
    assert tree_bytes(site / "build") == before
    assert not list(site.glob(".build.tmp-*"))


def indexed_text(build: Path) -> str:
    """The text of every page in a Pagefind index (its gzipped fragments)."""
    import gzip

    return "\n".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                     for p in sorted((build / "pagefind/fragment").glob("*.pf_fragment")))


def eventually(check, seconds: float = 120) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_dev_server_indexes_search_apart_from_rebuilds(make_site, pagefind: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`sitegen serve` never makes a rebuild wait for Pagefind: the index is brought up to
    date once saves are quiet, swapped in between builds; `sitegen build` afterwards makes
    its own."""
    from sitegen.engine.build import BuildOptions, build
    from sitegen.serve import preview as preview_mod

    monkeypatch.setattr(preview_mod, "SEARCH_QUIET", 0.2)
    site = make_site()
    out = site / "build"
    preview = preview_mod.Preview(BuildOptions(site=site, now=FIXED_NOW))
    try:
        first = preview.rebuild()
        assert first.result is not None and "search index" not in first.result.timings
        assert eventually(lambda: (out / "pagefind/fragment").is_dir()
                          and "second paragraph" in indexed_text(out).casefold())
        path = site / "content/articles/2024/first.md"
        path.write_text(path.read_text() + "\nA portcullis came down.\n")
        outcome = preview.rebuild([path])
        assert not outcome.status.failed and outcome.result is not None
        assert "portcullis" in (out / "2024/03/01/first/index.html").read_text()
        assert (out / "pagefind/pagefind.js").is_file()  # the last index, left meanwhile
        assert eventually(lambda: "portcullis" in indexed_text(out))
    finally:
        preview.close()
    assert not list(site.glob(".build.search-*"))
    build(BuildOptions(site=site, now=FIXED_NOW))
    assert "portcullis" in indexed_text(out)
    assert (out / "pagefind/pagefind.js").is_file()
