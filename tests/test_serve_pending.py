"""While the dev server writes the rest of the site after an article is added or deleted,
its first pages are live and every other page is answered from the new build, over HTTP,
exactly as the build then writes it; a deleted article's page is gone at once."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import WAIT, request, serving, wait_for_build

from sitegen.serve.command import DevServer

NEW_ARTICLE = "content/articles/2024/fourth.md"
NEW_URL = "/2024/03/04/fourth/"
SCRIPT = re.compile(rb"<script data-sitegen-live>.*?</script>\n?", re.S)


class Held:
    """Holds a rebuild just after its first pages went live (its first `after_build`),
    until released: the test then looks at what the server answers meanwhile."""

    def __init__(self, server: DevServer) -> None:
        self.server = server
        self.original = server.hub.after_build
        self.entered = threading.Event()
        self.release = threading.Event()
        server.hub.after_build = self  # type: ignore[method-assign]

    def __call__(self) -> None:
        if self.server.preview.building and not self.entered.is_set():
            self.entered.set()
            self.release.wait(WAIT)
        self.original()


@pytest.fixture
def held(make_site) -> Iterator[tuple[DevServer, Held]]:
    site = make_site()
    with serving(site) as server:
        hold = Held(server)
        try:
            yield server, hold
        finally:
            hold.release.set()


def on_disk(server: DevServer, rel: str) -> bytes | None:
    path = server.preview.output / rel
    return path.read_bytes() if path.is_file() else None


def page(body: bytes) -> bytes:
    """A served page without the live-reload script: the bytes of the built file."""
    return SCRIPT.sub(b"", body)


def test_pages_not_yet_written_are_served_from_the_new_build(held) -> None:
    server, hold = held
    builds = server.preview.builds
    before_tag = on_disk(server, "tags/sanctions/index.html")
    assert before_tag is not None and b"Fourth Story" not in before_tag
    assert on_disk(server, "news/page/2/index.html") is None  # news holds 2 articles, 2 a page
    (server.preview.site / NEW_ARTICLE).write_text(
        "---\ntitle: Fourth Story\ndate: 2024-03-04T10:00:00Z\nauthor: bo-chen\n"
        "tags: [Sanctions]\nsection: news\n---\nThe fourth story.\n")
    assert hold.entered.wait(WAIT), "the rebuild never put its first pages live"

    # Held between the first pages and the rest: the disk still has the old listings...
    assert on_disk(server, "tags/sanctions/index.html") == before_tag
    assert on_disk(server, "news/page/2/index.html") is None
    # ...the home page and the new article are live on disk (the first pages)...
    assert b"Fourth Story" in (on_disk(server, "index.html") or b"")
    assert on_disk(server, "2024/03/04/fourth/index.html") is not None
    # ...and the server answers every page as the new build has it.
    during = {path: request(server, path) for path in
              ("/tags/sanctions/", "/news/", "/news/page/2/", "/feed.xml", "/sitemap.xml",
               NEW_URL)}
    assert all(r.status == 200 for r in during.values()), {p: r.status for p, r in
                                                           during.items()}
    assert b"Fourth Story" in during["/tags/sanctions/"].body
    assert b"Fourth Story" in during["/news/"].body
    assert b"First Story" not in during["/news/"].body  # pushed to page 2 by the new one
    assert b"First Story" in during["/news/page/2/"].body
    assert b"Fourth Story" in during["/feed.xml"].body
    assert NEW_URL.encode() in during["/sitemap.xml"].body
    assert request(server, "/2024/03/04/fourth").status == 301  # its folder, as on disk

    time.sleep(0.2)  # the terminal tells the early time apart only when the rest took long
    hold.release.set()
    wait_for_build(server, builds)
    said = server.out.getvalue()  # (a second save event may have built once more)
    assert re.search(r"Built \d+ pages after changes to content/articles/2024/fourth.md in "
                     r"\d+ ms \(open pages reloaded, and every page served new, after \d+ ms\)",
                     said), said
    # What was served meanwhile is byte for byte what the build wrote.
    for path, response in during.items():
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        assert page(response.body) == on_disk(server, rel), path
        after = request(server, path)
        assert page(after.body) == page(response.body), path
        assert after.headers["content-type"] == response.headers["content-type"], path


def test_a_deleted_article_is_gone_at_once(held) -> None:
    server, hold = held
    builds = server.preview.builds
    url, rel = "/2024/03/03/third/", "2024/03/03/third/index.html"
    assert request(server, url).status == 200
    (server.preview.site / "content/articles/2024/third.txt").unlink()
    assert hold.entered.wait(WAIT), "the rebuild never put its first pages live"

    assert on_disk(server, rel) is not None  # still on disk: the build is held...
    gone = request(server, url)
    assert gone.status == 404  # ...but no longer served
    assert b"Third Story" not in gone.body
    assert b"Third Story" not in request(server, "/tags/sanctions/").body

    hold.release.set()
    wait_for_build(server, builds)
    assert on_disk(server, rel) is None
    assert request(server, url).status == 404


def test_once_the_build_ends_the_disk_answers_again(held) -> None:
    server, hold = held
    builds = server.preview.builds
    hold.release.set()  # not held: the build runs through
    (server.preview.site / NEW_ARTICLE).write_text(
        "---\ntitle: Fourth Story\ndate: 2024-03-04T10:00:00Z\nauthor: bo-chen\n"
        "tags: [Sanctions]\nsection: news\n---\nThe fourth story.\n")
    wait_for_build(server, builds)
    # A page changed on disk by hand is served as it is: nothing answers from memory now.
    target: Path = server.preview.output / "tags/sanctions/index.html"
    target.write_bytes(target.read_bytes().replace(b"Fourth Story", b"Hand Edited"))
    assert b"Hand Edited" in request(server, "/tags/sanctions/").body


def process_state(pid: int) -> str:
    """R, S, T (stopped)...: the state letter of /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def test_a_background_search_index_waits_while_the_site_rebuilds(held) -> None:
    server, hold = held
    builds = server.preview.builds
    # Stands in for Pagefind indexing the last build in the background.
    indexer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    server.preview._indexing.append(indexer)
    try:
        wait_for_state = time.monotonic() + WAIT
        while process_state(indexer.pid) != "S" and time.monotonic() < wait_for_state:
            time.sleep(0.02)
        (server.preview.site / NEW_ARTICLE).write_text(
            "---\ntitle: Fourth Story\ndate: 2024-03-04T10:00:00Z\nauthor: bo-chen\n"
            "tags: [Sanctions]\nsection: news\n---\nThe fourth story.\n")
        assert hold.entered.wait(WAIT), "the rebuild never put its first pages live"
        assert process_state(indexer.pid) == "T"  # stopped while the build runs
        hold.release.set()
        wait_for_build(server, builds)
        assert process_state(indexer.pid) in "RS"  # and running again after
    finally:
        server.preview._indexing.remove(indexer)
        indexer.kill()
        indexer.wait()
