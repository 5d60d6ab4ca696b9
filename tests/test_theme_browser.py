"""The default theme in real Chromium, served over HTTP on 127.0.0.1: axe-core finds no
WCAG 2.1 A/AA or best-practice violations in light and dark at 360 and 1280 px; nothing
comes from another host; nothing scrolls sideways when zoomed; focus, print, pagination
and the measure look as DESIGN.md says."""

from __future__ import annotations

import re
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
    # JSON-LD is data, not a script a browser runs: only executable scripts count. The
    # search page has its one inline script, which fetches nothing until a reader types.
    scripts = page.evaluate("[...document.scripts].filter("
                            "s => s.type !== 'application/ld+json').length")
    assert scripts == (1 if kind == "search" else 0)


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
    phone, _ = open_page("/news/page/2/", width=360)
    small = phone.evaluate(state)
    assert small["numbers"] == [] and small["status"] == ["Page 2 of 2"]
    desktop, _ = open_page("/news/page/2/", width=1280)
    wide = desktop.evaluate(state)
    assert wide["numbers"] == ["1", "2"] and wide["status"] == []
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


# ---------------------------------------------------------------- issue 17: the front page

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
    const box = el.getBoundingClientRect();
    return {left: Math.round(box.left), right: Math.round(box.right),
            top: Math.round(box.top + scrollY), width: Math.round(box.width)};
})"""


def test_the_front_page_is_a_grid_at_1280_and_one_column_at_360(open_page: Any) -> None:
    desktop, _ = open_page("/", width=1280)
    (lead,) = desktop.evaluate(BOXES, ".teaser-lead")
    (rail,) = desktop.evaluate(BOXES, ".front-rail")
    top = desktop.evaluate(BOXES, ".top-stories > .teaser")
    assert rail["left"] > lead["right"] and rail["top"] == lead["top"]  # the rail beside
    assert lead["width"] + rail["width"] > 0.8 * 1280 - 64  # the screen is used
    assert len(top) == 3 and len({t["top"] for t in top}) == 1  # one row of top stories
    image, text = desktop.evaluate(BOXES, ".teaser-lead > .teaser-image, .teaser-lead > "
                                          ".teaser-text")
    assert text["left"] > image["right"]  # the lead's picture beside its headline
    blocks = desktop.evaluate(BOXES, ".front-sections .block-teasers > .teaser")
    assert len({b["left"] for b in blocks}) == 2  # two columns in each desk's block
    phone, _ = open_page("/", width=360)
    teasers = phone.evaluate(BOXES, ".front-top > .teaser, .block-teasers > .teaser")
    assert len(teasers) > 10
    main = phone.evaluate(BOXES, "main")[0]
    for box in teasers:  # one column: every teaser starts at one edge and none sits beside
        assert box["left"] in (16, 32) and box["right"] <= main["right"], box
    tops = [b["top"] for b in teasers]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)


TEASER_LABELS = """() => [...document.querySelectorAll('main .teaser')].map((t) => {
    const label = t.querySelector('.label'), title = t.querySelector('.teaser-title');
    const style = (el) => el && getComputedStyle(el);
    return {kind: [...t.classList].find((c) => c.startsWith('teaser-') && c !== 'teaser-top'
                                        && c !== 'teaser-lead'),
            label: label && label.textContent.trim(),
            labelBorder: label && style(label).borderTopStyle,
            labelBackground: label && style(label).backgroundColor,
            titleWeight: style(title).fontWeight,
            writer: !!t.querySelector('.teaser-writer')};
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_every_front_page_teaser_says_what_it_is_in_words_and_type(open_page: Any,
                                                                   width: int) -> None:
    page, _ = open_page("/", width=width)
    teasers = page.evaluate(TEASER_LABELS)
    words = {"teaser-news": "News", "teaser-analysis": "Analysis",
             "teaser-opinion": "Opinion", "teaser-editorial": "Editorial"}
    assert {t["kind"] for t in teasers} == set(words)
    for teaser in teasers:
        assert teaser["label"] == words[teaser["kind"]], teaser
    by_kind = {t["kind"]: t for t in teasers}
    news, opinion = by_kind["teaser-news"], by_kind["teaser-opinion"]
    # Not by colour alone (WCAG 1.4.1): opinion's headline is regular and names its writer;
    # analysis's label is ruled; editorial's is reversed out.
    assert news["titleWeight"] == "700" and opinion["titleWeight"] == "400"
    assert opinion["writer"] and not news["writer"]
    assert by_kind["teaser-analysis"]["labelBorder"] == "solid"
    assert news["labelBorder"] == "none"
    assert by_kind["teaser-editorial"]["labelBackground"] != news["labelBackground"]
    photos = page.evaluate("[...document.querySelectorAll('.teaser-opinion .teaser-photo')]"
                           ".map((img) => getComputedStyle(img).borderRadius)")
    assert photos and set(photos) == {"50%"}  # the writers' headshots, round as elsewhere


def test_the_opinion_section_page_does_not_repeat_its_label(open_page: Any) -> None:
    page, _ = open_page("/opinion/")
    assert page.locator("main .teaser").count() >= 4
    assert page.locator("main .teaser .label").count() == 0
    assert page.locator("main .teaser .teaser-writer").count() == page.locator(
        "main .teaser").count()
    author, _ = open_page("/authors/julian-okafor/")
    metas = author.locator(".author-articles .teaser .meta").all_inner_texts()
    assert metas and not any("Julian Okafor" in m for m in metas)  # not their own name


CONTRAST = """(el) => {
    const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => { const v = rgb(c).map((x) => x / 255).map((x) =>
        x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05); };
    el.focus();
    const style = getComputedStyle(el);
    const page = getComputedStyle(document.body).backgroundColor;
    return {visible: el.matches(':focus-visible'), text: ratio(style.color, style.backgroundColor),
            indicator: ratio(style.backgroundColor, page), bar: style.boxShadow,
            name: el.textContent.trim().slice(0, 30)};
}"""
LINK_KINDS = {
    "/": [".site-title", ".site-nav a", ".teaser-title a", ".more-link a", ".front-archive a",
          ".site-footer a"],
    "/2026/11/03/restraint-is-not-isolation/": [
        "a.label", ".byline a", ".body a", ".tags a", ".author-name a", ".author-more a",
        ".article-nav a", ".related .teaser-title a"],
    "/2025/06/19/the-case-for-talking-to-tehran/": ["a.label-opinion"],
    "/authors/julian-okafor/": [".author-links a", ".feed-link a"],
    "/opinion/": ['.site-nav a[aria-current="page"]'],
    "/news/page/2/": ['.pagination a[aria-current="page"]', ".pagination a[rel]"],
    "/archive/2025/": ['.archive-years a[aria-current="page"]', ".archive-list a"],
    "/2025/05/06/new-start-countdown/": ["a.label-analysis", ".footnote-ref",
                                         ".footnote-backref"],
    "/2026/08/12/no-blank-checks/": ["a.label-editorial"],
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_on_every_kind_of_link_reads_at_3_to_1_in_both_schemes(open_page: Any,
                                                                     origin: str,
                                                                     scheme: str) -> None:
    """The focused link's text on its yellow, and the yellow (or, on white, its black bar)
    against the page: at least 3:1 each (WCAG 1.4.11, 2.4.11; issue 17 found 1.02:1)."""
    page, _ = open_page("/", scheme=scheme)
    failures = []
    for path, selectors in LINK_KINDS.items():
        page.goto(origin + path)
        page.keyboard.press("Tab")  # keyboard modality: focus() now shows :focus-visible
        for selector in selectors:
            link = page.locator(selector).first
            assert link.count(), f"{path} has no {selector}"
            got = link.evaluate(CONTRAST)
            barred = "rgb(11, 12, 12) 0px 4px" in got["bar"]
            if not (got["visible"] and got["text"] >= 3 and (got["indicator"] >= 3 or barred)):
                failures.append((path, selector, got))
    assert failures == []


LAYOUT_SHIFTS = """() => { window.shifts = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) shifts.push(e.value); })
        .observe({type: 'layout-shift', buffered: true}); }"""


@pytest.mark.parametrize("width", [360, 1280])
def test_search_loads_pagefind_on_first_input_and_nothing_moves(open_page: Any, width: int,
                                                                ) -> None:
    requests: list[Any] = []
    page, _ = open_page("/search/", width=width, height=800, requests=requests)
    page.wait_for_load_state("networkidle")
    assert not [r.url for r in requests if "/pagefind/" in r.url]  # not before a word is typed
    page.evaluate(LAYOUT_SHIFTS)
    footer = page.evaluate(BOXES, ".site-footer")[0]["top"]
    page.get_by_label("Search articles").press_sequentially("sanctions", delay=20)
    page.locator(".search-results .teaser").first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)
    assert [r for r in requests if r.url.endswith("/pagefind/pagefind.js")]
    # Every shift counts here, even those right after typing that CLS forgives.
    assert sum(page.evaluate("window.shifts")) < 0.01
    assert page.evaluate(BOXES, ".site-footer")[0]["top"] >= footer  # nothing above it moved up
    result = page.evaluate(TEASER_LABELS)[0]
    assert result["label"] in {"News", "Analysis", "Opinion", "Editorial"}
    meta = page.locator(".search-results .teaser .meta").first.inner_text()
    assert re.search(r"By .+\s· \w+ \d+, \d{4}", meta), meta  # byline and date, as teasers have
