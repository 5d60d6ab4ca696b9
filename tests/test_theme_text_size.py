"""200% text on a phone (issue 17, point 8; WCAG 1.4.4 and 1.4.10) in real Chromium: on
every kind of page of the demo, and on a site made to be awkward (a long e-mail address, a
long photo credit, long names and dates, a wide table), nothing pushes the page sideways
and the masthead and nav leave most of the first screen to the news. Text is doubled both
ways a reader does it: the browser's own text size (Chromium's font-size setting, which
media queries follow) and a stylesheet that sets the root to 200% (which they do not)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import FIXED_NOW, write_files
from image_fixtures import jpeg_bytes, photo

from scripts.demo_site import CHECKED_PAGES, OTHER_PAGES, build_demo, serve
from sitegen.engine.build import BuildOptions, build

SIDEWAYS = """() => {
    const root = document.scrollingElement, width = root.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 0.5
            && !el.closest('.site-nav ul, .table-scroll, pre');  // these scroll in their box
    }).map((el) => `${el.className}: ${el.textContent.trim().slice(0, 40)}`);
    return {scroll: root.scrollWidth, width, wide: wide.slice(0, 5)};
}"""
MAIN_TOP = "document.querySelector('main').getBoundingClientRect().top"
LONG_NAME = "Maximiliana Featherstonehaugh-Cholmondeley"
AGENCY = "InternationalPhotographicAgencyCooperative"
LONG_EMAIL = "maximiliana.featherstonehaugh-cholmondeley.correspondent@newsroom.example.org"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_demo(tmp_path_factory.mktemp("demo") / "site")
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site whose author, credit, dates and table are as long as real ones get."""
    root = tmp_path_factory.mktemp("awkward")
    table = "\n".join(["| Programme | Appropriation (thousands of dollars) | Change since 2019 |",
                       "|---|---|---|",
                       "| Shipbuilding and conversion | 32,845,261 | +14.2 per cent |"])
    write_files(root, {
        "sitegen.yaml": "title: The Extraordinarily Long-Named Evening Chronicle\n"
                        "base_url: https://example.test/\n",
        "content/authors/max.yaml": f"""
            name: {LONG_NAME}
            role: Senior Diplomatic and Security Correspondent
            email: {LONG_EMAIL}
            links:
              Website: https://www.example.org/people/{LONG_EMAIL.split('@')[0]}/
        """,
        "content/articles/2026/long.md": (
            "---\ntitle: Interministerial Counterproliferation Negotiations Stall\n"
            "subtitle: Why the talks stopped\ndate: 2026-09-30T10:00:00Z\nauthor: max\n"
            "section: news\nimage: /images/lead.jpg\nimage_alt: A harbour at dusk.\n"
            "extra:\n  image_caption: The harbour.\n"
            f"  image_credit: \"Photo: {LONG_NAME}/{AGENCY}\"\n"
            f"---\nThe talks stopped on a Wednesday.\n\n{table}\n"),
        "content/articles/2026/view.md": (
            "---\ntitle: Counterproliferation Is Everybody's Business\n"
            "date: 2026-09-29T10:00:00Z\nauthor: max\nsection: opinion\n"
            f"---\nAn argument, with a table.\n\n{table}\n"),
        "static/images/lead.jpg": jpeg_bytes(photo(1600, 900)),
    })
    build(BuildOptions(site=root, output=root / "build", now=FIXED_NOW))
    with serve(root / "build") as url:
        yield url


def _double_text(browser: Any, how: str, width: int, height: int = 640) -> Any:
    """A page whose text is at 200%: `zoom` by the browser's setting, `root` by a style."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    if how == "zoom":
        cdp = context.new_cdp_session(page)
        cdp.send("Page.enable")
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    return page


def _open(page: Any, url: str, how: str) -> None:
    page.goto(url, wait_until="load")
    if how == "root":
        page.add_style_tag(content="html { font-size: 200% !important; }")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"


@pytest.mark.parametrize("how", ["zoom", "root"])
@pytest.mark.parametrize("width", [320, 360])
def test_no_page_of_the_demo_scrolls_sideways_at_200_percent_text(
        chromium_browser: Any, demo: str, width: int, how: str) -> None:
    page = _double_text(chromium_browser, how, width)
    wide = {}
    for kind, path in {**CHECKED_PAGES, **OTHER_PAGES}.items():
        _open(page, demo + path, how)
        found = page.evaluate(SIDEWAYS)
        if found["scroll"] > found["width"]:
            wide[kind] = found
    page.context.close()
    assert wide == {}


@pytest.mark.parametrize("how", ["zoom", "root"])
@pytest.mark.parametrize("path", ["/", "/authors/max/", "/2026/09/30/long/",
                                  "/2026/09/29/view/", "/news/", "/archive/"])
def test_long_addresses_credits_names_dates_and_tables_stay_in_the_page(
        chromium_browser: Any, awkward: str, path: str, how: str) -> None:
    page = _double_text(chromium_browser, how, 360)
    _open(page, awkward + path, how)
    found = page.evaluate(SIDEWAYS)
    shown = page.evaluate("document.body.innerText")
    page.context.close()
    assert found["scroll"] <= found["width"], found
    if path == "/authors/max/":
        assert LONG_EMAIL in shown.replace("\n", "")
    if path == "/2026/09/30/long/":
        assert AGENCY in shown.replace("\n", "")
        assert "September 30, 2026" in shown.replace("\n", " ")


@pytest.mark.parametrize("how", ["zoom", "root"])
@pytest.mark.parametrize("viewport", [(360, 640), (640, 360)], ids=["portrait", "landscape"])
def test_the_masthead_and_nav_leave_the_first_screen_to_the_news(
        chromium_browser: Any, demo: str, viewport: tuple[int, int], how: str) -> None:
    """At 200% the title, logo and the one row of sections (it scrolls in its own box) take
    at most 60% of a phone's first screen, also held sideways: the page starts in it."""
    width, height = viewport
    page = _double_text(chromium_browser, how, width, height)
    for path in ("/", CHECKED_PAGES["article-opinion"], CHECKED_PAGES["section"]):
        _open(page, demo + path, how)
        top = page.evaluate(MAIN_TOP)
        assert top <= 0.6 * height, f"{path}: the page starts {top:.0f}px down of {height}"
        rows = page.evaluate("new Set([...document.querySelectorAll('.site-nav li')]"
                             ".map((li) => li.getBoundingClientRect().top)).size")
        assert rows == 1, f"{path}: the nav is {rows} rows"
    page.context.close()
