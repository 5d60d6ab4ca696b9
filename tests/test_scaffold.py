"""`sitegen new site` and `sitegen new article`: files that build at once."""

from __future__ import annotations

import fnmatch
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FIXED_NOW, run_sitegen, tree_bytes, write_files
from test_handin import Page

from sitegen.content import yamlio


def front_matter_of(path: Path) -> dict:
    head = path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0]
    return yamlio.load(head)


def test_new_site_builds_at_once_with_the_real_clock(tmp_path: Path) -> None:
    site = tmp_path / "the-long-view"
    made = run_sitegen("new", "site", site)
    assert made.returncode == 0, made.stderr
    built = run_sitegen("build", "--site", site)  # no --now: the article must be in the past
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    article = site / f"build/{yesterday:%Y/%m/%d}/welcome/index.html"
    page = Page(article.read_text())
    assert page.h1 == ["Welcome to The Long View"]
    assert ("/authors/the-editors/", "The Editors") in page.links
    home = (site / "build/index.html").read_text()
    assert "Welcome to The Long View" in home
    about = Page((site / "build/about/index.html").read_text())
    assert about.h1 == ["About"]
    assert "The Editors" in (site / "build/authors/the-editors/index.html").read_text()


def test_new_site_files(tmp_path: Path, cli) -> None:
    site = tmp_path / "s"
    result = cli("new", "site", site, "--title", "Test: Times", "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert sorted(tree_bytes(site)) == [".github/workflows/pages.yml", ".gitignore",
                                        ".gitlab-ci.yml", "README.md",
                                        "content/articles/2026/welcome.md",
                                        "content/authors/the-editors.yaml",
                                        "content/pages/about.md", "sitegen.yaml"]
    config = yamlio.load((site / "sitegen.yaml").read_text())
    assert config["title"] == "Test: Times"
    meta = front_matter_of(site / "content/articles/2026/welcome.md")
    assert meta["date"] == "2026-11-24"  # the day before --now
    assert meta["authors"] == ["the-editors"]
    assert f"sitegen build --site {site}" in result.out


def test_new_site_files_follow_the_umask_and_git_ignores_every_build_tree(
        tmp_path: Path, cli) -> None:
    old = os.umask(0o027)
    try:
        site = tmp_path / "s"
        assert cli("new", "site", site, "--now", FIXED_NOW.isoformat()).code == 0
        assert cli("new", "article", "A Second Story", "--site", site,
                   "--now", FIXED_NOW.isoformat()).code == 0
    finally:
        os.umask(old)
    written = [p for p in site.rglob("*") if p.is_file()]
    assert len(written) >= 9
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o640}  # not mkstemp's 0600
    ignored = (site / ".gitignore").read_text().split()
    # the output, the spare and work trees a build keeps beside it, and the cache
    assert {"build/", ".build.*/", ".sitegen-cache/"} <= set(ignored)
    for again in ((), ("--clean",)):  # the second swap keeps the first tree as the spare
        assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *again).code == 0
    beside = {p.name for p in site.iterdir() if p.name.startswith(".build")}
    assert beside and all(any(fnmatch.fnmatch(name + "/", pattern) for pattern in ignored)
                          for name in beside), beside


def test_new_site_refuses_a_folder_with_files(tmp_path: Path, cli) -> None:
    site = write_files(tmp_path / "s", {"notes.txt": "mine"})
    result = cli("new", "site", site)
    assert result.code == 2
    assert "already exists and is not empty" in result.err
    assert tree_bytes(site) == {"notes.txt": b"mine"}


def test_new_site_into_an_empty_folder(tmp_path: Path, cli) -> None:
    site = tmp_path / "empty"
    site.mkdir()
    assert cli("new", "site", site).code == 0
    assert (site / "sitegen.yaml").is_file()


def _site(tmp_path: Path, cli, timezone: str = "America/New_York") -> Path:
    site = tmp_path / "s"
    assert cli("new", "site", site, "--now", FIXED_NOW.isoformat()).code == 0
    config = site / "sitegen.yaml"
    config.write_text(config.read_text().replace("timezone: UTC", f"timezone: {timezone}"))
    return site


def test_new_article_is_dated_now_in_the_sites_time_zone(tmp_path: Path, cli) -> None:
    site = _site(tmp_path, cli)
    # 03:00 UTC on New Year's Day is still the old year in New York: the path follows the date.
    result = cli("new", "article", "Talks Resume: What's Next?", "--author", "the-editors",
                 "--section", "news", "--site", site, "--now", "2027-01-01T03:00:00+00:00")
    assert result.code == 0, result.err
    path = site / "content/articles/2026/talks-resume-whats-next.md"
    assert f"wrote {path}" in result.out
    meta = front_matter_of(path)
    assert meta == {"title": "Talks Resume: What's Next?", "date": "2026-12-31T22:00:00-05:00",
                    "draft": True, "authors": ["the-editors"], "tags": [], "section": "news"}
    built = cli("build", "--site", site, "--now", "2027-01-01T03:00:01+00:00", "--drafts")
    assert built.code == 0, built.err
    page = Page((site / "build/2026/12/31/talks-resume-whats-next/index.html").read_text())
    assert page.h1 == ["Talks Resume: What’s Next?"]  # the headline's quotes curled
    assert ("/authors/the-editors/", "The Editors") in page.links


def test_new_article_without_author(tmp_path: Path, cli) -> None:
    site = _site(tmp_path, cli, "UTC")
    result = cli("new", "article", "Unsigned", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    assert front_matter_of(site / "content/articles/2026/unsigned.md")["authors"] == []


def test_new_article_refuses_an_unknown_author(tmp_path: Path, cli) -> None:
    site = _site(tmp_path, cli)
    write_files(site, {"content/authors/ann-lee.yaml": "name: Ann Lee\n"})
    before = tree_bytes(site)
    result = cli("new", "article", "Headline", "--author", "the-editor", "--site", site)
    assert result.code == 2
    assert "unknown author `the-editor`. Did you mean `the-editors`?" in result.err
    assert "Known authors: ann-lee, the-editors." in result.err
    assert tree_bytes(site) == before


def test_new_article_refuses_an_unknown_section_and_an_existing_file(tmp_path: Path,
                                                                     cli) -> None:
    site = _site(tmp_path, cli)
    result = cli("new", "article", "Headline", "--section", "sport", "--site", site)
    assert result.code == 2
    assert "unknown section `sport`." in result.err
    args = ("new", "article", "Headline", "--site", site, "--now", FIXED_NOW.isoformat())
    assert cli(*args).code == 0
    path = site / "content/articles/2026/headline.md"
    text = path.read_bytes()
    again = cli(*args)
    assert again.code == 2
    assert f"{path} already exists" in again.err
    assert path.read_bytes() == text


def test_new_article_outside_a_site(tmp_path: Path) -> None:
    result = run_sitegen("new", "article", "Headline", "--site", tmp_path)
    assert result.returncode == 2
    assert "no sitegen.yaml here" in result.stderr
    assert "Traceback" not in result.stderr
