"""Live reload: the endpoint open tabs connect to, and what is injected into served pages.

Every HTML page the preview serves gets, just before `</body>`, a small script (and, while the
latest build has failed, an overlay with its errors). Nothing of this is ever written to disk.
The script opens a WebSocket to LIVE_PATH and says which page it shows: the fingerprint of the
bytes it was served, the build it came from, and the same-origin stylesheets, scripts and
images it uses. After every build the hub compares, for each open tab:

- the latest build failed: send the errors; the tab shows the overlay;
- the tab shows an overlay and the build succeeded: reload;
- the page's bytes changed, or a script or image it uses: reload;
- only stylesheets changed: swap those stylesheets in place, with no reload.

A tab that loses its connection (the server stopped) keeps trying, and on reconnecting it is
checked the same way, so a page that changed meanwhile reloads.
"""

from __future__ import annotations

import contextlib
import html
import json
import queue
import threading
from dataclasses import dataclass, field

from sitegen.serve.preview import Preview, Status
from sitegen.serve.websocket import ProtocolError, WebSocket

LIVE_PATH = "/__sitegen/live"
OVERLAY_ID = "sitegen-overlay"
PING_EVERY = 20.0  # seconds; keeps idle connections open through proxies and finds dead tabs
MAX_ASSETS = 200
MAX_DEPTH = 4  # a hello is one object holding a list of asset paths

SCRIPT = """<script data-sitegen-live>
(() => {
  "use strict";
  const page = %(page)s, build = %(build)s;
  let wait = 250;
  const sameOrigin = (value) => {
    const url = new URL(value, location.href);
    return url.origin === location.origin ? url : null;
  };
  const assets = () => {
    const paths = new Set();
    for (const el of document.querySelectorAll(
        'link[rel~="stylesheet"][href], script[src], img[src]')) {
      const url = sameOrigin(el.href || el.src);
      if (url) paths.add(url.pathname);
    }
    return [...paths].slice(0, %(max_assets)d);
  };
  const swapStylesheets = (paths) => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = sameOrigin(link.href);
      if (!url || (paths.length && !paths.includes(url.pathname))) continue;
      url.searchParams.set("sitegen-live", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      const drop = () => link.remove();
      fresh.addEventListener("load", drop);
      fresh.addEventListener("error", drop);
      link.after(fresh);
    }
  };
  const showErrors = (markup) => {
    document.getElementById("%(overlay)s")?.remove();
    document.body.insertAdjacentHTML("beforeend", markup);
  };
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "%(endpoint)s");
    socket.onopen = () => {
      wait = 250;
      socket.send(JSON.stringify({path: location.pathname, page, build, assets: assets(),
                                  errors: !!document.getElementById("%(overlay)s")}));
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "reload") location.reload();
      else if (message.type === "css") swapStylesheets(message.paths);
      else if (message.type === "errors") showErrors(message.html);
    };
    socket.onclose = () => {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 2000);
    };
  };
  connect();
})();
</script>
"""

OVERLAY = """<div id="%(id)s" role="alert" style="position:fixed;inset:0;z-index:2147483647;\
overflow:auto;margin:0;padding:2rem;background:rgba(32,8,8,.94);color:#fff;\
font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left">
<p style="margin:0 0 1rem;font-weight:bold;font-size:1.15em">sitegen: the site did not build. \
Showing the last good build underneath.</p>
<pre style="margin:0 0 1rem;white-space:pre-wrap;color:#ffd4d4;background:none;border:0">\
%(errors)s</pre>
<p style="margin:0">%(advice)s</p>
</div>
"""


def overlay(errors: tuple[str, ...], *, live: bool) -> str:
    """The error overlay: every message HTML-escaped, one per line."""
    advice = ("Fix the file and save: this page updates by itself." if live
              else "Fix the file, save, and reload this page.")
    return OVERLAY % {"id": OVERLAY_ID, "errors": "\n".join(html.escape(e) for e in errors),
                      "advice": advice}


def script(page: str, build: str) -> str:
    """The live-reload script for a page served with fingerprint `page` from `build`."""
    def js(value: str) -> str:
        return json.dumps(value).replace("<", "\\u003c")

    return SCRIPT % {"page": js(page), "build": js(build), "overlay": OVERLAY_ID,
                     "endpoint": LIVE_PATH, "max_assets": MAX_ASSETS}


def inject(page: bytes, snippet: str) -> bytes:
    """`snippet` inserted before the last `</body>`, or appended when there is none."""
    if not snippet:
        return page
    data = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


def decorate(page: bytes, fingerprint: str, status: Status, *, live: bool) -> bytes:
    """A page as the preview serves it: with the overlay while the build is broken, and
    the live-reload script unless --no-reload."""
    snippet = overlay(status.errors, live=live) if status.failed else ""
    if live:
        snippet += script(fingerprint, status.build_id)
    return inject(page, snippet)


@dataclass(eq=False)
class LiveClient:
    """One open tab: what it shows, and the messages waiting to be sent to it."""

    path: str
    page: str
    build: str
    assets: dict[str, str]
    errors: tuple[str, ...] | None  # the errors it shows; () = an overlay of unknown content
    outbox: queue.SimpleQueue[dict[str, object] | None] = field(default_factory=queue.SimpleQueue)


