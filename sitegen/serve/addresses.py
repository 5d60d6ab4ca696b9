"""Addresses for the preview: what `--bind` names, which host names are loopback, and what
to tell the user when a port cannot be had."""

from __future__ import annotations

import errno
import ipaddress
import socket

from sitegen.errors import UsageError


def is_loopback_host(name: str) -> bool:
    """True for localhost names and loopback addresses (127.0.0.0/8, ::1)."""
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(authority: str) -> str:
    """The host of a `Host` header or URL authority, without port or IPv6 brackets."""
    if authority.startswith("["):
        return authority[1:authority.find("]")] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def resolve_bind(host: str) -> tuple[str, socket.AddressFamily]:
    """The address to bind for `--bind` (an address or a host name) and its family."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"cannot bind to {host!r}: {exc.strerror}. Pass --bind with an "
                         "address such as 127.0.0.1.") from None
    infos.sort(key=lambda info: info[0] != socket.AF_INET)  # prefer IPv4, as browsers do
    family, _, _, _, address = infos[0]
    return str(address[0]), socket.AddressFamily(family)


def bind_problem(address: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {address} is in use (another `sitegen serve`?). Stop that "
                "program, or pass another --port (0 picks any free port).")
    if exc.errno == errno.EACCES:
        return (f"not allowed to listen on port {port}: ports below 1024 need root. Pass "
                "--port 8000 or another port above 1023.")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{address} is not an address of this machine. Pass --bind 127.0.0.1."
    return f"cannot listen on {address} port {port}: {exc.strerror}."
