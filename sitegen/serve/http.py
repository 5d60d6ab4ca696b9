"""The preview's HTTP server: a threaded stdlib server with a strict request handler.

Rules (each one tested over real sockets in tests/test_serve_http.py):
- only GET and HEAD (405 with `Allow` otherwise); only regular files inside the output folder
  (see `files`); no folder listings; `/dir` redirects to `/dir/`;
- a request line over 8 KiB is 414, headers over 32 KiB are 431, a NUL or an unparsable
  request line is 400; the connection is then closed and the server goes on;
- while bound to loopback, a `Host` that is not a loopback name is refused (421), so that a
  web page cannot reach the preview through DNS rebinding;
- every response: `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`, an explicit
  type with `charset=utf-8` for text, and never `Access-Control-Allow-Origin`;
- the site's `404.html` is served with status 404; byte ranges for media (and any non-page);
- HTML pages get the live-reload script and, after a failed build, the error overlay.
"""

from __future__ import annotations

import contextlib
import errno
import html
import os
import socket
import socketserver
import sys
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.errors import UsageError
from sitegen.serve import files, reload
from sitegen.serve.addresses import bind_problem, host_name, is_loopback_host, resolve_bind
from sitegen.serve.files import MIME_TYPES, content_type, copy_span, parse_range
from sitegen.serve.preview import OutputMissing, Preview, Rendered, page_fingerprint
from sitegen.serve.websocket import WebSocket, accept_key, valid_key

DEFAULT_PORT = 8000
PORTS_TRIED = 20  # without --port: DEFAULT_PORT or one of the next free ones
MAX_REQUEST_LINE = 8 * 1024
MAX_HEADER_BYTES = 32 * 1024
RESERVED = "/__sitegen/"
NOT_FOUND_BODY = (b"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title>"
                  b"</head>\n<body><h1>Not found</h1>\n<p>Nothing is built at this address.</p>"
                  b"\n</body></html>\n")

OUTPUT_GONE_BODY = (b"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Rebuilding"
                    b"</title></head>\n<body><h1>The output folder is gone</h1>\n<p>{output} "
                    b"was deleted while the preview ran. It is being built again; this page "
                    b"reloads by itself when it is back.</p>\n</body></html>\n")


