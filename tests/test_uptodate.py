"""The no-op build: a build whose sources, options, clock and output are all as the last
build left them does nothing and says so; any difference builds, and the result is the same
as a clean build's."""

from __future__ import annotations

import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

from conftest import FIXED_NOW, tree_bytes

from sitegen.engine import uptodate
from sitegen.engine.build import BuildOptions, BuildResult, build
from sitegen.render.themes import default_theme_dir


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def run(site: Path, **kw: object) -> BuildResult:
    kw.setdefault("now", FIXED_NOW)
    return build(BuildOptions(site=site, jobs=1, **kw))  # type: ignore[arg-type]


def clean_tree(site: Path, scratch: Path, **kw: object) -> dict[str, bytes]:
    copy = scratch / "clean-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".build.*",
                                                              ".sitegen-cache"))
    run(copy, clean=True, **kw)
    return tree_bytes(copy / "build")


def age(site: Path, seconds: float = 60) -> None:
    """Date every source back, as files written well before a build are (outside the
    window in which a timestamp cannot be trusted)."""
    past = time.time() - seconds
    for path in [site / "sitegen.yaml", *site.rglob("*")]:
        if path.is_file() and "build" not in path.parts and ".sitegen-cache" not in path.parts:
            os.utime(path, (past, past))


def test_second_build_does_nothing_and_reports_the_same(make_site, tmp_path, cli):
    site = make_site({"content/articles/2024/bad-image.md": """
        ---
        title: With a missing image
        date: 2024-03-04T10:00:00Z
        author: ann-lee
        image: /images/nowhere.png
        ---
        Text.
    """})
    age(site)
    first = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert first.code == 0 and "Built" in first.out
    before = {p: p.stat().st_ino for p in (site / "build").rglob("*")}
    second = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert second.code == 0
    assert second.out.startswith("Up to date: ")
    assert "nothing changed since the last build" in second.out
    # The same counts and the same warning as the build that did the work.
    assert first.out.split("\n", 1)[1] == second.out.split("\n", 1)[1]
    assert "nowhere.png" in first.err and first.err == second.err
    assert {p: p.stat().st_ino for p in (site / "build").rglob("*")} == before


def test_every_kind_of_change_builds_again(make_site, tmp_path):
    site = make_site({"static/logo.txt": "a static file\n"})
    age(site)
    assert not run(site).up_to_date
    assert run(site).up_to_date
    edits = [
        ("article", lambda: (site / "content/articles/2024/first.md").write_text(
            (site / "content/articles/2024/first.md").read_text().replace(
                "First Story", "First Story, Revised"))),
        ("author", lambda: (site / "content/authors/bo-chen.yaml").write_text(
            "name: Bo Chen\nrole: Bureau Chief\n")),
        ("page", lambda: (site / "content/pages/about.md").write_text(
            "---\ntitle: About us\n---\nWho we are.\n")),
        ("static", lambda: (site / "static/logo.txt").write_text("another static file\n")),
        ("config", lambda: (site / "sitegen.yaml").write_text(
            (site / "sitegen.yaml").read_text().replace("Test Times", "Test Tribune"))),
        ("template", lambda: write(site / "themes/default/templates/base.html",
                                   (default_theme_dir() / "templates/base.html").read_text()
                                   .replace("</body>", "<p>A new footer line</p></body>"))),
        ("new article", lambda: (site / "content/articles/2024/fourth.md").write_text(
            "---\ntitle: Fourth\ndate: 2024-03-05\nauthor: ann-lee\n---\nText.\n")),
        ("deleted article", lambda: (site / "content/articles/2024/fourth.md").unlink()),
    ]
    for what, edit in edits:
        edit()
        result = run(site)
        assert not result.up_to_date, what
        assert tree_bytes(site / "build") == clean_tree(site, tmp_path), what
        assert run(site).up_to_date, what


