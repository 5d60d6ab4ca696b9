"""`sitegen deploy [TARGET]`: publish the last build to a target named in sitegen.yaml.

    deploy:
      web: {rsync: "user@host:/var/www/site/"}              # or a local folder
      pages: {git: "/path/to/repo.git", branch: gh-pages}   # or a remote URL

Only a build that is the site is published: one that exists, whose last run succeeded,
that is not older than the sources (sitegen.engine.uptodate's check, the one that makes a
second `sitegen build` a no-op) and that was not made with --drafts or --future.

- rsync runs the `rsync` program with `--archive --delete --checksum`: only files whose
  bytes changed are sent, files the build no longer has are deleted, nothing outside the
  target is touched; `--dry-run` lists what would change.
- git commits the output to a branch of a repository, from a temporary repository outside
  the site (the output is its work tree, read only), with the build's summary as message,
  and pushes it: one commit per deploy, none when the output is what the branch holds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitegen.commands.options import build_time
from sitegen.config import CONFIG_NAME, Config, did_you_mean, load_config
from sitegen.config_deploy import DeployTarget
from sitegen.engine import uptodate
from sitegen.errors import ConfigError, Problem, SitegenError, UsageError
from sitegen.output.folder import KEEP, MARKER
from sitegen.output.lock import output_lock

BUILD_AGAIN = "Run `sitegen build`, then deploy again."
EXCLUDED = (".git",)  # in the output only as a deploy checkout: never published
# sitegen's own files in the output, never published (and deleted from a target that
# an older deploy gave them): the output's marker, and files a build stages beside their
# target (see sitegen.output.write) should a deploy ever meet one.
INTERNAL = (f"/{MARKER}", "*.sitegen-new", ".*.tmp")


class DeployError(SitegenError):
    """The build may not be published as it is, or publishing failed (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Changes:
    """What a deploy sent (or, with --dry-run, would send) and deleted, as output paths."""

    sent: tuple[str, ...]
    deleted: tuple[str, ...]
    commit: str = ""  # git: the commit made, "" when none


def cmd_deploy(args: argparse.Namespace) -> int:
    site: Path = args.site.resolve()
    config = load_config(site)
    target = choose_target(config, args.target)
    out = (site / "build").resolve()
    with output_lock(site, out, "sitegen deploy"):  # no build swaps the output meanwhile
        record = check_build(site, out, build_time(args) or datetime.now(UTC))
        if target.kind == "rsync":
            changes = deploy_rsync(out, target, site, args.dry_run)
        else:
            changes = deploy_git(out, target, summary(record, config), args.dry_run)
    report(target, changes, args.dry_run)
    return 0


def choose_target(config: Config, name: str | None) -> DeployTarget:
    """The target named, else the first one in sitegen.yaml."""
    targets = config.deploy
    if not targets:
        raise ConfigError([Problem(CONFIG_NAME, 1, 1, "no deploy targets. Add one under "
                                   "`deploy:`, e.g. `deploy:` then `  web: {rsync: "
                                   "\"user@host:/var/www/site/\"}` or `  pages: {git: "
                                   "/path/to/repo.git, branch: gh-pages}`.")])
    if name is None:
        return targets[0]
    for target in targets:
        if target.name == name:
            return target
    names = [t.name for t in targets]
    raise ConfigError([Problem(CONFIG_NAME, max(targets[0].line - 1, 1), 1,
                               f"unknown deploy target `{name}`.{did_you_mean(name, names)} "
                               f"Targets: {', '.join(names)}; add `{name}` under `deploy:` "
                               "or name one of them.")])


def check_build(site: Path, out: Path, now: datetime) -> dict[str, Any]:
    """The record of the build in `out`, when it may be published; else DeployError."""
    shown = _shown(out)
    if not out.is_dir() or not [p for p in out.iterdir() if p.name not in KEEP]:
        raise DeployError(f"{shown}: no build to deploy. {BUILD_AGAIN}")
    record = uptodate.last_build(site, out)
    if record is None:
        raise DeployError(f"{shown}: no record of the `sitegen build` that made it (made by "
                          f"`sitegen serve`, or by another version of sitegen). {BUILD_AGAIN}")
    if record.get("failed"):
        raise DeployError(f"{shown}: the last `sitegen build` failed ({record['failed']}), "
                          f"so it holds the build before. Fix what it reported. {BUILD_AGAIN}")
    asked = [flag for flag in ("drafts", "future") if record.get(flag)]
    if asked:
        flags = " and ".join(f"--{flag}" for flag in asked)
        raise DeployError(f"{shown}: built with {flags}, a preview that shows articles not "
                          f"yet published. Run `sitegen build` without {flags}, then deploy "
                          "again.")
    request = uptodate.Request(site, out, False, False, record.get("base_url"), now)
    if uptodate.check(request) is None:
        raise DeployError(f"{shown}: older than the sources (or changed since it was built, "
                          "or a scheduled article has come due since). " + BUILD_AGAIN)
    return record


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)


