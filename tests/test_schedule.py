"""`sitegen schedule` and `schedule next`, at moments before, at and after due times, across
the end of summer time in Europe/Berlin (last Sunday of October: 03:00 CEST -> 02:00 CET)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

BERLIN = {
    "sitegen.yaml": "title: Berliner Blatt\nbase_url: https://blatt.test/\n"
                    "timezone: Europe/Berlin\n",
    "content/authors/ann.yaml": "name: Ann\n",
    # Due the day summer time ends, after it ended: 12:00 CET is 11:00 UTC.
    "content/articles/2026/due.md": "---\ntitle: Due Sunday\nsubtitle: d\n"
                                    "date: 2026-10-25 12:00\n---\nText.\n",
    # Published in summer time: leaves the news sitemap 48 hours later, in winter time.
    "content/articles/2026/out.md": "---\ntitle: Out Saturday\nsubtitle: d\n"
                                    "date: 2026-10-24T09:00:00+02:00\n---\nText.\n",
    "content/articles/2026/draft.md": "---\ntitle: A Draft\ndraft: true\n"
                                      "date: 2026-10-24 20:00\n---\nText.\n",
    # First published elsewhere: never in the news sitemap, so it changes nothing later.
    "content/articles/2026/reprint.md": "---\ntitle: Reprint\nsubtitle: d\n"
                                        "date: 2026-10-24T10:00:00+02:00\n"
                                        "canonical: https://elsewhere.test/a\n---\nText.\n",
}


@pytest.fixture
def berlin(make_site) -> Path:
    site: Path = make_site(BERLIN, base=False)
    return site


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-10-24T10:00:00+02:00", "2026-10-25T12:00:00+01:00"),  # before: the due article
    ("2026-10-25T11:59:59+01:00", "2026-10-25T12:00:00+01:00"),
    ("2026-10-25T12:00:00+01:00", "2026-10-26T08:00:01+01:00"),  # at: it is published
    ("2026-10-26T08:00:01+01:00", "2026-10-27T12:00:01+01:00"),  # after the first leaves
    ("2026-10-27T12:00:01+01:00", ""),  # nothing left to change
])
def test_next_change(berlin: Path, cli, now: str, expected: str) -> None:
    result = cli("schedule", "next", "--site", berlin, "--now", now)
    assert result.code == 0, result.err
    assert result.out == (expected + "\n" if expected else "")


def test_the_list_gives_due_times_in_the_sites_zone(berlin: Path, cli) -> None:
    result = cli("schedule", "--site", berlin, "--now", "2026-10-24T10:00:00+02:00")
    assert result.code == 0
    assert result.out == ("2026-10-25T12:00:00+01:00 (CET)  content/articles/2026/due.md  "
                          "Due Sunday\n")
    result = cli("schedule", "--site", berlin, "--now", "2026-10-26T00:00:00Z")
    assert result.out == "No article is scheduled after 2026-10-26T01:00:00+01:00 (CET).\n"


def test_next_is_the_moment_a_build_changes(berlin: Path, cli, tmp_path: Path) -> None:
    """A build one second before the answer and one at it differ: the answer is honest."""
    from sitegen.engine.build import BuildOptions, build

    answer = cli("schedule", "next", "--site", berlin, "--now",
                 "2026-10-24T10:00:00+02:00").out.strip()
    due = datetime.fromisoformat(answer)
    before = build(BuildOptions(site=berlin, output=tmp_path / "a",
                                now=due - timedelta(seconds=1)))
    at = build(BuildOptions(site=berlin, output=tmp_path / "b", now=due))
    assert (before.pages["article"], at.pages["article"]) == (2, 3)
    news = cli("schedule", "next", "--site", berlin, "--now", answer).out.strip()
    gone = datetime.fromisoformat(news)
    sitemap = tmp_path / "c" / "news-sitemap.xml"
    build(BuildOptions(site=berlin, output=tmp_path / "c", now=gone - timedelta(seconds=1)))
    assert "out/" in sitemap.read_text()
    build(BuildOptions(site=berlin, output=tmp_path / "d", now=gone))
    assert "out/" not in (tmp_path / "d" / "news-sitemap.xml").read_text()


def test_a_broken_article_is_reported_as_a_build_would(berlin: Path, cli) -> None:
    (berlin / "content/articles/2026/bad.md").write_text("---\ntitle: x\n---\n")
    result = cli("schedule", "next", "--site", berlin)
    assert result.code == 1
    assert "content/articles/2026/bad.md" in result.err and "date" in result.err