def test_a_same_size_edit_with_its_time_set_back_is_seen(make_site):
    """A file rewritten with as many bytes and its modification time set back to the one
    the build saw (as `cp -p` or an unpacked archive can do) still builds again."""
    site = make_site()
    path = site / "content/articles/2024/first.md"
    run(site)
    st = path.stat()
    path.write_text(path.read_text().replace("First Story", "Fiery Story"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    result = run(site)
    assert not result.up_to_date
    assert "Fiery Story" in (site / "build/2024/03/01/first/index.html").read_text()


def test_output_touched_by_hand_is_rebuilt(make_site, tmp_path):
    site = make_site()
    age(site)
    run(site)
    good = tree_bytes(site / "build")
    (site / "build/index.html").write_text("defaced")
    assert not run(site).up_to_date
    assert tree_bytes(site / "build") == good
    (site / "build/stray.html").write_text("not ours")
    (site / "build/stray-folder").mkdir()
    assert not run(site).up_to_date
    assert tree_bytes(site / "build") == good
    assert not (site / "build/stray-folder").exists()
    assert run(site).up_to_date
    shutil.rmtree(site / "build")
    assert not run(site).up_to_date
    assert tree_bytes(site / "build") == good


def test_options_count(make_site):
    site = make_site({"content/articles/2024/draft.md": """
        ---
        title: A Draft
        date: 2024-03-04
        author: ann-lee
        draft: true
        ---
        Not yet.
    """})
    age(site)
    run(site)
    assert run(site).up_to_date
    drafts = run(site, drafts=True)
    assert not drafts.up_to_date and (site / "build/2024/03/04/draft/index.html").is_file()
    assert not run(site).up_to_date
    assert not (site / "build/2024/03/04/draft/index.html").exists()
    assert not run(site, base_url="https://other.test/").up_to_date
    assert "https://other.test/" in (site / "build/feed.xml").read_text()
    assert not run(site, output=site / "elsewhere").up_to_date
    assert not run(site, clean=True).up_to_date  # --clean never skips


def test_a_scheduled_article_is_published_when_its_time_comes(make_site):
    due = FIXED_NOW + timedelta(days=2)
    site = make_site({"content/articles/2026/later.md": f"""
        ---
        title: Scheduled Story
        date: {due.isoformat()}
        author: ann-lee
        ---
        Later.
    """})
    age(site)
    run(site)
    assert run(site, now=FIXED_NOW + timedelta(days=1)).up_to_date
    assert "Scheduled Story" not in (site / "build/index.html").read_text()
    published = run(site, now=due + timedelta(minutes=1))
    assert not published.up_to_date
    assert "Scheduled Story" in (site / "build/index.html").read_text()


def test_the_news_sitemap_drops_articles_after_two_days(make_site):
    site = make_site({"content/articles/2026/fresh.md": f"""
        ---
        title: Fresh Story
        date: {(FIXED_NOW - timedelta(hours=1)).isoformat()}
        author: ann-lee
        ---
        New.
    """})
    age(site)
    run(site)
    assert "Fresh Story" in (site / "build/news-sitemap.xml").read_text()
    assert run(site, now=FIXED_NOW + timedelta(hours=12)).up_to_date
    later = run(site, now=FIXED_NOW + timedelta(days=3))
    assert not later.up_to_date
    assert not (site / "build/news-sitemap.xml").exists()  # nothing left in its window


def test_a_template_that_shows_the_build_time_builds_every_time(make_site):
    theme = default_theme_dir() / "templates"
    site = make_site()
    own = site / "themes/default/templates"
    shutil.copytree(theme, own)
    footer = own / "base.html"
    footer.write_text(footer.read_text().replace(
        "</body>", "<p class=built>{{ site.build_time.isoformat() }}</p></body>"))
    age(site)
    run(site)
    assert run(site).up_to_date  # the same pinned instant: the same bytes
    later = run(site, now=FIXED_NOW + timedelta(seconds=1))
    assert not later.up_to_date
    assert (FIXED_NOW + timedelta(seconds=1)).isoformat() in (site / "build/index.html").read_text()


def test_a_damaged_or_foreign_record_is_ignored(make_site):
    site = make_site()
    age(site)
    run(site)
    record = uptodate.record_path(site.resolve(), (site / "build").resolve())
    assert record.is_file()
    for damage in (b"", b"\x00garbage", record.read_bytes()[:40]):
        record.write_bytes(damage)
        assert not run(site).up_to_date
    assert run(site).up_to_date


def test_files_too_recent_for_their_timestamps_are_compared_by_content(make_site):
    """Within the file system's timestamp granularity an edit can keep size and times
    (git's "racily clean" files): those files are recorded with their content digest."""
    site = make_site()
    time.sleep(uptodate.RACY_NS / 1e9 + 0.2)  # the other files grow old enough (ctime too)
    fresh = site / "content/articles/2024/second.md"
    fresh.write_text(fresh.read_text() + "\nOne more line.\n")
    inputs = uptodate.scan(site, time.time_ns())
    assert set(inputs.racy) == {"content/articles/2024/second.md"}
    later = uptodate.scan(site, time.time_ns())
    assert later == inputs
    fresh.write_text(fresh.read_text().replace("One more", "One MORE"))
    assert uptodate.scan(site, time.time_ns()).racy != inputs.racy