def summary(record: dict[str, Any], config: Config) -> str:
    """The build's summary, as `sitegen build` printed it: a commit message."""
    from sitegen.commands.build import PAGE_KINDS

    pages: dict[str, int] = record.get("pages", {})
    total = sum(pages.values())
    lines = [f"Deploy {config.title}: {total} pages, {record.get('feeds', 0)} feeds, "
             f"{record.get('static', 0)} static files", ""]
    lines += [f"{label}: {pages[kind]}" for kind, label in PAGE_KINDS if pages.get(kind)]
    return "\n".join(lines) + "\n"


def report(target: DeployTarget, changes: Changes, dry_run: bool) -> None:
    verb, gone = ("would send", "would delete") if dry_run else ("sent", "deleted")
    for rel in changes.sent:
        print(f"{verb} {rel}")
    for rel in changes.deleted:
        print(f"{gone} {rel}")
    what = f"{target.kind} {target.destination}"
    if target.kind == "git":
        what += f" (branch {target.branch})"
    if not changes.sent and not changes.deleted:
        print(f"Nothing to deploy to {target.name}: {what} already has this build.")
    elif dry_run:
        print(f"Dry run: {target.name} would get {len(changes.sent)} files and lose "
              f"{len(changes.deleted)}, at {what}; nothing was changed.")
    else:
        commit = f", commit {changes.commit[:12]}" if changes.commit else ""
        print(f"Deployed to {target.name}: {len(changes.sent)} files sent, "
              f"{len(changes.deleted)} deleted, at {what}{commit}.")


# ---------------------------------------------------------------- rsync


def _local(destination: str) -> Path | None:
    """The folder an rsync destination names on this machine, or None for host:path."""
    head = destination.split("/", 1)[0]
    if ":" in head and not destination.startswith(("/", ".", "~")):
        return None
    return Path(destination).expanduser().resolve()


def deploy_rsync(out: Path, target: DeployTarget, site: Path, dry_run: bool) -> Changes:
    """Mirror `out` into the target with rsync (see the module's docstring)."""
    program = shutil.which("rsync")
    if program is None:
        raise UsageError("`rsync` is not installed. Install it (`apt-get install rsync`, "
                         "`brew install rsync`), or deploy to a `git` target.")
    local = _local(target.destination)
    if local is not None:
        for inside in (site, out, Path.home().resolve(), Path("/")):
            if local == inside or inside.is_relative_to(local) or local.is_relative_to(out):
                raise ConfigError([Problem(
                    CONFIG_NAME, target.line, 1, f"deploy target `{target.name}`: {local} "
                    "holds the site, its build or your home folder, which a deploy would "
                    "delete. Point `rsync` at the web server's folder.")])
        if not dry_run:
            local.mkdir(parents=True, exist_ok=True)
    command = [program, "--archive", "--delete", "--checksum", "--itemize-changes",
               "--out-format=%i %n", *(f"--exclude=/{name}" for name in EXCLUDED),
               *(f"--filter=H {pattern}" for pattern in INTERNAL)]  # hidden, so deleted
    if dry_run:
        command.append("--dry-run")
    destination = str(local) + "/" if local is not None else target.destination
    command += ["--", str(out) + "/", destination]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DeployError(f"deploy target `{target.name}`: rsync failed (exit "
                          f"{done.returncode}): {done.stderr.strip()}. Check the destination "
                          "and that you can write to it, then deploy again.")
    return _itemized(done.stdout.splitlines())