class PreviewServer(ThreadingHTTPServer):
    """A thread per connection (daemon threads, so stopping never waits on an open tab) and
    a listen backlog of 128, so a page with many assets and a few tabs never stall."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True  # a restart right after Ctrl-C must find the port free

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily,
                 preview: Preview, hub: reload.Hub) -> None:
        self.address_family = family
        self.preview = preview
        self.hub = hub
        self.loopback_only = is_loopback_host(address[0])
        super().__init__(address, PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, a DNS query we neither need nor
        # want on a laptop in a café.
        if self.address_family == socket.AF_INET6:
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # a browser that went away is not news
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        host = self.server_name
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.server_port}{self.preview.prefix}/"


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests; never raises out of a request."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"  # keep-alive: a page's assets reuse connections
    # Errors in a request line too broken to carry a version still get a status line
    # (the stdlib would answer those HTTP/0.9-style: a bare body, no status, no headers).
    default_request_version = "HTTP/1.0"
    timeout = 30  # an idle or stalled connection gives its thread back
    _extra_headers: list[tuple[str, str]]

    def setup(self) -> None:
        super().setup()
        self._extra_headers = []

    # -- request parsing ---------------------------------------------------------------

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self._refuse(HTTPStatus.REQUEST_URI_TOO_LONG, "The request line is over 8 KiB.")
                return
            if b"\x00" in self.raw_requestline:
                self._refuse(HTTPStatus.BAD_REQUEST, "The request line holds a NUL byte.")
                return
            if not self.parse_request():
                self.close_connection = True
                return
            if len(self.requestline.split()) == 2:
                self._refuse(HTTPStatus.BAD_REQUEST, "HTTP/0.9 is not supported.")
                return
            if self.headers.defects:
                self._refuse(HTTPStatus.BAD_REQUEST, "A header line is malformed.")
                return
            if sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADER_BYTES:
                self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                             "The headers are over 32 KiB.")
                return
            if self.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in \
                    self.headers:
                self.close_connection = True  # a body is never read, so never reuse the socket
            self._dispatch()
            self.wfile.flush()
        except (TimeoutError, ConnectionError):
            self.close_connection = True
        except Exception:  # a bug or an unreadable file: answer 500, keep serving
            self.close_connection = True
            traceback.print_exc(file=sys.stderr)
            with contextlib.suppress(Exception):
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR,
                                explain="sitegen serve failed; the terminal has the details.")

    def _refuse(self, status: HTTPStatus, explain: str) -> None:
        """Answer a request that could not be parsed, then drop the connection."""
        self.requestline = self.raw_requestline[:200].decode("latin-1").rstrip("\r\n")
        self.request_version = "HTTP/1.1"
        self.command = ""
        self.send_error(status, explain=explain)
        self.close_connection = True

    # -- responses -----------------------------------------------------------------

    def end_headers(self) -> None:
        for name, value in self._extra_headers:
            self.send_header(name, value)
        self._extra_headers = []
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def version_string(self) -> str:
        return "sitegen-serve"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # a preview prints builds, not every request

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"sitegen serve: {self.address_string()}: {format % args}\n")

    def _dispatch(self) -> None:
        if self.command not in ("GET", "HEAD"):
            self.close_connection = True
            self._extra_headers.append(("Allow", "GET, HEAD"))
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, explain="Only GET and HEAD.")
            return
        target = files.split_target(self.path)
        if target is None:
            self.send_error(HTTPStatus.BAD_REQUEST, explain="The request target is not a path.")
            return
        if not self._host_allowed():
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST,
                            explain="The preview answers only to loopback host names.")
            return
        path, query = target
        if path == reload.LIVE_PATH and self.server.hub.live:
            self._live()
        elif path.startswith(RESERVED):
            self._not_found()
        else:
            self._serve(path, query)

    def _host_allowed(self) -> bool:
        if not self.server.loopback_only:
            return True
        authority = (urlsplit(self.path).netloc if not self.path.startswith("/")
                     else self.headers.get("Host"))
        return authority is None or is_loopback_host(host_name(authority))

    def _serve(self, path: str, query: str) -> None:
        found = self.server.preview.resolve(path, query)
        if isinstance(found, files.Redirect):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif isinstance(found, files.Found):
            try:
                self._send_file(found.file, HTTPStatus.OK)
            except FileNotFoundError:  # replaced by a build between resolving and opening
                self._not_found()
        elif isinstance(found, Rendered):
            self._send_rendered(found)
        elif isinstance(found, OutputMissing):
            body = OUTPUT_GONE_BODY.replace(b"{output}", html.escape(str(found.output)).encode())
            self._send_page(body, HTTPStatus.SERVICE_UNAVAILABLE, page_fingerprint(503, None))
        else:
            self._not_found()

    def _send_rendered(self, found: Rendered) -> None:
        """A page or feed of the build in progress, as the build will write it."""
        kind = content_type(Path(found.rel))
        if kind.startswith("text/html"):
            self._send_page(found.data, HTTPStatus.OK, page_fingerprint(200, found.data))
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(found.data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(found.data)

    def _not_found(self) -> None:
        page = self.server.preview.not_found_page()
        if page is not None:
            with contextlib.suppress(FileNotFoundError):
                self._send_file(page, HTTPStatus.NOT_FOUND)
                return
        self._send_page(NOT_FOUND_BODY, HTTPStatus.NOT_FOUND, page_fingerprint(404, None))

    def _send_file(self, path: Path, status: HTTPStatus) -> None:
        kind = content_type(path)
        if kind.startswith("text/html"):
            data = path.read_bytes()
            self._send_page(data, status, page_fingerprint(status, data))
            return
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            try:
                span = parse_range(self.headers.get("Range"), size) if status == 200 else None
            except ValueError:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            first, last = span if span else (0, size - 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if span else status)
            self.send_header("Content-Type", kind)
            self.send_header("Accept-Ranges", "bytes")
            if span:
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            self.send_header("Content-Length", str(last - first + 1))
            self.end_headers()
            if self.command != "HEAD":
                stream.seek(first)
                copy_span(stream, self.wfile, last - first + 1)

    def _send_page(self, data: bytes, status: int, fingerprint: str) -> None:
        server = self.server
        body = reload.decorate(data, fingerprint, server.preview.status, live=server.hub.live)
        self.send_response(status)
        self.send_header("Content-Type", MIME_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # -- live reload -----------------------------------------------------------------

    def _live(self) -> None:
        """Upgrade to a WebSocket for one tab, refusing pages of another origin."""
        origin = self.headers.get("Origin")
        host = self.headers.get("Host", "")
        if origin is not None and origin.lower() != f"http://{host}".lower():
            self.send_error(HTTPStatus.FORBIDDEN, explain="A page of another origin.")
            return
        key = self.headers.get("Sec-WebSocket-Key")
        if (self.headers.get("Upgrade", "").lower() != "websocket" or not valid_key(key)
                or self.command != "GET"):
            self._extra_headers.append(("Upgrade", "websocket"))
            self.send_error(HTTPStatus.UPGRADE_REQUIRED, explain="This address takes a WebSocket.")
            return
        assert key is not None
        self.send_response(HTTPStatus.SWITCHING_PROTOCOLS)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept_key(key))
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        # The browser sends nothing before it has read the 101 answer (RFC 6455 4.1), so no
        # frame can be waiting in rfile's buffer: reading the socket directly is safe.
        self.server.hub.serve(WebSocket(self.connection))


def open_server(bind: str, port: int | None, preview: Preview, hub: reload.Hub,
                say: Callable[[str], object] = print) -> PreviewServer:
    """Listen on `bind`:`port`. With no --port, 8000 or the next free port (said aloud);
    an explicit port in use is an error that says what to do."""
    address, family = resolve_bind(bind)
    candidates = [port] if port is not None else list(range(DEFAULT_PORT,
                                                            DEFAULT_PORT + PORTS_TRIED))
    for candidate in candidates:
        try:
            server = PreviewServer((address, candidate), family, preview, hub)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and port is None:
                continue
            raise UsageError(bind_problem(address, candidate, exc)) from None
        if candidate != candidates[0]:
            say(f"Port {candidates[0]} is in use; serving on port {candidate} instead.")
        return server
    raise UsageError(f"ports {candidates[0]}-{candidates[-1]} on {address} are all in use. "
                     "Pass --port N, or --port 0 for any free port.")


