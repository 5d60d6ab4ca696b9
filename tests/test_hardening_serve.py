"""The dev server under hostile input, over real sockets on 127.0.0.1: the live-reload
socket bounded (deep JSON, huge and fragmented messages, bad frames), never a traceback or
an HTTP answer inside the WebSocket stream, and the server serving on."""

from __future__ import annotations

import os

import pytest
from serve_support import WAIT, LiveTab, request, serving

from sitegen.serve.reload import nesting


def frame(payload: bytes, *, opcode: int = 0x1, fin: bool = True, masked: bool = True,
          declared: int | None = None) -> bytes:
    size = len(payload) if declared is None else declared
    head = bytes([(0x80 if fin else 0) | opcode])
    flag = 0x80 if masked else 0
    if size < 126:
        head += bytes([flag | size])
    elif size < 1 << 16:
        head += bytes([flag | 126]) + size.to_bytes(2, "big")
    else:
        head += bytes([flag | 127]) + size.to_bytes(8, "big")
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def answer(tab: LiveTab) -> bytes:
    """Everything the server sends until it closes the connection, which it must do."""
    tab.sock.settimeout(WAIT)
    chunks = []
    try:
        while chunk := tab.sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"the server held the connection open for {WAIT:.0f} s")
    return b"".join(chunks)


HOSTILE = {
    "deep list": [frame(b"[" * 30000 + b"]" * 30000)],
    "deep object": [frame(b'{"a":' * 10000 + b"1" + b"}" * 10000)],
    "deep in a valid hello": [frame(b'{"path": "/", "page": "x", "build": "y", "assets": '
                                    + b"[" * 20000 + b"]" * 20000 + b"}")],
    "oversized": [frame(b"x" * (200 * 1024))],
    "declared huge": [frame(b"", declared=1 << 62)[:14]],
    "fragmented past the limit": [frame(b"[" * 40000, fin=False),
                                  *(frame(b"[" * 40000, opcode=0x0, fin=False)
                                    for _ in range(3))],
    "unmasked": [frame(b'{"path": "/"}', masked=False)],
    "reserved opcode": [frame(b"x", opcode=0x3)],
    "not utf-8": [frame(b"\xff\xfe\xfd")],
    "binary": [frame(b"\x00" * 100, opcode=0x2), frame(b"[]")],
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_reload_socket_is_bounded(make_site, name: str) -> None:
    site = make_site()
    with serving(site) as server:
        tab = LiveTab(server)
        assert tab.status == 101
        try:
            for data in HOSTILE[name]:
                tab.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed on the first bad frame
        reply = answer(tab)
        tab.sock.close()
        assert b"HTTP/1." not in reply and b"Traceback" not in reply
        assert reply[:1] in (b"", b"\x88")  # at most a close frame
        assert request(server, "/").status == 200  # and it serves on
        good = LiveTab(server)
        good.hello(server, "/")
        good.close()


def test_nesting_counts_brackets_outside_strings() -> None:
    assert nesting('{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert nesting('"\\"[["') == 0
    assert nesting("[" * 50) == 50
