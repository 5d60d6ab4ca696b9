"""What `sitegen new site` writes for publishing: a GitHub Pages workflow and a GitLab Pages
job that are valid YAML with the steps each host needs, whose build commands really build
the new site where the host takes it from, and a README on deploying elsewhere."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import FIXED_NOW, REPO


def new_site(cli, folder: Path) -> Path:
    result = cli("new", "site", folder, "--title", "The Long View", "--now",
                 FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    return folder


def run_step(command: str, cwd: Path, env: dict[str, str]) -> None:
    """A CI step's `sitegen ...` command, run as the CI shell would (variables expanded),
    with this checkout's sitegen."""
    for name, value in env.items():
        command = command.replace(f"${name}", value)
    assert "$" not in command, command
    words = shlex.split(command)
    assert words[0] == "sitegen", command
    done = subprocess.run([sys.executable, "-m", "sitegen", *words[1:]], cwd=cwd,
                          env={**os.environ, **env, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_github_pages_workflow(cli, tmp_path: Path) -> None:
    site = new_site(cli, tmp_path / "site")
    text = (site / ".github/workflows/pages.yml").read_text()
    assert text.startswith("# GitHub Pages:")  # commented for whoever opens it
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write",
                                       "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert uses == ["actions/checkout", "actions/setup-python", "", "actions/configure-pages",
                    "", "actions/upload-pages-artifact"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs[0] == "pip install sitegen"
    assert runs[1].startswith("sitegen build")
    upload = build["steps"][-1]
    assert upload["with"] == {"path": "build"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # The build step, with the address Pages gives, builds what the upload step takes.
    command = runs[1].replace("${{ steps.pages.outputs.base_url }}",
                              "https://newsroom.github.io/long-view")
    run_step(command, site, {})
    home = (site / upload["with"]["path"] / "index.html").read_text()
    assert 'href="/long-view/css/style.css"' in home
    assert "https://newsroom.github.io/long-view/rss.xml" in (
        site / "build/rss.xml").read_text()


def test_gitlab_pages_job(cli, tmp_path: Path) -> None:
    site = new_site(cli, tmp_path / "site")
    text = (site / ".gitlab-ci.yml").read_text()
    assert text.startswith("# GitLab Pages:")
    config = yaml.safe_load(text)
    job = config["pages"]
    assert job["image"].startswith("python:3")
    assert job["script"][0] == "pip install sitegen"
    assert job["script"][1].startswith("sitegen build --output public")
    assert job["artifacts"] == {"paths": ["public"]}
    run_step(job["script"][1], site, {"CI_PAGES_URL": "https://newsroom.gitlab.io/long-view"})
    assert (site / "public/index.html").is_file()
    assert not (site / "build").exists()
    assert "https://newsroom.gitlab.io/long-view/feed.xml" in (
        site / "public/feed.xml").read_text()
    assert "public/" in (site / ".gitignore").read_text().split()


def test_the_new_sites_readme_explains_deploying(cli, tmp_path: Path) -> None:
    site = new_site(cli, tmp_path / "site")
    readme = (site / "README.md").read_text()
    assert readme.startswith("# The Long View\n")
    deploying = readme.split("## Deploying", 1)[1]
    for host in ("### Netlify", "### Cloudflare Pages", "### Amazon S3",
                 "### A plain web server (rsync)", "### Cache headers"):
        assert host in deploying, host
    assert "sitegen deploy --dry-run" in deploying
    assert "Cache-Control: no-cache" in deploying
    # The deploy example is a valid `deploy:` setting.
    example = deploying.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert yaml.safe_load(example) == {"deploy": {"web": {
        "rsync": "user@example.org:/var/www/site/"}}}