@dataclass(frozen=True)
class Hello:
    """A tab's first message: the page it shows, its build, its assets, its overlay."""

    path: str
    page: str
    build: str
    assets: tuple[str, ...]
    errors: bool


def parse_hello(text: str) -> Hello:
    """The tab's first message, checked: path, page, build, assets, errors (at most
    MAX_DEPTH deep, so that no nesting reaches the JSON parser's recursion limit)."""
    if nesting(text) > MAX_DEPTH:
        raise ValueError("hello is nested too deeply")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("hello is not an object")
    strings = ("path", "page", "build")
    if not all(isinstance(data.get(k), str) and len(data[k]) < 4096 for k in strings):
        raise ValueError("hello lacks path, page or build")
    assets = data.get("assets", [])
    if not isinstance(assets, list) or not all(isinstance(a, str) for a in assets):
        raise ValueError("assets is not a list of paths")
    return Hello(data["path"], data["page"], data["build"], tuple(assets[:MAX_ASSETS]),
                 bool(data.get("errors")))


def nesting(text: str) -> int:
    """How deep JSON `text`'s arrays and objects go (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class Hub:
    """The open tabs, and what each must be told after a build."""

    def __init__(self, preview: Preview, *, live: bool = True) -> None:
        self.preview = preview
        self.live = live
        self._clients: set[LiveClient] = set()
        self._lock = threading.Lock()
        self._closed = False

    def open_paths(self) -> list[str]:
        """The URL path each open tab shows."""
        with self._lock:
            return [client.path for client in self._clients]

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)

    def serve(self, socket: WebSocket) -> None:
        """Run one tab's connection until it closes: read its hello, then send it messages
        while a reader thread answers pings and notices when the tab goes away."""
        try:
            hello = parse_hello(socket.receive() or "")
        except (ValueError, ProtocolError, OSError, RecursionError):
            socket.close(1002)
            return
        fingerprints: dict[str, str] = {}
        assets = {path: self._fingerprint(path, fingerprints) for path in hello.assets}
        status = self.preview.status
        # A tab served with the overlay of the current build shows its errors already.
        shown = (status.errors if hello.build == status.build_id else ()) \
            if hello.errors else None
        client = LiveClient(hello.path, hello.page, hello.build, assets, shown)
        with self._lock:
            if self._closed:
                socket.close(1001)
                return
            self._clients.add(client)
        self._catch_up(client, fingerprints)
        threading.Thread(target=self._read_until_closed, args=(socket, client), daemon=True,
                         name="sitegen-live-reader").start()
        try:
            self._send_until_closed(socket, client)
        finally:
            with self._lock:
                self._clients.discard(client)

    def _read_until_closed(self, socket: WebSocket, client: LiveClient) -> None:
        with contextlib.suppress(OSError, ProtocolError):
            while socket.receive() is not None:
                pass  # the tab has nothing more to say; pings are answered in receive()
        client.outbox.put(None)

    def _send_until_closed(self, socket: WebSocket, client: LiveClient) -> None:
        try:
            while True:
                try:
                    message = client.outbox.get(timeout=PING_EVERY)
                except queue.Empty:
                    socket.ping()
                    continue
                if message is None:
                    break
                socket.send_text(json.dumps(message))
        except OSError:
            pass
        finally:
            socket.close(1001 if self._closed else 1000)

    def after_build(self) -> None:
        """Tell every open tab what the latest build means for it."""
        fingerprints: dict[str, str] = {}
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            self._update(client, fingerprints)

    def close(self) -> None:
        """End every connection (the server is stopping); tabs will try to reconnect."""
        with self._lock:
            self._closed = True
            clients = list(self._clients)
        for client in clients:
            client.outbox.put(None)

    def _fingerprint(self, path: str, cache: dict[str, str]) -> str:
        if path not in cache:
            cache[path] = self.preview.fingerprint(path)
        return cache[path]

    def _catch_up(self, client: LiveClient, cache: dict[str, str]) -> None:
        """A tab that connects may have missed builds (it loaded while one ran, or the server
        restarted): check it as after a build, and refresh its stylesheets to be sure."""
        stale = client.build != self.preview.status.build_id
        if not self._update(client, cache) and stale:
            client.outbox.put({"type": "css", "paths": []})

    def _update(self, client: LiveClient, cache: dict[str, str]) -> bool:
        """Queue what `client` must do after the latest build; True when it was told anything."""
        status = self.preview.status
        client.build = status.build_id
        if status.failed:
            if client.errors == status.errors:
                return False
            client.errors = status.errors
            client.outbox.put({"type": "errors", "html": overlay(status.errors, live=True)})
            return True
        page = self._fingerprint(client.path, cache)
        if client.errors is not None or page != client.page:
            client.page, client.errors = page, None
            client.outbox.put({"type": "reload"})
            return True
        changed = {path for path, old in client.assets.items()
                   if self._fingerprint(path, cache) != old}
        for path in changed:
            client.assets[path] = cache[path]
        if not changed:
            return False
        if all(path.endswith(".css") for path in changed):
            client.outbox.put({"type": "css", "paths": sorted(changed)})
        else:
            client.outbox.put({"type": "reload"})
        return True