def _itemized(lines: Sequence[str]) -> Changes:
    """Files sent and deleted, from rsync's `--itemize-changes` lines (`%i %n`)."""
    sent: list[str] = []
    deleted: list[str] = []
    for line in lines:
        flags, _, name = line.partition(" ")
        if flags == "*deleting":
            deleted.append(name.strip())
        elif len(flags) == 11 and flags[0] in "<>" and flags[1] == "f":
            sent.append(name)
    return Changes(tuple(sent), tuple(deleted))


# ---------------------------------------------------------------- git


def _git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    if check and done.returncode != 0:
        raise DeployError(f"`git {args[0]}` failed: {done.stderr.strip() or done.stdout}. "
                          "Check the repository and your access to it, then deploy again.")
    return done


def deploy_git(out: Path, target: DeployTarget, message: str, dry_run: bool) -> Changes:
    """Commit `out` to the target's branch and push it (see the module's docstring)."""
    if shutil.which("git") is None:
        raise UsageError("`git` is not installed. Install it, or deploy to an `rsync` target.")
    repo = target.destination
    if "://" not in repo and ":" not in repo.split("/", 1)[0]:
        repo = str(Path(repo).expanduser().resolve())
    branch = target.branch
    scratch = Path(tempfile.mkdtemp(prefix="sitegen-deploy-"))  # outside the site
    try:
        git_dir = scratch / "repo.git"
        _git("init", "--quiet", "--bare", str(git_dir))
        env = {**os.environ, "GIT_DIR": str(git_dir), "GIT_WORK_TREE": str(out),
               "GIT_INDEX_FILE": str(scratch / "index")}
        heads = _git("ls-remote", "--heads", repo, f"refs/heads/{branch}", env=env).stdout
        parent = ""
        if heads.strip():
            _git("fetch", "--quiet", "--depth=1", repo,
                 f"+refs/heads/{branch}:refs/remotes/deploy/{branch}", env=env)
            parent = _git("rev-parse", f"refs/remotes/deploy/{branch}", env=env).stdout.strip()
        _git("add", "--all", "--force", ".", env=env)
        for name in EXCLUDED:
            _git("rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", name, env=env)
        _git("rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--",
             *(f":(glob){p[1:]}" if p.startswith("/") else f":(glob)**/{p}"
               for p in INTERNAL), env=env)
        tree = _git("write-tree", env=env).stdout.strip()
        old_tree = _git("rev-parse", f"{parent}^{{tree}}", env=env).stdout.strip() if (
            parent) else ""
        if tree == old_tree:
            return Changes((), ())
        sent, deleted = _tree_changes(env, old_tree, tree)
        if dry_run:
            return Changes(sent, deleted)
        identity = _identity(env)
        commit = _git(*identity, "commit-tree", tree, *(["-p", parent] if parent else []),
                      "-m", message, env=env).stdout.strip()
        pushed = _git("push", "--quiet", repo, f"{commit}:refs/heads/{branch}", env=env,
                      check=False)
        if pushed.returncode != 0:
            raise DeployError(f"deploy target `{target.name}`: git push to {repo} (branch "
                              f"{branch}) failed: {pushed.stderr.strip()}. If the branch "
                              "moved meanwhile, deploy again; else check your access.")
        return Changes(sent, deleted, commit)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _tree_changes(env: dict[str, str], old: str, new: str) -> tuple[tuple[str, ...],
                                                                    tuple[str, ...]]:
    """Paths added or changed, and paths deleted, from tree `old` (or nothing) to `new`."""
    if not old:
        listed = _git("ls-tree", "-r", "--name-only", "-z", new, env=env).stdout
        return tuple(p for p in listed.split("\0") if p), ()
    diff = _git("diff-tree", "-r", "--no-renames", "--name-status", "-z", old, new,
                env=env).stdout.split("\0")
    sent: list[str] = []
    deleted: list[str] = []
    for status, path in zip(diff[0::2], diff[1::2], strict=False):
        (deleted if status == "D" else sent).append(path)
    return tuple(sent), tuple(deleted)


def _identity(env: dict[str, str]) -> list[str]:
    """`-c user.name=... -c user.email=...` when git has no identity configured."""
    args: list[str] = []
    for key, fallback in (("user.name", "sitegen deploy"), ("user.email", "sitegen@localhost")):
        if not _git("config", "--get", key, env=env, check=False).stdout.strip():
            args += ["-c", f"{key}={fallback}"]
    return args
