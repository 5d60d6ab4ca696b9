"""`sitegen deploy`, for real: rsync into a folder, git into a bare repository on disk.

Each deploys twice, the second time after one article changed: rsync sends exactly the files
whose bytes the rebuild changed, git makes exactly one new commit holding them, and a deploy
with nothing changed makes no commit. A build that is missing, failed, stale or a preview
(--drafts, --future) is refused with what to do.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXED_NOW, tree_bytes

NOW = FIXED_NOW.isoformat()
BASE = "title: Test Times\nbase_url: https://example.test/\nper_page: 2\n"
EDITED = "A second paragraph, as corrected."


@pytest.fixture(autouse=True)
def _clock_at_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deploys happen at the builds' instant (SOURCE_DATE_EPOCH, as `sitegen deploy` reads
    it), whatever this machine's clock says."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


def git(*args: str | Path) -> str:
    return subprocess.run(["git", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


def published(site: Path) -> dict[str, bytes]:
    """The build as a deploy publishes it: without sitegen's own marker file."""
    return {rel: data for rel, data in tree_bytes(site / "build").items()
            if rel != ".sitegen-output"}


def sent(out: str) -> set[str]:
    return {line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("sent ")}


def edit_one_article(site: Path) -> None:
    path = site / "content/articles/2024/first.md"
    path.write_text(path.read_text().replace("A second paragraph.", EDITED))


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {rel for rel, data in after.items() if before.get(rel) != data}


def build(cli, site: Path, *extra: str) -> None:
    result = cli("build", "--site", site, "--now", NOW, *extra)
    assert result.code == 0, result.err


# ---------------------------------------------------------------- rsync


@pytest.mark.skipif(shutil.which("rsync") is None, reason="scripts/test.sh installs rsync")
def test_rsync_sends_only_what_changed_and_deletes_only_inside_the_target(
        make_site, cli, tmp_path: Path) -> None:
    www = tmp_path / "www" / "site"
    site = make_site({"sitegen.yaml": BASE + f"deploy:\n  web: {{rsync: \"{www}/\"}}\n"})
    neighbour = tmp_path / "www" / "other-site.html"  # beside the target: never touched
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("another site")
    build(cli, site)
    result = cli("deploy", "--site", site)
    assert result.code == 0, result.err
    assert tree_bytes(www) == published(site)
    assert "Deployed to web:" in result.out

    before = tree_bytes(site / "build")
    edit_one_article(site)
    build(cli, site)
    changed = changed_files(before, tree_bytes(site / "build"))
    assert "2024/03/01/first/index.html" in changed
    assert len(changed) < len(before) / 4  # one article's files, not the site

    dry = cli("deploy", "web", "--site", site, "--dry-run")
    assert dry.code == 0, dry.err
    assert {line.split(" ", 2)[2] for line in dry.out.splitlines()
            if line.startswith("would send ")} == changed
    assert EDITED not in (www / "2024/03/01/first/index.html").read_text()  # nothing sent

    again = cli("deploy", "web", "--site", site)
    assert again.code == 0, again.err
    assert sent(again.out) == changed
    assert EDITED in (www / "2024/03/01/first/index.html").read_text()
    assert tree_bytes(www) == published(site)

    # An article deleted: its files go from the target, and nothing else does.
    (site / "content/articles/2024/third.txt").unlink()
    stray = www / "uploaded-by-hand.txt"
    stray.write_text("not the build's")
    build(cli, site)
    gone = cli("deploy", "--site", site)
    assert gone.code == 0, gone.err
    assert "deleted 2024/03/03/third/index.html" in gone.out
    assert not (www / "2024/03/03/third").exists() and not stray.exists()
    assert tree_bytes(www) == published(site)
    assert neighbour.read_text() == "another site"

    nothing = cli("deploy", "--site", site)
    assert nothing.code == 0 and "Nothing to deploy to web" in nothing.out


def test_rsync_refuses_a_target_holding_the_site(make_site, cli) -> None:
    site = make_site()
    (site / "sitegen.yaml").write_text(BASE + f"deploy:\n  oops: {{rsync: {site.parent}}}\n")
    build(cli, site)
    result = cli("deploy", "--site", site)
    assert result.code == 2
    assert "sitegen.yaml:5:1: error: deploy target `oops`:" in result.err
    assert "holds the site" in result.err and "Point `rsync`" in result.err
    assert (site / "content/articles/2024/first.md").is_file()


# ---------------------------------------------------------------- git


def commits(repo: Path, branch: str) -> list[str]:
    return git("-C", repo, "rev-list", branch).split()


