"""Links to other sites, checked with bounded concurrency and time (`sitegen check
--external`): HEAD, then GET where a server refuses HEAD; at most a few requests to one host
at once; answers kept for a day in `.sitegen-cache/external-links.json`."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen import __version__
from sitegen.engine.cache import CACHE_DIR
from sitegen.errors import Problem

CACHE_NAME = "external-links.json"
CACHE_SECONDS = 24 * 3600  # an answer is trusted for a day
_RETRY_WITH_GET = {400, 403, 405, 501}  # servers that refuse or mishandle HEAD


@dataclass(frozen=True)
class Limits:
    """How much checking may cost: requests at once, per host, seconds per request, overall."""

    workers: int = 8
    per_host: int = 2
    timeout: float = 10.0
    deadline: float = 60.0


def check_external(found: dict[str, Problem], site_dir: Path,
                   limits: Limits = Limits(), now: float | None = None) -> list[Problem]:
    """An error for each outside address in `found` (address -> where it was written) that
    answers with an error or not at all; a warning for those not checked in time."""
    now = time.time() if now is None else now
    cache_path = site_dir / CACHE_DIR / CACHE_NAME
    cache = _load(cache_path, now)
    todo = [url for url in sorted(found) if url not in cache]
    cache.update(_check_all(todo, limits, now))
    _save(cache_path, cache)
    problems = []
    for url, where in sorted(found.items()):
        answer = cache.get(url)
        if answer is None:
            problems.append(replace(where, message=f"{url} was not checked: the check ran out "
                                    f"of time ({limits.deadline:.0f} s). Run it again.",
                                    severity="warning"))
        elif not answer["ok"]:
            problems.append(replace(where, severity="error", message=f"{url} {answer['why']}. "
                                    "Fix the address, or link to another page."))
    return problems


def _check_all(urls: list[str], limits: Limits, now: float) -> dict[str, dict[str, Any]]:
    hosts: dict[str, threading.Semaphore] = defaultdict(
        lambda: threading.Semaphore(limits.per_host))
    for url in urls:
        _ = hosts[urlsplit(url).netloc.lower()]  # made before the threads start

    def one(url: str) -> tuple[str, dict[str, Any]]:
        with hosts[urlsplit(url).netloc.lower()]:
            ok, why = probe(url, limits.timeout)
        return url, {"ok": ok, "why": why, "at": now}

    results: dict[str, dict[str, Any]] = {}
    if not urls:
        return results
    pool = ThreadPoolExecutor(max_workers=limits.workers)
    futures = [pool.submit(one, url) for url in urls]
    done, _ = wait(futures, timeout=limits.deadline)
    pool.shutdown(wait=False, cancel_futures=True)
    for future in done:
        url, answer = future.result()
        results[url] = answer
    return results


def probe(url: str, timeout: float) -> tuple[bool, str]:
    """(reachable, why not): HEAD, then GET when the server refuses HEAD."""
    status, why = _request(url, "HEAD", timeout)
    if status is None or status in _RETRY_WITH_GET:
        status, why = _request(url, "GET", timeout)
    if status is not None and status < 400:
        return True, ""
    return False, why


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(url, method=method,
                                     headers={"User-Agent": f"sitegen-check/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"answers {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"cannot be reached ({reason})"


def _load(path: Path, now: float) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {url: answer for url, answer in data.items()
            if isinstance(answer, dict) and now - float(answer.get("at", 0)) < CACHE_SECONDS}


def _save(path: Path, cache: dict[str, dict[str, Any]]) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, sort_keys=True), "utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache is an optimisation: without one, the next check asks again
