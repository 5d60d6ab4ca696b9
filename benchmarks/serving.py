"""Shared by the serve benchmarks: a site to serve (a copy of the demo site, or a generated
corpus) and `sitegen serve` running in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_MAKER = Path(__file__).resolve().parent / "corpus.py"  # the project's own generator


def demo_site(workdir: Path) -> Path:
    """A copy of the demo site at the repository root (so its build/ is left alone)."""
    site = workdir / "demo"
    for name in ("content", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "sitegen.yaml", site / "sitegen.yaml")
    return site


def corpus_site(workdir: Path, articles: int, maker: Path = CORPUS_MAKER) -> Path:
    """A synthetic corpus of `articles` articles made by benchmarks/corpus.py."""
    site = workdir / f"corpus-{articles}"
    subprocess.run([sys.executable, str(maker), str(site), "--articles", str(articles)],
                   check=True, stdout=subprocess.DEVNULL)
    return site


def make_site(kind: str, workdir: Path) -> Path:
    """`demo` or a number of articles."""
    return demo_site(workdir) if kind == "demo" else corpus_site(workdir, int(kind))


class Served:
    """`python -m sitegen serve --site SITE --port 0` until stop()."""

    def __init__(self, site: Path, *args: str, timeout: float = 900) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0",
             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not (match := re.search(r"http://127\.0\.0\.1:\d+/", "".join(self.lines))):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sitegen serve did not start:\n" + "".join(self.lines))
            time.sleep(0.05)
        self.url = match.group(0)

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def builds(self) -> int:
        return sum(line.startswith(("Built ", "Build failed")) for line in self.lines)

    def peak_mb(self) -> float | None:
        """The server process's peak resident memory so far (Linux), in MB."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait(30)


def workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="sitegen-bench-")


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
