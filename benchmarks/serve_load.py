"""Load on `sitegen serve`: N concurrent keep-alive connections for S seconds on loopback.

    python benchmarks/serve_load.py [--site demo|ARTICLES] [--connections 64] [--seconds 20]

Serves a copy of the demo site (or a generated corpus of ARTICLES articles) with the real
command in a subprocess, then runs `--connections` clients in one asyncio loop, each asking
for pages and assets of the built site in turn, for `--seconds`. Prints requests, errors,
requests per second and p50/p95/p99 latency. Bounded: loopback only, stops by itself.
Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Served, make_site, percentile, workdir


def site_urls(output: Path, limit: int = 2000) -> list[str]:
    """URLs of the built files: pages as their folder URL, the rest as they are."""
    urls = []
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(output).as_posix()
        urls.append("/" + rel[:-len("index.html")] if rel.endswith("index.html") else "/" + rel)
    random.Random(1).shuffle(urls)
    return urls[:limit]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; (status, the server keeps the connection open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":")
                                                            for line in lines[1:] if line)}
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


async def client(host: str, port: int, urls: list[str], until: float, seed: int,
                 latencies: list[float], errors: list[str]) -> None:
    rng = random.Random(seed)
    reader = writer = None
    while time.monotonic() < until:
        url = rng.choice(urls)
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            start = time.perf_counter()
            writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(read_response(reader), timeout=30)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                errors.append(f"{status} {url}")
            if not keep:
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            errors.append(f"{type(exc).__name__} {url}")
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def load(url: str, urls: list[str], connections: int, seconds: float
               ) -> tuple[list[float], list[str], float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(client(host, port, urls, until, n, latencies, errors)
                           for n in range(connections)))
    return latencies, errors, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default="demo", help="demo, or a number of articles")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    if not (1 <= args.connections <= 256 and 0 < args.seconds <= 120):
        parser.error("keep it bounded: 1-256 connections, at most 120 seconds")
    with workdir() as tmp:
        site = make_site(args.site, Path(tmp))
        served = Served(site)
        try:
            urls = site_urls(site / "build")
            latencies, errors, elapsed = asyncio.run(
                load(served.url, urls, args.connections, args.seconds))
        finally:
            code = served.stop()
    ms = [x * 1000 for x in latencies]
    print(f"site {args.site}: {len(urls)} URLs, {args.connections} connections, "
          f"{elapsed:.1f} s on loopback")
    print(f"requests {len(ms)}, errors {len(errors)}, {len(ms) / elapsed:.0f} requests/s")
    if ms:
        print(f"latency p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
              f"p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms")
    for error in errors[:10]:
        print("  error:", error)
    print(f"server exit status after Ctrl-C: {code}")
    return 1 if errors or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
