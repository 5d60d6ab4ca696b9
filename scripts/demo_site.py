"""The demo site (the repository root) built and served on 127.0.0.1, for the theme checks.

Shared by the theme tests (tests/test_theme_*.py), scripts/lighthouse.py and
scripts/screenshots.py, so that all of them look at the same pages the same way.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.engine.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
BROWSER_TOOLS = REPO / "tests" / "browser" / "node_modules"
VNU_JAR = BROWSER_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = BROWSER_TOOLS / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = BROWSER_TOOLS / "lighthouse" / "cli" / "index.js"

# The pages issue 8 names, by kind. The 404 is asked for at an address that does not exist,
# so the server answers as a host would: status 404 with the body of /404.html.
CHECKED_PAGES: dict[str, str] = {
    "home": "/",
    "article-with-image": "/2025/06/19/the-case-for-talking-to-tehran/",
    "article-co-authored": "/2026/04/22/yemen-truce-red-sea-shipping/",
    "author": "/authors/julian-okafor/",
    "tag": "/tags/iran/",
    "archive": "/archive/",
    "404": "/no-such-page/",
    # issue 17: the opinion article, a section's page and search, each checked as the rest
    "article-opinion": "/2026/11/03/restraint-is-not-isolation/",
    "section": "/opinion/",
    "search": "/search/",
}

# Every other kind of page, for screenshots.
OTHER_PAGES: dict[str, str] = {
    "section-page-2": "/news/page/2/",
    "article-analysis": "/2026/06/30/the-quiet-costs-of-secondary-sanctions/",
    "article-table": "/2025/12/09/pentagon-budget-by-the-numbers/",
    "article-plain-text": "/2025/11/18/sanctions-and-the-pharmacy-shelf/",
    "corrections": "/corrections/",
    "tags": "/tags/",
    "authors": "/authors/",
    "page": "/types-of-work/",
}


def build_demo(output: Path, base_url: str | None = None) -> Path:
    """Build the demo site into `output` (optionally for another base URL); return it.
    Built from a copy beside it (see demo_copy), so that builds can run side by side."""
    build(BuildOptions(site=demo_copy(output.parent / f"{output.name}-source"), output=output,
                       base_url=base_url))
    return output


def demo_copy(folder: Path) -> Path:
    """The repository's demo site (its settings, content and static files) copied to
    `folder`: a build takes its site's lock and writes the site's cache, so builds of the
    demo at the same time (the tests' parallel workers) each build their own copy."""
    for part in ("content", "static"):
        shutil.copytree(REPO / part, folder / part, dirs_exist_ok=True)
    shutil.copy2(REPO / "sitegen.yaml", folder / "sitegen.yaml")
    return folder


# Sent compressed when the browser asks, as static hosts send text (GitHub Pages, Netlify,
# Cloudflare, S3 behind CloudFront): Lighthouse then measures what a reader downloads.
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt"}


class _Handler(SimpleHTTPRequestHandler):
    """Static files from one folder; a missing page gets the site's 404.html with status 404;
    text gzipped for a browser that accepts it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wanted and path.suffix in COMPRESSED and path.is_file()
                and self.path.split("?")[0].endswith(("/", path.name))):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the browser may drop a request it no longer needs

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1; yields the origin, e.g. http://127.0.0.1:5123."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
