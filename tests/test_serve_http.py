"""`sitegen serve` over real sockets on 127.0.0.1: what it serves, what it refuses, and how it
survives bad requests. Each rule of issue 4 section 4 has a test here."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXED_NOW, tree_bytes, write_site
from serve_support import (
    ARTICLE,
    ARTICLE_URL,
    STYLESHEET,
    LiveTab,
    port_of,
    raw,
    request,
    serving,
    status_of,
    wait_for_status,
)

from sitegen.output.search import find_pagefind
from sitegen.serve.addresses import is_loopback_host
from sitegen.serve.files import parse_range

SECRET = "TOP-SECRET-OUTSIDE-THE-OUTPUT"
CLIP = bytes(range(256)) * 4  # 1,024 bytes of "video"


def write_served_site(root: Path) -> Path:
    site = write_site(root / "site", {
        "static/css/style.css": STYLESHEET,
        "static/media/clip.mp4": CLIP,
        "static/images/dot.png": b"\x89PNG\r\n\x1a\n" + bytes(20),
        "static/files/notes.unknownext": b"abc",
        "static/evil.test/file.txt": "a folder named like a host\n",
        "static/empty-folder/readme.txt": "a folder without index.html\n",
    })
    # Files next to the output folder, and above the site: nothing may ever serve them.
    (site / "x").write_text(SECRET)
    (site / "secret.txt").write_text(SECRET)
    (root / "x").write_text(SECRET)
    return site


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_served_site(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def server(shared_site: Path):
    """One preview for the tests that only send it requests (each build costs a second)."""
    with serving(shared_site) as server:
        yield server


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_served_site(tmp_path)


@pytest.fixture
def own_server(site: Path):
    """A preview of the test's own site, for tests that change the site or its output."""
    with serving(site) as server:
        yield server


def get(server, path: str, **headers: str):
    return request(server, path, headers=headers or None)


def raw_get(server, target: str, host: str | None = None) -> bytes:
    host = host or f"127.0.0.1:{port_of(server)}"
    return raw(server, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
               .encode("latin-1"))


def test_listens_on_loopback_only_with_a_large_backlog(server) -> None:
    assert server.server is not None
    assert server.server.socket.getsockname()[0] == "127.0.0.1"
    assert server.server.request_queue_size >= 128
    assert server.url == f"http://127.0.0.1:{port_of(server)}/"


def test_serves_the_built_site_with_the_script_only_in_the_response(server, shared_site, cli,
                                                                    tmp_path) -> None:
    site = shared_site
    page = get(server, ARTICLE_URL)
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in page.headers
    assert '<h1 class="headline">First Story</h1>' in page.text
    assert "/__sitegen/live" in page.text
    assert int(page.headers["content-length"]) == len(page.body)
    on_disk = (site / "build" / ARTICLE_URL.strip("/") / "index.html").read_bytes()
    assert b"__sitegen" not in on_disk
    assert page.body.startswith(on_disk[:on_disk.rfind(b"</body>")])
    # The preview's build/ holds exactly what `sitegen build` writes (once its search index,
    # made apart from builds when saves are quiet, has caught up).
    if find_pagefind() is not None:
        deadline = time.monotonic() + 120
        while not (site / "build/pagefind/pagefind.js").exists():
            assert time.monotonic() < deadline, "the search index never came"
            time.sleep(0.1)
    fresh = tmp_path / "fresh"
    assert cli("build", "--site", site, "--output", fresh, "--now",
               FIXED_NOW.isoformat()).code == 0
    served = tree_bytes(site / "build")
    assert served == tree_bytes(fresh)
    assert not any(b"__sitegen" in data for data in served.values())


def test_no_reload_serves_pages_unchanged(site) -> None:
    with serving(site, live=False) as server:
        page = get(server, ARTICLE_URL)
        assert page.body == (site / "build" / ARTICLE_URL.strip("/") / "index.html").read_bytes()
        assert get(server, "/__sitegen/live").status == 404


