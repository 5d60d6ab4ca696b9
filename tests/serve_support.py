"""Helpers for the `sitegen serve` tests: start a real preview on a free loopback port, talk
to it over raw sockets and HTTP, and wait (with a bound) for things to happen."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import FIXED_NOW, REPO

from sitegen.engine.build import BuildOptions
from sitegen.serve.command import DevServer, ServeOptions
from sitegen.serve.preview import Status

# Every wait in these tests is bounded; these are generous because the machine is shared.
WAIT = 20.0

# The fixture site's own stylesheet (the default theme links /css/style.css).
STYLESHEET = "h1.headline { color: rgb(10, 20, 30); }\n"
ARTICLE_URL = "/2024/03/01/first/"
ARTICLE = "content/articles/2024/first.md"


def wait_for(check: Callable[[], object], timeout: float = WAIT, what: str = "") -> object:
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or check}")
        time.sleep(0.05)


@contextmanager
def serving(site: Path, *, live: bool = True, port: int = 0) -> Iterator[DevServer]:
    """A real preview of `site` on 127.0.0.1 (any free port), closed afterwards."""
    options = ServeOptions(BuildOptions(site=site, now=FIXED_NOW), port=port, live=live)
    server = DevServer(options, out=io.StringIO(), err=io.StringIO())
    try:
        server.start()
        yield server
    finally:
        server.close()


def port_of(server: DevServer) -> int:
    assert server.server is not None
    return server.server.server_port


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(server: DevServer, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> Response:
    """One HTTP request with http.client (no redirects followed, path sent as given)."""
    conn = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=WAIT)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        reply = conn.getresponse()
        body = reply.read()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, body)
    finally:
        conn.close()


def raw(server: DevServer, data: bytes, timeout: float = WAIT) -> bytes:
    """Send bytes as they are and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(reply: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply)
    assert match, f"not an HTTP response: {reply[:200]!r}"
    return int(match.group(1))


def wait_for_build(server: DevServer, after: int) -> None:
    """Wait until the preview has finished a build numbered above `after`, and is idle.

    Only for one saved file: a save of several files may be seen by more than one build
    (the watcher waits for 50 ms of quiet, and a busy machine can pause between two writes
    for longer), so the next build may have seen only the first; see wait_for_status."""
    wait_for(lambda: server.preview.builds > after and not server.preview.building,
             what=f"build number {after + 1}")


def wait_for_status(server: DevServer, check: Callable[[Status], bool], what: str) -> None:
    """Wait until the preview is idle after a build whose outcome passes `check`: after a
    save of several files, the build that saw them all (however the watcher batched them)."""
    wait_for(lambda: not server.preview.building and check(server.preview.status), what=what)


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary (one the watcher ignores), rename it over
    the file. A build never reads a half-written file, and the save is one change."""
    temporary = path.with_name(path.name + "~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class LiveTab:
    """A minimal WebSocket client that speaks the live-reload protocol as the script does."""

    def __init__(self, server: DevServer, *, origin: str | None = None) -> None:
        port = port_of(server)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET /__sitegen/live HTTP/1.1", f"Host: 127.0.0.1:{port}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append(f"Origin: {origin}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status = status_of(head)

    def send(self, message: dict[str, object]) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        size = len(payload)
        length = (bytes([0x80 | size]) if size < 126
                  else bytes([0x80 | 126]) + size.to_bytes(2, "big"))
        self.sock.sendall(bytes([0x81]) + length + mask + masked)

    def hello(self, server: DevServer, path: str, *, assets: list[str] = ()) -> None:
        """Say what the tab shows, as the script does: the page as it is served now."""
        page = server.preview.fingerprint(path)
        self.send({"path": path, "page": page, "build": server.preview.status.build_id,
                   "assets": list(assets), "errors": False})

    def _exact(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def receive(self, timeout: float = WAIT) -> dict[str, object] | None:
        """The next message from the server (pings skipped); None when it times out."""
        self.sock.settimeout(timeout)
        try:
            while True:
                first, second = self._exact(2)
                size = second & 0x7F
                if size == 126:
                    size = int.from_bytes(self._exact(2), "big")
                elif size == 127:
                    size = int.from_bytes(self._exact(8), "big")
                payload = self._exact(size)
                if first & 0x0F == 0x1:
                    return json.loads(payload)
                if first & 0x0F == 0x8:
                    raise ConnectionError("server closed the connection")
        except TimeoutError:
            return None

    def close(self) -> None:
        self.sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`python -m sitegen serve` in a subprocess, its output collected by a thread."""

    def __init__(self, *args: str | Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", *map(str, args)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._drain, args=(stream, sink), daemon=True)
                         for stream, sink in ((self.proc.stdout, self.out),
                                              (self.proc.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _drain(stream: object, sink: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            sink.append(line)

    def url(self) -> str:
        def find() -> str | None:
            match = re.search(r"http://127\.0\.0\.1:\d+/", "".join(self.out))
            return match.group(0) if match else None

        wait_for(lambda: find() or self.proc.poll() is not None, what="the serve URL")
        url = find()
        assert url, f"serve exited {self.proc.poll()}: {''.join(self.out + self.err)}"
        return url

    def stop(self, timeout: float = WAIT) -> int:
        """Ctrl-C, as a user would; killed only when it does not stop in time. Returns the
        exit code once `out` and `err` hold everything the process wrote (its pipes closed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        code = self.proc.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        return code


def get_text(server: DevServer, path: str) -> str:
    reply = request(server, path)
    assert reply.status == 200, (path, reply.status)
    return reply.text
