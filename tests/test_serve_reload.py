"""The live-reload protocol over a real WebSocket: after each build every open tab is told
exactly what it needs (reload, swap stylesheets, show errors, or nothing)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from serve_support import (
    ARTICLE,
    ARTICLE_URL,
    STYLESHEET,
    LiveTab,
    get_text,
    port_of,
    save,
    serving,
    wait_for_build,
)

from sitegen.serve import reload
from sitegen.serve.preview import Status

ABOUT_URL = "/about/"


@pytest.fixture
def server(make_site):
    site = make_site({"static/css/style.css": STYLESHEET,
                      "static/images/dot.png": b"\x89PNG\r\n\x1a\n" + bytes(8)})
    with serving(site) as server:
        yield server


def open_tab(server, path: str, assets: list[str] = ()) -> LiveTab:
    tab = LiveTab(server, origin=f"http://127.0.0.1:{port_of(server)}")
    assert tab.status == 101
    tab.hello(server, path, assets=list(assets))
    deadline = time.monotonic() + 10
    while server.hub.clients < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    return tab


def edit(server, rel: str, change) -> None:
    """Change a source file and wait until the preview has rebuilt."""
    builds = server.preview.builds
    path: Path = server.preview.site / rel
    save(path, change(path.read_text()))  # whole: no build sees it truncated, half-written
    wait_for_build(server, builds)


def test_only_the_tab_whose_page_changed_reloads(server) -> None:
    home, about = open_tab(server, "/"), open_tab(server, ABOUT_URL)
    front = server.preview.output / "index.html"
    before = front.read_bytes()
    edit(server, "content/pages/about.md", lambda text: text + "\nA new paragraph.\n")
    assert about.receive() == {"type": "reload"}
    assert "A new paragraph." in get_text(server, ABOUT_URL)
    assert front.read_bytes() == before  # the front page did not change...
    assert home.receive(timeout=1.5) is None  # ...so its tab is left alone


def test_a_stylesheet_change_swaps_stylesheets_without_a_reload(server) -> None:
    tab = open_tab(server, ARTICLE_URL, ["/css/style.css", "/images/dot.png"])
    edit(server, "static/css/style.css", lambda text: text.replace("10, 20, 30", "200, 0, 0"))
    assert tab.receive() == {"type": "css", "paths": ["/css/style.css"]}
    assert tab.receive(timeout=1.5) is None


def test_an_image_change_reloads_the_tabs_that_show_it(server) -> None:
    showing, other = open_tab(server, ARTICLE_URL, ["/images/dot.png"]), open_tab(server, "/")
    builds = server.preview.builds
    (server.preview.site / "static/images/dot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(9))
    wait_for_build(server, builds)
    assert showing.receive() == {"type": "reload"}
    assert other.receive(timeout=1.5) is None


def test_a_failed_build_sends_the_overlay_and_the_fix_reloads(server) -> None:
    tab = open_tab(server, ARTICLE_URL)
    edit(server, ARTICLE, lambda text: text.replace("date: 2024-03-01T10:00:00Z",
                                                    "date: someday"))
    message = tab.receive()
    assert message is not None and message["type"] == "errors"
    assert 'id="sitegen-overlay"' in str(message["html"])
    assert "content/articles/2024/first.md:4:7:" in str(message["html"])
    edit(server, ARTICLE, lambda text: text.replace("date: someday",
                                                    "date: 2024-03-01T10:00:00Z"))
    assert tab.receive() == {"type": "reload"}  # same bytes as before, but the overlay must go


def test_a_tab_that_missed_a_change_reloads_as_soon_as_it_connects(server) -> None:
    tab = LiveTab(server)
    assert tab.status == 101
    tab.send({"path": ARTICLE_URL, "page": "200:stale", "build": "x-1", "assets": [],
              "errors": False})
    assert tab.receive() == {"type": "reload"}


def test_a_tab_from_before_a_restart_refreshes_its_stylesheets(server) -> None:
    tab = LiveTab(server)
    page = server.preview.fingerprint(ARTICLE_URL)
    tab.send({"path": ARTICLE_URL, "page": page, "build": "old-server-7", "assets": [],
              "errors": False})
    assert tab.receive() == {"type": "css", "paths": []}


def test_a_tab_with_an_overlay_reloads_once_the_build_is_good(server) -> None:
    tab = LiveTab(server)
    page = server.preview.fingerprint(ARTICLE_URL)
    tab.send({"path": ARTICLE_URL, "page": page, "build": server.preview.status.build_id,
              "assets": [], "errors": True})
    assert tab.receive() == {"type": "reload"}


@pytest.mark.parametrize("hello", [b"not json", b"[]", b'{"path": 1}'])
def test_a_bad_hello_closes_the_connection(server, hello: bytes) -> None:
    tab = LiveTab(server)
    mask = b"\x01\x02\x03\x04"
    tab.sock.sendall(bytes([0x81, 0x80 | len(hello)]) + mask
                     + bytes(b ^ mask[i % 4] for i, b in enumerate(hello)))
    with pytest.raises(ConnectionError):
        tab.receive()
    assert server.hub.clients == 0
    assert get_text(server, "/")  # and the server goes on


def test_the_overlay_escapes_every_message() -> None:
    html = reload.overlay(("content/a<script>.md:1:1: bad `<b>` & worse",), live=True)
    assert "<script>" not in html and "<b>" not in html
    assert "content/a&lt;script&gt;.md:1:1: bad `&lt;b&gt;` &amp; worse" in html


def test_inject_puts_the_snippet_before_the_last_body_end() -> None:
    page = b"<html><body><p>x</p><script>'</body>'</script></BODY></html>"
    assert reload.inject(page, "<i>S</i>") == (b"<html><body><p>x</p><script>'</body>'</script>"
                                               b"<i>S</i></BODY></html>")
    assert reload.inject(b"<p>fragment</p>", "<i>S</i>") == b"<p>fragment</p><i>S</i>"
    status = Status("abc-1")
    served = reload.decorate(b"<body></body>", "200:ff", status, live=True)
    assert b'const page = "200:ff", build = "abc-1";' in served
    assert reload.decorate(b"<body></body>", "200:ff", status, live=False) == b"<body></body>"
    assert b"\\u003c/script" in reload.script("</script><script>alert(1)", "b").encode()
