"""A build that fails, is killed or cannot write always leaves the last complete build."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO, tree_bytes

from sitegen.names import CACHE_DIR

MAKE_CORPUS = REPO / "benchmarks" / "corpus.py"  # the project's own archive generator


def build(cli, site: Path, *extra: str):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *extra)


def leftovers(site: Path) -> list[str]:
    """Temporary trees beside build/; `.build.spare` is the last build kept on purpose, so
    the next one can reuse its files (see sitegen.output.write)."""
    return sorted(p.name for p in site.iterdir()
                  if p.name.startswith(".build.") and p.name != ".build.spare")


def test_template_failing_on_a_late_page_keeps_the_old_build(make_site, cli) -> None:
    files = {f"content/articles/2023/a{i:03d}.md":
             f"---\ntitle: Article {i}\ndate: 2023-01-01T00:{i % 60:02d}:00Z\n---\nBody {i}\n"
             for i in range(120)}
    site = make_site(files)
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    (site / "sitegen.yaml").write_text("title: T\nbase_url: https://e.test/\ntheme: house\n")
    # Fails only on the article whose title is "Article 99": deep into the render.
    (site / "themes/house/templates").mkdir(parents=True)
    (site / "themes/house/templates/article.html").write_text(
        "{% if article.title == 'Article 99' %}{{ article.missing }}{% endif %}ok\n")
    result = build(cli, site)
    assert result.code == 1 and "while rendering /2023/01/01/a099/" in result.err
    assert tree_bytes(site / "build") == before
    assert leftovers(site) == []


def test_unwritable_output_is_reported_and_nothing_lost(make_site, cli) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    site = make_site()
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    site.chmod(0o555)
    try:
        result = build(cli, site)
    finally:
        site.chmod(0o755)
    assert result.code == 2 and "cannot" in result.err and "Traceback" not in result.err
    assert tree_bytes(site / "build") == before


@pytest.mark.parametrize("code", ["ENOSPC", "EACCES"])
def test_full_disk_or_no_permission_is_reported_and_nothing_lost(code, make_site, cli,
                                                                  monkeypatch) -> None:
    """ENOSPC or EACCES in the middle of writing, simulated where the writer writes (root
    ignores permissions, so the real chmod test above cannot run in CI)."""
    import errno

    from sitegen.output import write

    site = make_site()
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    calls = {"n": 0}
    real_add = write.OutputWriter.add

    def add(self, rel: str, data: bytes, key: str = "") -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            number = getattr(errno, code)
            raise OSError(number, os.strerror(number), str(self.work / rel))
        real_add(self, rel, data, key)

    monkeypatch.setattr(write.OutputWriter, "add", add)
    (site / "content/articles/2024/first.md").write_text(
        "---\ntitle: Changed\ndate: 2024-03-01T10:00:00Z\n---\nNew body.\n")
    result = build(cli, site)
    expected = {"ENOSPC": "No space left on device", "EACCES": "Permission denied"}[code]
    assert result.code == 2 and expected in result.err and "Traceback" not in result.err
    assert "last good build is unchanged" in result.err
    assert tree_bytes(site / "build") == before
    assert leftovers(site) == []


def test_git_and_cname_in_the_output_survive(make_site, cli) -> None:
    site = make_site()
    assert build(cli, site).code == 0
    (site / "build/.git").mkdir()
    (site / "build/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "build/CNAME").write_text("news.example.test\n")
    assert build(cli, site).code == 0
    assert (site / "build/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site / "build/CNAME").read_text() == "news.example.test\n"


def test_symlink_out_of_the_site_is_not_followed(make_site, cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("deploy key")
    site = make_site()
    (site / "static").mkdir()
    (site / "static/leak.txt").symlink_to(secret)
    (site / "content/articles/2024/leak.md").symlink_to(secret)
    result = build(cli, site)
    assert result.code == 0
    assert "static/leak.txt:1:1: warning: is a symbolic link to a file outside" in result.err
    assert "content/articles/2024/leak.md:1:1: warning" in result.err
    assert not (site / "build/leak.txt").exists()
    assert all("deploy key" not in p.read_text(errors="replace")
               for p in (site / "build").rglob("*") if p.is_file())


@pytest.mark.parametrize("env", [{"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "1"},
                                 {"TZ": "America/Los_Angeles", "PYTHONHASHSEED": "4242"}])
def test_output_is_identical_whatever_tz_and_hash_seed(env, make_site, tmp_path: Path) -> None:
    site = make_site({"sitegen.yaml": "title: T\nbase_url: https://e.test/\n"
                                      "timezone: Europe/Paris\n",
                      # 02:30 on 2024-03-31 does not exist in Paris (DST gap).
                      "content/articles/2024/gap.md": "---\ntitle: Gap\ndate: 2024-03-31 "
                                                      "02:30\n---\nB\n"})

    def run(out: Path, extra_env: dict[str, str]) -> dict[str, bytes]:
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site),
                        "--output", str(out), "--now", FIXED_NOW.isoformat(), "-q"],
                       env={**os.environ, "PYTHONPATH": str(REPO), **extra_env}, check=True)
        return tree_bytes(out)

    reference = run(tmp_path / "ref", {"TZ": "UTC", "PYTHONHASHSEED": "0"})
    assert run(tmp_path / "other", env) == reference
    gap = reference["2024/03/31/gap/index.html"].decode()
    assert 'datetime="2024-03-31T03:30:00+02:00"' in gap or \
        'datetime="2024-03-31T02:30:00+01:00"' in gap


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("kill") / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), "--articles", "200"],
                   check=True, capture_output=True)
    # No share cards: 200 of them took most of each `--clean` build, so most of the random
    # moments fell while cards were drawn rather than while pages were read, rendered,
    # written and swapped in (the cards have their test below).
    with (site / "sitegen.yaml").open("a") as config:
        config.write("images: {share_cards: false}\n")
    return site


@dataclass
class GoodBuild:
    """A corpus site built once as a subprocess: the command, how long it took, the tree."""

    site: Path
    cmd: list[str]
    env: dict[str, str]
    duration: float
    tree: dict[str, bytes]


def good_build(site: Path) -> GoodBuild:
    cmd = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "-q",
           "--now", FIXED_NOW.isoformat()]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.monotonic()
    subprocess.run(cmd, env=env, check=True)
    return GoodBuild(site, cmd, env, time.monotonic() - start, tree_bytes(site / "build"))


def seconds(cmd: list[str], env: dict[str, str]) -> float:
    start = time.monotonic()
    subprocess.run(cmd, env=env, check=True)
    return time.monotonic() - start


def test_sigkill_at_random_moments_never_breaks_build(corpus_site: Path) -> None:
    """Builds killed while they read, render, write and swap: each with `--clean`, so that
    there is work to interrupt (the same input again would be up to date and write
    nothing), at one random moment in each eighth of the time from when a build that has
    nothing to do is done starting up to when a whole build is done."""
    good = good_build(corpus_site)
    started = seconds(good.cmd, good.env)  # up to date: start, check, exit
    clean = [*good.cmd, "--clean"]
    whole = seconds(clean, good.env)
    rng = random.Random(20261127)
    kills = 8
    for n in range(kills):
        moment = started * 0.8 + (whole * 1.05 - started * 0.8) * (n + rng.random()) / kills
        proc = subprocess.Popen(clean, env=good.env)
        try:
            proc.wait(timeout=moment)  # a build done before its moment is not waited for
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        # The same input, so the only complete build there can be is the good one.
        assert tree_bytes(good.site / "build") == good.tree
    subprocess.run(good.cmd, env=good.env, check=True)
    assert tree_bytes(good.site / "build") == good.tree
    assert leftovers(good.site) == []  # the next run cleaned what the killed ones left


def test_sigkill_while_share_cards_are_drawn_never_leaves_half_a_card(tmp_path: Path) -> None:
    """Cards are drawn into the image cache, which the next build trusts: a build killed
    while it draws them leaves no half card there, so the next build, from that cache,
    writes exactly what the good build did."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), "--articles", "40"],
                   check=True, capture_output=True)
    good = good_build(site)
    started = seconds(good.cmd, good.env)  # up to date: start, check, exit
    clean = [*good.cmd, "--clean"]
    verbose = subprocess.run([*(part for part in clean if part != "-q"), "--verbose"],
                             env=good.env, check=True, capture_output=True, text=True).stdout
    stage = {m[0]: float(m[1]) / 1000 for m in re.findall(r"stage (\w+) +(\d+) ms", verbose)}
    assert stage["images"] > 0.2, verbose  # the cards are drawn, not found in the cache
    begin = started + stage["content"] + stage["plan"]
    rng = random.Random(20261202)
    for n in range(3):
        moment = begin + stage["images"] * (n + rng.random()) / 3
        shutil.rmtree(site / CACHE_DIR / "images", ignore_errors=True)  # cards left to draw
        proc = subprocess.Popen(clean, env=good.env, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        # The workers die with it: they held its stderr open, drew on into the cache and
        # printed a traceback each on finding their parent gone.
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        assert tree_bytes(site / "build") == good.tree
        subprocess.run(good.cmd, env=good.env, check=True)  # from the cache it left
        assert tree_bytes(site / "build") == good.tree
        assert leftovers(site) == []


def test_ctrl_c_at_random_moments_exits_cleanly(corpus_site: Path) -> None:
    good = good_build(corpus_site)
    rng = random.Random(7)
    # Before Python has started there is no sitegen to be interrupted: a Ctrl-C while the
    # interpreter imports its `site` module is Python's fatal error, whatever the program.
    # On a busy machine that takes a while, so the moments start after it.
    python_up = 3 * seconds([sys.executable, "-c", "pass"], good.env)
    for _ in range(8):
        proc = subprocess.Popen(good.cmd, env=good.env, stderr=subprocess.PIPE, text=True)
        earliest = max(0.5, python_up)
        time.sleep(rng.uniform(earliest, max(good.duration, earliest + 0.1)))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 130), err
        assert "Traceback" not in err
        assert tree_bytes(good.site / "build") == good.tree
        assert leftovers(good.site) == []
