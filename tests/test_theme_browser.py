"""The default theme in real Chromium, served over HTTP on 127.0.0.1: axe-core finds no
WCAG 2.1 A/AA or best-practice violations in light and dark at 360 and 1280 px; nothing
comes from another host; nothing scrolls sideways when zoomed; focus, print, pagination
and the measure look as DESIGN.md says."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from theme_tools import require_node_tool

from scripts.demo_site import AXE_JS, CHECKED_PAGES, OTHER_PAGES, build_demo, serve

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
YELLOW = "rgb(255, 221, 0)"  # GOV.UK focus colour, DESIGN.md §7
ARTICLE = CHECKED_PAGES["article-co-authored"]


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_demo(tmp_path_factory.mktemp("demo") / "site")
    with serve(site) as url:
        yield url


@pytest.fixture
def open_page(chromium_browser: Any, origin: str) -> Iterator[Any]:
    """open_page(path, width=, height=, scheme=, requests=) -> (page, response), in a fresh
    context closed after the test; `requests`, if given, collects every request made."""
    contexts: list[Any] = []

    def _open(path: str, *, width: int = 1280, height: int = 800, scheme: str = "light",
              requests: list[Any] | None = None) -> tuple[Any, Any]:
        context = chromium_browser.new_context(viewport={"width": width, "height": height},
                                               color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        if requests is not None:
            page.on("request", lambda request: requests.append(request))
        response = page.goto(origin + path, wait_until="load")
        return page, response

    yield _open
    for context in contexts:
        context.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("kind", list(CHECKED_PAGES))
def test_axe_finds_no_violations(open_page: Any, kind: str, width: int, scheme: str) -> None:
    axe = require_node_tool(AXE_JS)
    page, response = open_page(CHECKED_PAGES[kind], width=width, scheme=scheme)
    assert response.status == (404 if kind == "404" else 200)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
        scheme == "dark")
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["violations"] == [], _describe(result["violations"])
    passed = {rule["id"] for rule in result["passes"]}
    assert {"color-contrast", "html-has-lang", "landmark-one-main"} <= passed


def test_the_dark_palette_is_a_palette_not_an_inversion(open_page: Any) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(CHECKED_PAGES["article-with-image"], scheme=scheme)
        colours[scheme] = page.evaluate("""() => {
            const style = (sel) => getComputedStyle(document.querySelector(sel));
            return [style('body').backgroundColor, style('body').color,
                    style('.label-opinion').color, style('.lead-figure img').filter];
        }""")
    # DESIGN.md §8: #ffffff/#1a1a1a and #121212/#e0e0e0; opinion #8d2700 / #ff9941; photos
    # are left as they are.
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(26, 26, 26)", "rgb(141, 39, 0)",
                                "none"]
    assert colours["dark"] == ["rgb(18, 18, 18)", "rgb(224, 224, 224)", "rgb(255, 153, 65)",
                               "none"]


@pytest.mark.parametrize("kind", list(CHECKED_PAGES))
def test_pages_load_nothing_from_other_hosts_and_no_scripts(open_page: Any, origin: str,
                                                            kind: str) -> None:
    requests: list[Any] = []
    page, _ = open_page(CHECKED_PAGES[kind], width=360, height=640, requests=requests)
    page.mouse.wheel(0, 100_000)  # bring lazy images in, as a reader scrolling would
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(r.url).netloc for r in requests if not r.url.startswith("data:")}
    assert hosts == {urlsplit(origin).netloc}
    assert [r.url for r in requests if r.resource_type == "script"] == []
    sheets = [r.url for r in requests if r.resource_type == "stylesheet"]
    assert sheets == [origin + "/css/style.css"]
    # JSON-LD is data, not a script a browser runs: only executable scripts count.
    assert page.evaluate("[...document.scripts].filter("
                         "s => s.type !== 'application/ld+json').length") == 0


@pytest.mark.parametrize("kind", ["home", "article-with-image", "article-co-authored",
                                  "author", "authors"])
def test_images_in_view_load_at_once_and_those_far_below_lazily(open_page: Any,
                                                                 kind: str) -> None:
    path = {**CHECKED_PAGES, **OTHER_PAGES}[kind]
    page, _ = open_page(path, width=360, height=640)
    images = page.evaluate("""() => [...document.images].map((img) => ({
        src: img.getAttribute('src'), loading: img.loading,
        top: img.getBoundingClientRect().top + scrollY}))""")
    for img in images:
        if img["top"] < 640:
            assert img["loading"] != "lazy", f"in the first screen, must not wait: {img}"
        elif img["top"] > 2 * 640:
            assert img["loading"] == "lazy", f"far below the fold, should be lazy: {img}"


NO_SIDEWAYS_SCROLL = """() => {
    const root = document.scrollingElement;
    return [root.scrollWidth, root.clientWidth];
}"""
# WCAG 1.4.12 text spacing: what a reader's own stylesheet may set.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""


@pytest.mark.parametrize("width", [320, 640], ids=["400-percent", "200-percent"])
def test_no_sideways_scrolling_when_zoomed(open_page: Any, origin: str, width: int) -> None:
    """A 1280 px window at 400% and 200% zoom is a 320 px and a 640 px viewport (WCAG 1.4.10)."""
    page, _ = open_page("/", width=width, height=800)
    wide = {}
    for kind, path in {**CHECKED_PAGES, **OTHER_PAGES}.items():
        page.goto(origin + path, wait_until="load")
        scroll, client = page.evaluate(NO_SIDEWAYS_SCROLL)
        if scroll > client:
            wide[kind] = (scroll, client)
        page.add_style_tag(content=TEXT_SPACING)
        scroll, client = page.evaluate(NO_SIDEWAYS_SCROLL)
        if scroll > client:
            wide[f"{kind} with text spacing"] = (scroll, client)
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_shows_from_across_the_room(open_page: Any, scheme: str) -> None:
    page, _ = open_page(ARTICLE, scheme=scheme)
    page.keyboard.press("Tab")
    skip = page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect();
        return [el.textContent, box.height, getComputedStyle(el).backgroundColor];
    }""")
    assert skip[0] == "Skip to content" and skip[1] >= 24 and skip[2] == YELLOW
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first link in the content: the section label
    first = page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        return [el.textContent, style.backgroundColor, style.color, style.boxShadow];
    }""")
    assert first[0] == "News"
    assert first[1] == YELLOW and first[2] == "rgb(11, 12, 12)"
    assert "rgb(11, 12, 12) 0px 4px" in first[3]  # the 4px bar beneath


def test_pagination_is_simple_on_phones_and_full_on_desktops(open_page: Any) -> None:
    state = """() => {
        const shown = (sel) => [...document.querySelectorAll(sel)]
            .filter((el) => el.getClientRects().length).map((el) => el.textContent.trim());
        const links = [...document.querySelectorAll('.pagination a')]
            .filter((el) => el.getClientRects().length)
            .map((el) => el.getBoundingClientRect()).map((b) => [b.width, b.height]);
        return {numbers: shown('.page-number'), status: shown('.page-status'), links};
    }"""
    phone, _ = open_page("/page/2/", width=360)
    small = phone.evaluate(state)
    assert small["numbers"] == [] and small["status"] == ["Page 2 of 5"]
    desktop, _ = open_page("/page/2/", width=1280)
    wide = desktop.evaluate(state)
    assert wide["numbers"] == ["1", "2", "3", "4", "5"] and wide["status"] == []
    for width, height in small["links"] + wide["links"]:
        assert width >= 44 and height >= 44  # WCAG 2.5.5, DESIGN.md §11


def test_print_shows_the_article_not_the_website(open_page: Any, origin: str) -> None:
    page, _ = open_page(ARTICLE)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => Object.fromEntries([
        '.skip-link', '.site-nav', '.related', '.article-nav', '.site-footer nav',
        '.headline', '.dek', '.byline', '.meta', '.corrections', '.body', '.author-name',
        '.print-url'].map((sel) => [sel, getComputedStyle(document.querySelector(sel))
            .display !== 'none']))""")
    assert shown == {
        ".skip-link": False, ".site-nav": False, ".related": False, ".article-nav": False,
        ".site-footer nav": False, ".headline": True, ".dek": True, ".byline": True,
        ".meta": True, ".corrections": True, ".body": True, ".author-name": True,
        ".print-url": True}
    link = page.evaluate("""() => {
        const a = document.querySelector('.body a[href^="http"]');
        return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert link[0] in link[1]  # the URL of an external link is printed after it
    font = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font == "16px"  # 12pt
    assert page.locator(".print-url").text_content().endswith(ARTICLE)


LINE_LENGTHS = """() => {
    const lengths = [];
    for (const p of document.querySelectorAll('.body > p')) {
        const counts = new Map();
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                const line = Math.round(rect.top);
                counts.set(line, (counts.get(line) || 0) + 1);
            }
        }
        const lines = [...counts.values()];
        lengths.push(...lines.slice(0, -1));  // a paragraph's last line is short by nature
    }
    return lengths;
}"""


def test_body_lines_keep_a_readable_measure(open_page: Any) -> None:
    """DESIGN.md §2: 60-75 characters in Charter; never over 80 (WCAG 1.4.8) in any font."""
    page, _ = open_page(ARTICLE, width=1280)
    lengths = page.evaluate(LINE_LENGTHS)
    assert len(lengths) >= 10
    assert max(lengths) <= 80, lengths
    assert statistics.median(lengths) >= 55, lengths
    phone, _ = open_page(ARTICLE, width=360)
    font = phone.evaluate("getComputedStyle(document.querySelector('.body p')).fontSize")
    assert font == "18px"  # 1.125rem at every width: body text never shrinks on phones


def test_the_served_404_is_the_theme_page(open_page: Any) -> None:
    page, response = open_page("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").text_content() == "Page not found"
    assert Path(urlsplit(page.url).path).name == "no-such-page"