@pytest.mark.parametrize("target", [
    "/../x", "/%2e%2e/x", "/%2E%2E/x", "/..%2fx", "/..%2Fx", "/%252e%252e/x", "//x", "/..\\x",
    "/..%5cx", "/%00", "/x%00.html", "/%2e%2e/%2e%2e/x", "/../../x", "/./../x",
    "/css/../../x", "/%2e%2e%2fsecret.txt", "/..;/x", "/%c0%ae%c0%ae/x", "/.%2e/x",
    "/secret.txt", "/../secret.txt", "//../secret.txt", "///etc/passwd", "/../../../../etc/passwd",
])
def test_traversal_probes_are_not_found(server, target: str) -> None:
    reply = raw_get(server, target)
    assert status_of(reply) == 404, reply[:200]
    assert SECRET.encode() not in reply
    assert b"root:" not in reply


def test_absolute_form_targets_serve_only_the_output(server) -> None:
    port = port_of(server)
    for target in (f"http://127.0.0.1:{port}/../x", f"http://127.0.0.1:{port}/%2e%2e/x",
                   f"http://127.0.0.1:{port}//x", "http://localhost/../../etc/passwd"):
        reply = raw_get(server, target)
        assert status_of(reply) == 404, (target, reply[:200])
        assert SECRET.encode() not in reply and b"root:" not in reply
    # A proper absolute-form request (RFC 9112 3.2.2) is answered from the output folder.
    assert status_of(raw_get(server, f"http://127.0.0.1:{port}/robots.txt")) == 200
    # One naming another host is refused like a foreign Host header.
    assert status_of(raw_get(server, "http://evil.test/robots.txt")) == 421
    # Targets that are neither a path nor an http URL are bad requests.
    for target in ("*", "robots.txt", "ftp://127.0.0.1/robots.txt"):
        assert status_of(raw_get(server, target)) == 400


def test_symlinks_in_the_output_are_followed_only_inside_it(own_server, site, tmp_path) -> None:
    output = site / "build"
    (output / "leak.txt").symlink_to(site / "secret.txt")
    (output / "leak-dir").symlink_to(tmp_path)
    (output / "alias.txt").symlink_to(output / "robots.txt")
    for target in ("/leak.txt", "/leak-dir/x", "/leak-dir/site/secret.txt", "/leak-dir/"):
        reply = raw_get(own_server, target)
        assert status_of(reply) == 404, target
        assert SECRET.encode() not in reply
    alias = get(own_server, "/alias.txt")
    assert alias.status == 200 and alias.body == (output / "robots.txt").read_bytes()


def test_only_regular_files(own_server, site) -> None:
    import os

    os.mkfifo(site / "build" / "pipe.txt")  # reading it would hang a thread forever
    assert status_of(raw_get(own_server, "/pipe.txt")) == 404
    assert status_of(raw_get(own_server, "/.sitegen-output")) == 404


@pytest.mark.parametrize(("data", "expected"), [
    (b"GARBAGE\r\n\r\n", 400),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n", 400),
    (b"GET / HTTP/1.1\x00\r\nHost: 127.0.0.1\r\n\r\n", 400),
    (b"GET /\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
    (b"GET /" + b"a" * 10_240 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 65_536 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
     + b"".join(b"X-H%d: %s\r\n" % (i, b"c" * 900) for i in range(60)) + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
     + b"".join(b"X-H%d: 1\r\n" % i for i in range(200)) + b"\r\n", 431),
    (b"GET /\r\n\r\n", 400),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET / FTP/1.0\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nBad header line without colon\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n Folded: header\r\n\r\n", 400),
])
def test_a_malformed_request_gets_an_answer_and_the_server_goes_on(server, data: bytes,
                                                                   expected: int) -> None:
    reply = raw(server, data)
    assert status_of(reply) == expected, reply[:300]
    assert b"Cache-Control: no-store" in reply
    assert get(server, "/").status == 200


def test_half_requests_and_silent_clients_do_not_stop_the_server(server) -> None:
    port = port_of(server)
    for data in (b"", b"GET / HT", b"GET / HTTP/1.1\r\nHost: x"):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(data)
    assert get(server, "/").status == 200


def test_folders_are_never_listed_and_redirect_to_their_slash(server) -> None:
    assert get(server, "/empty-folder/").status == 404
    assert "readme.txt" not in get(server, "/empty-folder/").text
    assert get(server, "/css/").status == 404
    moved = get(server, ARTICLE_URL.rstrip("/"))
    assert moved.status == 301
    assert moved.headers["location"] == ARTICLE_URL
    assert get(server, ARTICLE_URL.rstrip("/") + "?q=1").headers["location"] == ARTICLE_URL + "?q=1"
    # An open redirect through `//host` is the classic mistake: Location never starts `//`.
    for target in ("//evil.test", "///evil.test", "/%2fevil.test", "/.//evil.test"):
        reply = raw_get(server, target)
        assert status_of(reply) == 301, target
        location = next(line for line in reply.split(b"\r\n") if line.startswith(b"Location:"))
        assert location == b"Location: /evil.test/", target
    assert get(server, "/robots.txt/").status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                                    "CONNECT", "PROPFIND", "get"])
