"""`sitegen check`: broken links, anchors and images at their source's line, editorial
warnings, exit codes, JSON, and outside links against a server on 127.0.0.1."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from conftest import REPO

NOW = "2026-11-25T12:00:00+00:00"
CLEAN = {
    "content/authors/ann-lee.yaml": "name: Ann Lee\nlinks:\n  website: https://ann.example.net/\n",
    "content/articles/2024/third.txt": """
        ---
        title: Third Story
        subtitle: A dek
        date: 2024-03-03
        author: bo-chen
        section: news
        ---
        Plain text, linking [nothing](/ though).
    """,
    "content/articles/2024/second.md": """
        ---
        title: Second Story
        summary: What the second story says.
        date: 2024-03-02T10:00:00Z
        authors: [ann-lee, bo-chen]
        tags: [Iran]
        section: opinion
        ---
        Body of the second story, see [the first](/2024/03/01/first/#main) and
        [the tag](/tags/iran/).
    """,
}
BROKEN = """
    ---
    title: Broken Story
    subtitle: A dek
    date: 2024-03-04T10:00:00Z
    author: ann-lee
    image: /images/lead.png
    ---
    First paragraph with [a dead link](/2024/01/01/nowhere/).

    ![A chart](/images/chart.png)

    See [the second story](/2024/03/02/second/#no-such-anchor), and {{ shortcode }}.
"""


def test_the_demo_checks_clean_but_for_its_example_address(cli) -> None:
    result = cli("check", "--site", REPO, "--now", NOW)
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sitegen.yaml:3:11: warning: `base_url`")
    assert "0 errors, 1 warning" in result.err


def test_a_clean_site_has_no_problem_and_writes_nothing(make_site, cli) -> None:
    site = make_site(CLEAN)
    result = cli("check", "--site", site, "--now", NOW)
    assert (result.code, result.out) == (0, ""), result.out
    assert "No problems found." in result.err
    assert not (site / "build").exists()


def test_a_check_after_a_dev_server_closed_in_the_same_process_renders(make_site, cli,
                                                                       ) -> None:
    # Closing a dev server stops every render in its process (a template that never ends
    # must not hold the close up); once it is closed, a check or build there renders again.
    from serve_support import serving

    site = make_site(CLEAN)
    with serving(site):
        pass
    result = cli("check", "--site", site, "--now", NOW)
    assert (result.code, result.out) == (0, ""), result.out
    assert "No problems found." in result.err


def test_broken_links_images_and_anchors_are_errors_at_their_line(make_site, cli) -> None:
    site = make_site({**CLEAN, "content/articles/2024/broken.md": BROKEN})
    result = cli("check", "--site", site, "--now", NOW)
    assert result.code == 1
    path = "content/articles/2024/broken.md"
    lines = result.out.splitlines()
    assert f"{path}:6:8: error: image /images/lead.png leads to no page or file of the site. " \
           "Put the file in static/, or fix the path." in lines
    assert f"{path}:8:36: error: link to /2024/01/01/nowhere/ leads to no page or file of " \
           "the site. Fix the address, or remove the link." in lines
    assert f"{path}:10:12: error: image /images/chart.png leads to no page or file of the " \
           "site. Put the file in static/, or fix the path." in lines
    assert f"{path}:12:24: error: link to /2024/03/02/second/#no-such-anchor: " \
           '/2024/03/02/second/ has no element with id="no-such-anchor". Fix the anchor, ' \
           "or link to the page alone." in lines
    assert any(line.startswith(f"{path}:12:65: warning: `{{{{` is template syntax")
               for line in lines)
    # The build's own warning about the lead image gives way to the check's error.
    assert not any("is not in static/" in line for line in lines)
    assert "4 errors, 1 warning" in result.err


def test_a_broken_author_link_points_at_the_profile(make_site, cli) -> None:
    site = make_site({**CLEAN, "content/authors/ann-lee.yaml":
                      "name: Ann Lee\nlinks:\n  website: https://example.test/ann\n"})
    result = cli("check", "--site", site, "--now", NOW)
    assert result.code == 1
    assert result.out.splitlines() == [
        "content/authors/ann-lee.yaml:3:12: error: link to https://example.test/ann leads to "
        "no page or file of the site. Fix the address, or remove the link."]


def _png(width: int, height: int) -> bytes:
    """A real PNG: the build reads a lead image's bytes (sitegen.images)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(out, "PNG")
    return out.getvalue()


def test_editorial_slips_are_warnings_and_exit_zero(make_site, cli) -> None:
    long = "A " + "very " * 25 + "long headline"
    site = make_site({**CLEAN, "sitegen.yaml": "title: T\nbase_url: https://example.com/\n",
                      "static/images/a.png": _png(1200, 800),
                      "content/articles/2024/slips.md": f"""
        ---
        title: {long}
        date: 2024-03-05T10:00:00Z
        image: /images/a.png
        ---
        Text with {{% raw %}} and `{{{{ in code }}}}` and

        ```
        {{{{ fenced }}}}
        ```
    """})
    result = cli("check", "--site", site, "--now", NOW)
    assert result.code == 0, result.out
    out = result.out
    path = "content/articles/2024/slips.md"
    assert f"{path}:2:8: warning: has no dek. Add `subtitle:`" in out
    assert f"{path}:2:8: warning: the headline is {len(long)} characters long; Google News " \
           "cuts it after 110. Shorten it." in out
    assert f"{path}:4:8: warning: image `/images/a.png` has no `image_alt`." in out
    assert out.count("has no `image_alt`") == 1  # the build's warning, not a second one
    assert f"{path}:6:11: warning: `{{%` is template syntax" in out
    assert out.count("template syntax") == 1  # code spans and fences are code
    assert "sitegen.yaml:2:11: warning: `base_url` is still the example address " \
           "https://example.com/" in out


def test_json_for_ci(make_site, cli) -> None:
    site = make_site({**CLEAN, "content/articles/2024/broken.md": BROKEN})
    result = cli("check", "--site", site, "--now", NOW, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert (data["errors"], data["warnings"]) == (4, 1)
    first = data["problems"][0]
    assert set(first) == {"path", "line", "col", "severity", "message"}
    assert {p["line"] for p in data["problems"]} == {6, 8, 10, 12}


def test_a_site_that_does_not_build_reports_the_build_problems(make_site, cli) -> None:
    site = make_site({**CLEAN, "content/articles/2024/bad.md":
                      "---\ntitle: Bad\ndate: 2024-02-31\n---\nx\n"})
    result = cli("check", "--site", site, "--now", NOW)
    assert result.code == 1
    assert result.out.startswith("content/articles/2024/bad.md:3:7: error: `date` is not a "
                                 "valid date")


# ---------------------------------------------------------------- outside links


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str]]] = []

    def _answer(self) -> None:
        self.seen.append((self.command, self.path))
        code = {"/ok": 200, "/missing": 404}.get(self.path, 200)
        if self.path == "/no-head":
            code = 405 if self.command == "HEAD" else 200
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.seen = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_external_links_head_then_get_and_a_day_of_cache(make_site, cli, server) -> None:
    article = f"""
        ---
        title: Links Out
        subtitle: A dek
        date: 2024-03-06T10:00:00Z
        ---
        [fine]({server}/ok), [no head]({server}/no-head) and
        [gone]({server}/missing).
    """
    site = make_site({**CLEAN, "content/articles/2024/out.md": article,
                      "content/authors/ann-lee.yaml": "name: Ann Lee\n"})  # 127.0.0.1 only
    assert cli("check", "--site", site, "--now", NOW).code == 0  # not asked: not checked
    assert _Handler.seen == []
    result = cli("check", "--site", site, "--now", NOW, "--external")
    assert result.code == 1
    assert result.out.splitlines()[-1] == (
        f"content/articles/2024/out.md:7:8: error: {server}/missing answers 404 Not Found. "
        "Fix the address, or link to another page.")
    assert result.out.count("error") == 1
    assert ("HEAD", "/no-head") in _Handler.seen and ("GET", "/no-head") in _Handler.seen
    assert ("GET", "/ok") not in _Handler.seen
    asked = len(_Handler.seen)
    again = cli("check", "--site", site, "--now", NOW, "--external")
    assert again.out == result.out and len(_Handler.seen) == asked  # from the day's cache
    assert (site / ".sitegen-cache" / "external-links.json").is_file()


def test_an_unreachable_host_is_an_error(make_site, cli) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = make_site({**CLEAN, "content/authors/ann-lee.yaml":
                      f"name: Ann Lee\nlinks:\n  website: http://127.0.0.1:{port}/\n"})
    result = cli("check", "--site", site, "--now", NOW, "--external")
    assert result.code == 1
    assert f"content/authors/ann-lee.yaml:3:12: error: http://127.0.0.1:{port}/ cannot be " \
           "reached" in result.out
