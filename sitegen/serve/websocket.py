"""The few parts of RFC 6455 (WebSocket) that the live-reload endpoint needs.

The server sends small text frames and pings; the browser sends one small text message (its
hello), pongs and a close. Fragmented, oversized or unmasked client frames end the connection:
no browser sends them to this endpoint, so they can only be a mistake or an attack.

Why a WebSocket and not server-sent events: a browser opens at most six HTTP/1.1 connections
to one host, and every open tab would hold one of them with an event stream, so six tabs of the
preview would stall every other request. WebSockets do not count against that limit.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 64 * 1024
TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


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


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """One unfragmented, unmasked frame (servers never mask)."""
    size = len(payload)
    if size < 126:
        header = bytes([0x80 | opcode, size])
    elif size < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 127]) + size.to_bytes(8, "big")
    return header + payload


def unmask(payload: bytes, mask: bytes) -> bytes:
    """XOR the payload with the repeated 4-byte mask, as whole integers (fast in Python)."""
    if not payload:
        return payload
    repeated = (mask * (len(payload) // 4 + 1))[:len(payload)]
    value = int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(payload), "big")


class ProtocolError(Exception):
    """The peer broke the protocol; the connection is closed."""


class WebSocket:
    """A server-side connection on an upgraded socket. Sending is thread-safe."""

    def __init__(self, sock: socket.socket, timeout: float = 60.0) -> None:
        self.sock = sock
        # Reads and writes give up after `timeout`: a peer that vanished frees its thread.
        self.sock.settimeout(timeout)
        self._send_lock = threading.Lock()
        self.closed = False

    def _recv_exact(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = self.sock.recv(min(size, 65536))
            if not chunk:
                raise ConnectionError("peer closed the connection")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _read_frame(self) -> tuple[int, bytes]:
        first, second = self._recv_exact(2)
        fin, opcode, masked, size = first & 0x80, first & 0x0F, second & 0x80, second & 0x7F
        if not fin or not masked or first & 0x70:
            raise ProtocolError("fragmented, unmasked or extended frame")
        if size == 126:
            size = int.from_bytes(self._recv_exact(2), "big")
        elif size == 127:
            size = int.from_bytes(self._recv_exact(8), "big")
        if size > MAX_MESSAGE:
            raise ProtocolError("frame too large")
        mask = self._recv_exact(4)
        return opcode, unmask(self._recv_exact(size), mask)

    def receive(self) -> str | None:
        """The next text message; None when the peer closed. Pings are answered here."""
        while True:
            opcode, payload = self._read_frame()
            if opcode == TEXT:
                try:
                    return payload.decode("utf-8")
                except UnicodeDecodeError:
                    raise ProtocolError("text frame is not UTF-8") from None
            if opcode == CLOSE:
                self.close()
                return None
            if opcode == PING:
                self._send(PONG, payload)
            elif opcode not in (PONG, BINARY):
                raise ProtocolError(f"unknown opcode {opcode}")

    def _send(self, opcode: int, payload: bytes) -> None:
        with self._send_lock:
            if self.closed:
                raise ConnectionError("connection is closed")
            self.sock.sendall(encode_frame(opcode, payload))

    def send_text(self, text: str) -> None:
        self._send(TEXT, text.encode("utf-8"))

    def ping(self) -> None:
        self._send(PING, b"")

    def close(self, code: int = 1000) -> None:
        """Send a close frame (once); the caller closes the socket."""
        try:
            self._send(CLOSE, code.to_bytes(2, "big"))
        except OSError:
            pass
        finally:
            self.closed = True
