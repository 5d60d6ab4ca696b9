"""The live-reload endpoint's WebSocket (RFC 6455): the handshake's key, and a connection
framed by wsproto once http.py has answered the upgrade.

The server sends small text messages and pings; the browser sends one small text message
(its hello), pongs and a close. The framing is wsproto's (a maintained, fuzzed
implementation: security-critical parsing is what a well-kept library is for); on top, a
message over MAX_MESSAGE, however fragmented, ends the connection, as any protocol error does.

Why a WebSocket and not server-sent events: a browser opens at most six HTTP/1.1 connections
to one host, and every open tab would hold one of them with an event stream, so six tabs of the
preview would stall every other request. WebSockets do not count against that limit.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import threading
from collections import deque

from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import (
    BytesMessage,
    CloseConnection,
    Event,
    Message,
    Ping,
    TextMessage,
)
from wsproto.extensions import Extension
from wsproto.frame_protocol import CloseReason, FrameDecoder, FrameProtocol, Opcode, RsvBits
from wsproto.utilities import ProtocolError as WsprotoError

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 64 * 1024


def accept_key(key: str) -> str:
    """The `Sec-WebSocket-Accept` answer to a client's `Sec-WebSocket-Key`."""
    digest = hashlib.sha1((key.strip() + GUID).encode("ascii"), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_key(key: str | None) -> bool:
    """A client key is 16 random bytes in base64."""
    if not key:
        return False
    try:
        return len(base64.b64decode(key.strip(), validate=True)) == 16
    except ValueError:
        return False


class ProtocolError(Exception):
    """The peer broke the protocol (or sent too much); the connection is closed."""


class FrameLimit(Extension):
    """Refuses a frame whose header declares more than MAX_MESSAGE, before its payload.

    The message limit alone counts payload as it comes: a frame declaring 2**62 bytes and
    sending none would hold its thread until the socket's timeout. This uses wsproto's
    public extension hook, which sees every frame's header; it negotiates nothing, so the
    browser is never offered it."""

    name = "sitegen-frame-limit"

    def enabled(self) -> bool:
        return True

    def offer(self) -> bool:
        return False

    def frame_inbound_header(self, proto: FrameDecoder | FrameProtocol, opcode: Opcode,
                             rsv: RsvBits, payload_length: int) -> CloseReason | RsvBits:
        if payload_length > MAX_MESSAGE:
            return CloseReason.MESSAGE_TOO_BIG
        return RsvBits(False, False, False)


class WebSocket:
    """A server-side connection on an upgraded socket, framed by wsproto. Sending is
    thread-safe; one thread receives."""

    def __init__(self, sock: socket.socket, timeout: float = 60.0) -> None:
        self.sock = sock
        # Reads and writes give up after `timeout`: a peer that vanished frees its thread.
        self.sock.settimeout(timeout)
        self._conn = Connection(ConnectionType.SERVER, extensions=[FrameLimit()])
        self._lock = threading.Lock()  # the connection's state, and the socket's writes
        self._events: deque[Event] = deque()
        self.closed = False

    def _next_event(self) -> Event:
        while not self._events:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("peer closed the connection")
            with self._lock:
                self._conn.receive_data(data)
                try:
                    self._events.extend(self._conn.events())
                except WsprotoError as exc:  # unmasked, reserved bits, bad UTF-8...
                    raise ProtocolError(str(exc)) from None
        return self._events.popleft()

    def receive(self) -> str | None:
        """The next text message; None when the peer closed. Pings are answered here; a
        message (text or binary, however fragmented) over MAX_MESSAGE ends the connection."""
        parts: list[str] = []
        size = 0
        while True:
            event = self._next_event()
            if isinstance(event, TextMessage | BytesMessage):
                size += len(event.data)
                if size > MAX_MESSAGE:
                    raise ProtocolError("message too large")
                if isinstance(event, TextMessage):
                    parts.append(event.data)
                if event.message_finished:
                    if isinstance(event, TextMessage):
                        return "".join(parts)
                    parts, size = [], 0  # binary: not for this endpoint, skipped
            elif isinstance(event, Ping):
                self._send(event.response())
            elif isinstance(event, CloseConnection):
                self._send(event.response())
                self.closed = True
                return None

    def _send(self, event: Event) -> None:
        with self._lock:
            if self.closed:
                raise ConnectionError("connection is closed")
            try:
                data = self._conn.send(event)
            except WsprotoError as exc:
                raise ConnectionError(f"cannot send: {exc}") from None
            self.sock.sendall(data)

    def send_text(self, text: str) -> None:
        self._send(Message(data=text))

    def ping(self) -> None:
        self._send(Ping())

    def close(self, code: int = 1000) -> None:
        """Send a close frame (once); the caller closes the socket."""
        try:
            if self._conn.state is ConnectionState.OPEN:
                self._send(CloseConnection(code=code))
        except OSError:
            pass
        finally:
            self.closed = True