def test_only_get_and_head(server, method: str) -> None:
    reply = request(server, "/", method=method)
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, HEAD"
    assert "access-control-allow-origin" not in reply.headers


def test_head_has_the_headers_of_get_and_no_body(server) -> None:
    head = request(server, ARTICLE_URL, method="HEAD")
    full = get(server, ARTICLE_URL)
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == full.headers["content-length"]


@pytest.mark.parametrize(("path", "expected"), [
    (ARTICLE_URL, "text/html; charset=utf-8"),
    ("/css/style.css", "text/css; charset=utf-8"),
    ("/feed.xml", "application/xml; charset=utf-8"),
    ("/sitemap.xml", "application/xml; charset=utf-8"),
    ("/robots.txt", "text/plain; charset=utf-8"),
    ("/images/dot.png", "image/png"),
    ("/media/clip.mp4", "video/mp4"),
    ("/files/notes.unknownext", "application/octet-stream"),
])
def test_explicit_types_and_nosniff(server, path: str, expected: str) -> None:
    reply = get(server, path)
    assert reply.status == 200
    assert reply.headers["content-type"] == expected
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["cache-control"] == "no-store"


def test_the_sites_404_page_is_served_with_status_404(server, shared_site) -> None:
    site = shared_site
    missing = get(server, "/no/such/page/")
    assert missing.status == 404
    assert "Page not found" in missing.text
    assert (site / "build/404.html").read_bytes()[:200] == missing.body[:200]
    assert "/__sitegen/live" in missing.text


def test_byte_ranges_for_media(server) -> None:
    part = get(server, "/media/clip.mp4", Range="bytes=10-19")
    assert part.status == 206
    assert part.headers["content-range"] == f"bytes 10-19/{len(CLIP)}"
    assert part.body == CLIP[10:20]
    assert get(server, "/media/clip.mp4", Range="bytes=-5").body == CLIP[-5:]
    assert get(server, "/media/clip.mp4", Range="bytes=1000-").body == CLIP[1000:]
    assert get(server, "/media/clip.mp4", Range="bytes=1000-99999").body == CLIP[1000:]
    beyond = get(server, "/media/clip.mp4", Range="bytes=5000-")
    assert beyond.status == 416 and beyond.headers["content-range"] == f"bytes */{len(CLIP)}"
    whole = get(server, "/media/clip.mp4", Range="bytes=0-1,5-6")
    assert whole.status == 200 and whole.body == CLIP
    assert get(server, "/media/clip.mp4").headers["accept-ranges"] == "bytes"


def test_parse_range_edges() -> None:
    assert parse_range(None, 10) is None
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=-20", 10) == (0, 9)
    assert parse_range("bytes=5-2", 10) is None
    assert parse_range("items=0-1", 10) is None
    assert parse_range("bytes=a-b", 10) is None
    with pytest.raises(ValueError):
        parse_range("bytes=-0", 10)
    with pytest.raises(ValueError):
        parse_range("bytes=10-", 10)
    for empty in ("bytes=-5", "bytes=0-", "bytes=0-0"):  # no byte of an empty file exists
        with pytest.raises(ValueError):
            parse_range(empty, 0)
    assert parse_range("bytes=a-b", 0) is None  # a malformed range is still ignored


def test_no_cors_even_when_asked(server) -> None:
    reply = get(server, "/", Origin="http://evil.test")
    assert reply.status == 200
    assert "access-control-allow-origin" not in reply.headers


