"""The dev server under a bounded malformed-request fuzz: 1,000 bad requests on loopback,
each answered or closed, then `GET /` still answers and nothing outside build/ was served."""

from __future__ import annotations

import random
import socket

from serve_support import port_of, request, serving

SECRET = "do-not-serve-this"
METHODS = [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"G\x00T", b"", b"get", b"X" * 300]
TARGETS = [b"/", b"/../x", b"/%2e%2e/x", b"/..%2fx", b"/%252e%252e/x", b"//x", b"/..\\x",
           b"/%00", b"http://127.0.0.1/../../etc/passwd", b"*", b"/" + b"a" * 10_000,
           b"/%", b"/%zz", b"/\xff\xfe", b"/secret.txt", b"/../secret.txt", b"/build/../secret.txt"]
VERSIONS = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/9.9", b"", b"HTTP/1.1\x00", b"FTP/1.0"]
HEADERS = [b"Host: 127.0.0.1", b"Host: evil.example", b"Range: bytes=5-1",
           b"Range: bytes=-99999999999999999999", b"Content-Length: -1", b"X: " + b"y" * 70_000,
           b"Transfer-Encoding: chunked", b"NoColonHere", b"\x00\x01\x02: \x03",
           b"Origin: https://evil.example", b"Connection: keep-alive"]


def bad_request(rng: random.Random) -> bytes:
    if rng.random() < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
    line = b" ".join(x for x in (rng.choice(METHODS), rng.choice(TARGETS),
                                 rng.choice(VERSIONS)) if x)
    headers = [rng.choice(HEADERS) for _ in range(rng.randrange(0, 4))]
    end = rng.choice([b"\r\n\r\n", b"\n\n", b"\r\n", b""])
    return b"\r\n".join([line, *headers]) + end


def send(port: int, data: bytes) -> bytes:
    """Send one request; read what comes within a short bound. The server may answer and
    hang up before it has read everything: the reply is still read and checked."""
    chunks: list[bytes] = []
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # reset, broken pipe, not connected: it hung up early
            pass
        try:
            while len(chunks) < 64:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            pass
    return b"".join(chunks)


def test_a_thousand_malformed_requests_then_get_still_answers(make_site) -> None:
    site = make_site()
    (site.parent / "secret.txt").write_text(SECRET)
    (site / "secret.txt").write_text(SECRET)  # in the site, but not in its output
    rng = random.Random(1127)
    with serving(site) as server:
        port = port_of(server)
        for _ in range(1000):
            reply = send(port, bad_request(rng))
            assert SECRET.encode() not in reply
            assert b"Traceback" not in reply
        page = request(server, "/")
        assert page.status == 200 and "Test Times" in page.text
        assert request(server, "/secret.txt").status == 404
