"""Languages (issue 15) in real Chromium: the Persian pages of the four-language fixture
site lay out right to left (dir, logical CSS: the correction and series boxes' rules, the
section navigation, the headline on the reader's right) at 360 and 1280 px, scroll
sideways nowhere, pass axe (month archive, taxonomy and series pages included); Japanese
and French pages stay left to right; and every page of the site passes the Nu HTML
Checker. Screenshots of the Persian home and article go to SITEGEN_SHOTS (or tmp)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import FIXED_NOW
from multilingual_site import write_site
from test_theme_browser import AXE_TAGS, _describe
from theme_tools import html_pages, require_java, require_node_tool

from scripts.demo_site import AXE_JS, VNU_JAR, serve
from sitegen.engine.build import BuildOptions, build

ARTICLE = "/fa/2025/03/10/talks/"
RTL_PAGES = ["/fa/", ARTICLE, "/fa/authors/ann-lee/", "/fa/archive/", "/fa/tags/",
             "/fa/corrections/", "/fa/search/", "/fa/analysis/", "/fa/archive/2025/03/page/2/",
             "/fa/archive/2025/03/", "/fa/regions/", "/fa/regions/" + quote("خلیج-فارس/"),
             "/fa/series/", "/fa/series/" + quote("دیپلماسی-خلیج-فارس/")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("languages") / "site")
    build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW, jobs=1))
    return site / "build"


@pytest.fixture(scope="module")
def origin(built: Path) -> Iterator[str]:
    with serve(built) as url:
        yield url


@pytest.fixture
def open_page(chromium_browser: Any, origin: str) -> Iterator[Any]:
    contexts: list[Any] = []

    def _open(path: str, width: int = 1280) -> Any:
        context = chromium_browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        assert page.goto(origin + path, wait_until="load").status == 200
        return page

    yield _open
    for context in contexts:
        context.close()


def _box(page: Any, selector: str) -> dict[str, float]:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


@pytest.mark.parametrize("width", [360, 1280])
def test_persian_pages_mirror_their_layout(open_page: Any, width: int,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    page = open_page(ARTICLE, width)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The correction box's rule is on the reader's right, where the lines begin.
    style = page.eval_on_selector(".corrections", "e => [getComputedStyle(e)"
                                  ".borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert style == ["4px", "0px"]
    series = page.eval_on_selector(".series-box", "e => [getComputedStyle(e)"
                                   ".borderRightWidth, getComputedStyle(e).borderLeftWidth]")
    assert series == ["3px", "0px"]  # so is the series box's
    # Headline, label and byline start at the right edge of the column (the label's box:
    # analysis and editorial labels are boxed, their words inset by the padding).
    header = _box(page, ".article-header")
    for selector in (".headline", ".label", ".byline"):
        text = _box(page, selector) if selector == ".label" else page.eval_on_selector(
            selector, "e => { const r = document.createRange(); r.selectNodeContents(e); "
            "return r.getBoundingClientRect().toJSON(); }")
        assert abs(text["right"] - header["right"]) < 2, selector
        assert text["left"] > header["left"] + 1 or width == 360, selector
    # Nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = Path(os.environ.get("SITEGEN_SHOTS") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"fa-article-{width}.png"), full_page=True)
    home = open_page("/fa/", width)
    assert home.evaluate("document.documentElement.scrollWidth") <= width
    home.screenshot(path=str(shots / f"fa-home-{width}.png"), full_page=True)


def test_the_section_navigation_runs_from_the_right(open_page: Any) -> None:
    page = open_page("/fa/authors/ann-lee/")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav ul'))"
                         ".direction") == "rtl"
    first, last = page.evaluate("""() => {
        const items = [...document.querySelectorAll('.site-nav li')];
        return [items[0].getBoundingClientRect().left, items.at(-1).getBoundingClientRect().left];
    }""")
    assert first > last  # the first section is rightmost


@pytest.mark.parametrize("path", ["/ja/", "/fr/2025/03/10/talks/", "/"])
def test_other_languages_stay_left_to_right(open_page: Any, path: str) -> None:
    page = open_page(path)
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", RTL_PAGES)
def test_axe_finds_no_violations_on_right_to_left_pages(open_page: Any, path: str,
                                                        width: int) -> None:
    axe = require_node_tool(AXE_JS)
    page = open_page(path, width)
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["violations"] == [], _describe(result["violations"])


def test_the_nu_html_checker_finds_no_errors_on_any_page_of_any_language(built: Path) -> None:
    java = require_java()
    jar = require_node_tool(VNU_JAR)
    pages = [p for p in html_pages(built) if "pagefind" not in p.parts]
    assert len(pages) >= 80
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=600,
                         check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m['message']}"
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors)


def test_persian_search_finds_persian_articles_and_says_so_in_persian(open_page: Any,
                                                                       built: Path) -> None:
    if not (built / "pagefind").is_dir():
        pytest.skip("Pagefind is not installed (scripts/setup.sh search)")
    page = open_page("/fa/search/?q=" + "تحریم")
    page.locator(".search-result-link").first.wait_for(state="visible", timeout=15000)
    links = page.eval_on_selector_all(".search-result-link", "es => es.map(e => e.href)")
    assert links and all("/fa/" in link for link in links)
    status = page.text_content("#search-status") or ""
    assert status.endswith("مطلب پیدا شد") and status[0] in "۰۱۲۳۴۵۶۷۸۹", status
    english = open_page("/search/?q=Sanctions")
    english.locator(".search-result-link").first.wait_for(state="visible", timeout=15000)
    assert english.text_content("#search-status") == "1 article found"
