"""`sitegen serve` in real headless Chromium: an open tab follows the writer's saves with no
action in the browser: new headline, new stylesheet (without a reload), the error overlay
naming the file and line, and its removal once the file is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import ARTICLE, ARTICLE_URL, STYLESHEET, free_port, serving, wait_for

WAIT_MS = 20_000


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"static/css/style.css": STYLESHEET})


@pytest.fixture
def context(chromium_browser) -> Iterator[object]:
    context = chromium_browser.new_context()
    try:
        yield context
    finally:
        context.close()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_an_open_article_shows_the_new_headline_by_itself(site, context) -> None:
    from playwright.sync_api import expect

    with serving(site) as server:
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        headline = page.locator("h1.headline")
        expect(headline).to_have_text("First Story")
        wait_for(lambda: server.hub.clients == 1, what="the tab's live connection")
        replace_in(site / ARTICLE, "title: First Story", "title: A Headline Edited On Disk")
        expect(headline).to_have_text("A Headline Edited On Disk", timeout=WAIT_MS)


def test_a_stylesheet_change_restyles_the_page_without_a_reload(site, context) -> None:
    from playwright.sync_api import expect

    with serving(site) as server:
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        headline = page.locator("h1.headline")
        expect(headline).to_have_css("color", "rgb(10, 20, 30)")
        page.evaluate("window.sitegenTestMark = 'still the same document'")
        loads: list[str] = []
        page.on("load", lambda _: loads.append("load"))
        wait_for(lambda: server.hub.clients == 1, what="the tab's live connection")
        replace_in(site / "static/css/style.css", "10, 20, 30", "200, 0, 0")
        expect(headline).to_have_css("color", "rgb(200, 0, 0)", timeout=WAIT_MS)
        assert page.evaluate("window.sitegenTestMark") == "still the same document"
        assert loads == []
        assert page.locator('link[rel="stylesheet"]').count() == 1  # the old one was dropped


def test_broken_front_matter_shows_an_overlay_until_it_is_fixed(site, context) -> None:
    from playwright.sync_api import expect

    with serving(site) as server:
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        wait_for(lambda: server.hub.clients == 1, what="the tab's live connection")
        replace_in(site / ARTICLE, "date: 2024-03-01T10:00:00Z", "date: someday")
        overlay = page.locator("#sitegen-overlay")
        expect(overlay).to_be_visible(timeout=WAIT_MS)
        expect(overlay).to_contain_text("content/articles/2024/first.md:4:7:")
        expect(overlay).to_contain_text("`date` is not a valid date")
        expect(page.locator("h1.headline")).to_have_text("First Story")  # the last good page
        replace_in(site / ARTICLE, "date: someday", "date: 2024-03-01T10:00:00Z")
        expect(overlay).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator("h1.headline")).to_have_text("First Story")


def test_many_open_tabs_do_not_stall_the_next_page(site, context) -> None:
    from playwright.sync_api import expect

    with serving(site) as server:
        article = server.url.rstrip("/") + ARTICLE_URL
        tabs = []
        for _ in range(8):  # more than a browser's six HTTP/1.1 connections per host
            tab = context.new_page()
            tab.goto(article)
            tabs.append(tab)
        wait_for(lambda: server.hub.clients == 8, what="eight live connections")
        late = context.new_page()
        late.goto(server.url, timeout=5_000)
        expect(late.locator("body")).to_have_class("kind-home")
        replace_in(site / ARTICLE, "title: First Story", "title: Seen By Every Tab")
        for tab in tabs:
            expect(tab.locator("h1.headline")).to_have_text("Seen By Every Tab",
                                                            timeout=WAIT_MS)


def test_a_tab_reconnects_by_itself_when_the_server_restarts(site, context) -> None:
    from playwright.sync_api import expect

    port = free_port()
    page = context.new_page()
    with serving(site, port=port) as server:
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        expect(page.locator("h1.headline")).to_have_text("First Story")
        wait_for(lambda: server.hub.clients == 1, what="the tab's live connection")
    # The server is gone; the writer goes on writing; then starts it again.
    replace_in(site / ARTICLE, "title: First Story", "title: Written While It Was Down")
    with serving(site, port=port) as server:
        expect(page.locator("h1.headline")).to_have_text("Written While It Was Down",
                                                         timeout=WAIT_MS)
        wait_for(lambda: server.hub.clients == 1, what="the tab to reconnect")
