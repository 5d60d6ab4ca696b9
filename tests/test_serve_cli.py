"""`sitegen serve` as a user runs it, in a subprocess: start, answer, stop on Ctrl-C with exit 0,
no traceback and the port free; clear messages for a busy port or a missing site."""

from __future__ import annotations

import io
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXED_NOW, run_sitegen
from serve_support import ARTICLE, WAIT, ServeProcess, wait_for

from sitegen.engine.build import BuildOptions
from sitegen.errors import UsageError
from sitegen.serve import http as serve_http
from sitegen.serve.command import DevServer, ServeOptions


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=WAIT) as reply:
        return reply.status, reply.read().decode()


def port_is_free(port: int) -> bool:
    """True when a new server can listen on the port, as a restarted `sitegen serve` would
    (SO_REUSEADDR lets it past the closed connections in TIME_WAIT, never past a listener)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def start(site: Path, *args: str) -> tuple[ServeProcess, str, int]:
    proc = ServeProcess("--site", site, "--port", "0", "--now", FIXED_NOW.isoformat(), *args)
    url = proc.url()
    return proc, url, int(url.rsplit(":", 1)[1].strip("/"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stopping_exits_0_without_a_traceback_and_frees_the_port(make_site, sig) -> None:
    proc, url, port = start(make_site())
    try:
        status, page = fetch(url)
        assert status == 200 and "Test Times" in page
        assert not port_is_free(port)
        proc.proc.send_signal(sig)
        assert proc.proc.wait(WAIT) == 0
    finally:
        proc.stop()  # and every line it printed is read
    assert "Traceback" not in "".join(proc.err), proc.err
    assert "".join(proc.out).rstrip().endswith("Stopped.")
    assert port_is_free(port)


def test_ctrl_c_during_a_rebuild_leaves_a_whole_output(make_site) -> None:
    site = make_site()
    proc, _, port = start(site)
    try:
        (site / ARTICLE).write_text((site / ARTICLE).read_text().replace("First", "Edited"))
        time.sleep(0.2)  # the debounce is over: the rebuild is starting or running
        proc.proc.send_signal(signal.SIGINT)
        assert proc.proc.wait(WAIT) == 0
    finally:
        proc.stop()
    assert "Traceback" not in "".join(proc.err)
    assert (site / "build/index.html").is_file()
    assert [p.name for p in site.glob(".build.*")] in ([], [".build.spare"])  # no temporaries
    assert port_is_free(port)


def test_an_explicit_port_in_use_is_a_clear_error(make_site) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_sitegen("serve", "--site", make_site(), "--port", str(port), timeout=WAIT)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_port_the_next_free_port_is_used_and_said(make_site, monkeypatch) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        monkeypatch.setattr(serve_http, "DEFAULT_PORT", taken)
        out = io.StringIO()
        server = DevServer(ServeOptions(BuildOptions(site=make_site(), now=FIXED_NOW)),
                           out=out, err=io.StringIO())
        try:
            server.start()
            assert server.server is not None
            chosen = server.server.server_port
            assert chosen != taken
            assert f"Port {taken} is in use; serving on port {chosen} instead." in out.getvalue()
            assert fetch(server.url)[0] == 200
        finally:
            server.close()


def test_not_a_site_folder(tmp_path: Path) -> None:
    result = run_sitegen("serve", "--site", tmp_path, "--port", "0", timeout=WAIT)
    assert result.returncode == 2
    assert "no sitegen.yaml in" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_address_that_is_not_this_machines(make_site) -> None:
    # 192.0.2.0/24 is TEST-NET-1: never assigned, so binding fails and nothing is sent.
    result = run_sitegen("serve", "--site", make_site(), "--bind", "192.0.2.1", "--port", "0",
                         timeout=WAIT)
    assert result.returncode == 2
    assert "192.0.2.1 is not an address of this machine" in result.stderr


def test_open_server_refuses_a_busy_explicit_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(UsageError, match="is in use"):
            serve_http.open_server("127.0.0.1", busy.getsockname()[1], None, None)  # type: ignore[arg-type]


def test_an_edit_is_served_by_the_real_command(make_site) -> None:
    site = make_site()
    proc, url, _ = start(site, "--no-reload")
    try:
        article = url + "2024/03/01/first/"
        assert "First Story" in fetch(article)[1]
        (site / ARTICLE).write_text((site / ARTICLE).read_text()
                                    .replace("title: First Story", "title: Edited Story"))
        wait_for(lambda: "Edited Story" in fetch(article)[1], what="the edited headline")
        assert "__sitegen" not in fetch(article)[1]
        wait_for(lambda: any("after changes to content/articles/2024/first.md" in line
                             for line in proc.out), what="the rebuild report")
    finally:
        assert proc.stop() == 0


def test_an_output_folder_sitegen_did_not_write_stops_the_preview(make_site) -> None:
    site = make_site({"build/precious.txt": "not written by sitegen"})
    result = run_sitegen("serve", "--site", site, "--port", "0", timeout=WAIT)
    assert result.returncode == 2
    assert "already holds files that sitegen did not write" in result.stderr
    assert (site / "build/precious.txt").read_text() == "not written by sitegen"