def test_git_makes_one_commit_per_deploy_that_changes_something(make_site, cli,
                                                                tmp_path: Path) -> None:
    repo = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", repo)
    site = make_site({"sitegen.yaml": BASE + "deploy:\n"
                      f"  pages: {{git: {repo}, branch: gh-pages}}\n"
                      f"  web: {{rsync: {tmp_path / 'unused'}}}\n"})
    build(cli, site)
    first = cli("deploy", "pages", "--site", site)
    assert first.code == 0, first.err
    assert len(commits(repo, "gh-pages")) == 1
    files = set(git("-C", repo, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert files == set(published(site))
    message = git("-C", repo, "log", "-1", "--format=%B", "gh-pages")
    pages = sum(1 for rel in files if rel.endswith(".html"))
    assert message.startswith(f"Deploy Test Times: {pages} pages, ")
    assert "articles: 3" in message

    before = tree_bytes(site / "build")
    edit_one_article(site)
    build(cli, site)
    after = tree_bytes(site / "build")
    changed = changed_files(before, after)
    deleted = set(before) - set(after)  # a search index's renamed files, if Pagefind runs
    second = cli("deploy", "pages", "--site", site)
    assert second.code == 0, second.err
    assert len(commits(repo, "gh-pages")) == 2
    diff = git("-C", repo, "diff", "--name-only", "gh-pages~1", "gh-pages").split()
    assert set(diff) == changed | deleted
    assert sent(second.out) == changed
    assert {line.split(" ", 1)[1] for line in second.out.splitlines()
            if line.startswith("deleted ")} == deleted
    shown = git("-C", repo, "show", "gh-pages:2024/03/01/first/index.html")
    assert EDITED in shown

    third = cli("deploy", "pages", "--site", site)
    assert third.code == 0, third.err
    assert "Nothing to deploy to pages" in third.out
    assert len(commits(repo, "gh-pages")) == 2
    assert not list(site.rglob("*.orig")) and not (site / "build/.git").exists()


def test_git_dry_run_pushes_nothing(make_site, cli, tmp_path: Path) -> None:
    repo = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", repo)
    site = make_site({"sitegen.yaml": BASE + f"deploy:\n  pages: {{git: {repo}}}\n"})
    build(cli, site)
    result = cli("deploy", "--site", site, "--dry-run")
    assert result.code == 0, result.err
    assert "would send index.html" in result.out.splitlines()
    assert git("-C", repo, "branch", "--list") == ""


# ---------------------------------------------------------------- refusals


def _write_deploy_site(make_site, tmp_path: Path) -> tuple[Path, Path]:
    www = tmp_path / "www"
    site = make_site({"sitegen.yaml": BASE + f"deploy:\n  web: {{rsync: {www}}}\n"})
    return site, www


def test_no_build_is_refused(make_site, cli, tmp_path: Path) -> None:
    site, www = _write_deploy_site(make_site, tmp_path)
    result = cli("deploy", "--site", site)
    assert result.code == 1
    assert "no build to deploy. Run `sitegen build`" in result.err
    assert not www.exists()


def test_a_stale_build_is_refused(make_site, cli, tmp_path: Path) -> None:
    site, www = _write_deploy_site(make_site, tmp_path)
    build(cli, site)
    edit_one_article(site)
    result = cli("deploy", "--site", site)
    assert result.code == 1
    assert "older than the sources" in result.err and "Run `sitegen build`" in result.err
    assert not www.exists()
    build(cli, site)
    assert cli("deploy", "--site", site).code == 0
    assert EDITED in (www / "2024/03/01/first/index.html").read_text()


def test_a_failed_build_is_refused(make_site, cli, tmp_path: Path) -> None:
    site, www = _write_deploy_site(make_site, tmp_path)
    build(cli, site)
    bad = site / "content/articles/2024/bad.md"
    bad.write_text("---\ntitle: Bad\ndate: 2024-02-30\n---\nText.\n")
    assert cli("build", "--site", site, "--now", NOW).code == 1
    bad.unlink()  # the sources are as the build in build/ again: only the failure tells
    result = cli("deploy", "--site", site)
    assert result.code == 1
    assert "the last `sitegen build` failed (1 error in 1 file)" in result.err
    assert not www.exists()


@pytest.mark.parametrize("flag", ["--drafts", "--future"])
def test_a_preview_build_is_refused(make_site, cli, tmp_path: Path, flag: str) -> None:
    site, www = _write_deploy_site(make_site, tmp_path)
    build(cli, site, flag)
    result = cli("deploy", "--site", site)
    assert result.code == 1
    assert f"built with {flag}" in result.err
    assert f"Run `sitegen build` without {flag}" in result.err
    assert not www.exists()


# ---------------------------------------------------------------- configuration


@pytest.mark.parametrize(("deploy", "message"), [
    ("  web: {rsinc: /srv/www}\n",
     "sitegen.yaml:5:1: error: unknown field `rsinc` in deploy target `web`. Did you mean "
     "`rsync`?"),
    ("  web: {rsync: /srv/www, git: /srv/repo.git}\n",
     "sitegen.yaml:5:1: error: deploy target `web` needs exactly one of `rsync`"),
    ("  pages: {git: /srv/repo.git, branch: 7}\n",
     "sitegen.yaml:5:1: error: `branch` of deploy target `pages` must be a branch name"),
    ("  - /srv/www\n", "sitegen.yaml:4:"),
])
def test_deploy_settings_are_checked_like_the_rest(make_site, cli, deploy: str,
                                                   message: str) -> None:
    site = make_site({"sitegen.yaml": BASE + "deploy:\n" + deploy})
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 2
    assert message in result.err
    assert cli("deploy", "--site", site).code == 2


def test_an_unknown_target_names_the_known_ones(make_site, cli, tmp_path: Path) -> None:
    site, _ = _write_deploy_site(make_site, tmp_path)
    build(cli, site)
    result = cli("deploy", "webb", "--site", site)
    assert result.code == 2
    assert ("sitegen.yaml:4:1: error: unknown deploy target `webb`. Did you mean `web`? "
            "Targets: web;") in result.err


def test_no_targets_says_how_to_add_one(make_site, cli) -> None:
    site = make_site()
    build(cli, site)
    result = cli("deploy", "--site", site)
    assert result.code == 2
    assert "sitegen.yaml:1:1: error: no deploy targets. Add one under `deploy:`" in result.err