def test_foreign_host_names_are_refused_on_loopback(server) -> None:
    port = port_of(server)
    for host in ("evil.test", f"evil.test:{port}", "192.168.1.10", "attacker.example:80"):
        assert status_of(raw_get(server, "/", host=host)) == 421, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}",
                 f"preview.localhost:{port}"):
        assert status_of(raw_get(server, "/", host=host)) == 200, host


def test_is_loopback_host() -> None:
    assert all(map(is_loopback_host, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost",
                                      "LOCALHOST", "a.localhost"]))
    assert not any(map(is_loopback_host, ["0.0.0.0", "::", "192.168.0.1", "example.org",
                                          "localhost.example.org", "", "10.0.0.1"]))


def test_the_reload_endpoint_refuses_a_foreign_origin(server) -> None:
    port = port_of(server)
    assert LiveTab(server, origin="http://evil.test").status == 403
    assert LiveTab(server, origin=f"http://localhost.evil.test:{port}").status == 403
    assert LiveTab(server, origin="null").status == 403
    assert LiveTab(server, origin=f"http://127.0.0.1:{port}").status == 101
    assert get(server, "/__sitegen/live").status == 426  # a plain GET is not an upgrade


def test_many_concurrent_connections_are_all_answered(server) -> None:
    results: list[int] = []
    lock = threading.Lock()

    def fetch() -> None:
        status = get(server, "/").status
        with lock:
            results.append(status)

    threads = [threading.Thread(target=fetch) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [200] * 100


def test_a_failed_build_keeps_the_last_good_site_under_an_overlay(own_server, site) -> None:
    good = get(own_server, ARTICLE_URL).text
    assert 'id="sitegen-overlay"' not in good
    article = site / ARTICLE
    broken = article.read_text().replace("date: 2024-03-01T10:00:00Z", "date: someday")
    bad_name = site / "content/articles/2024/a<i>b.md"
    bad_name.write_text("---\ntitle: x\n")  # unclosed front matter, in a file named like HTML
    article.write_text(broken)
    # Two files: the watcher may hand them to two builds; wait for the one that saw both.
    wait_for_status(own_server, lambda status: any("first.md:4:7:" in e for e in status.errors)
                    and any("a<i>b.md:1:1:" in e for e in status.errors),
                    what="a build that saw both broken files")
    page = get(own_server, ARTICLE_URL)
    assert page.status == 200
    assert '<h1 class="headline">First Story</h1>' in page.text  # the last good build
    assert 'id="sitegen-overlay"' in page.text
    assert "content/articles/2024/first.md:4:7: `date` is not a valid date" in page.text
    assert "content/articles/2024/a&lt;i&gt;b.md:1:1:" in page.text
    assert "a<i>b.md" not in page.text
    for other in ("/", "/about/", "/no/such/page/"):
        assert 'id="sitegen-overlay"' in get(own_server, other).text, other
    bad_name.unlink()
    article.write_text(broken.replace("date: someday", "date: 2024-03-01T10:00:00Z")
                       .replace("title: First Story", "title: Fixed Story"))
    wait_for_status(own_server, lambda status: not status.failed,
                    what="a build that saw both files fixed")  # neither alone fixes it
    fixed = get(own_server, ARTICLE_URL).text
    assert 'id="sitegen-overlay"' not in fixed
    assert '<h1 class="headline">Fixed Story</h1>' in fixed


def test_a_site_that_fails_its_first_build_shows_the_overlay_everywhere(make_site) -> None:
    bad = "---\ntitle: Bad\ndate: someday\n---\nBody\n"
    site = make_site({"content/articles/2024/bad.md": bad})
    with serving(site) as server:
        assert server.preview.status.failed
        page = get(server, "/")
        assert page.status == 404
        assert "content/articles/2024/bad.md:3:7:" in page.text
        assert 'id="sitegen-overlay"' in page.text


def test_a_site_published_under_a_sub_path_is_served_under_it(make_site) -> None:
    site = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/blog/\n"})
    with serving(site) as server:
        assert server.url.endswith("/blog/")
        home = get(server, "/")
        assert home.status == 301 and home.headers["location"] == "/blog/"
        assert '<h1 class="headline">First Story</h1>' in get(server, "/blog" + ARTICLE_URL).text
        assert get(server, ARTICLE_URL).status == 404

