"""The `deploy:` settings of sitegen.yaml: named targets that `sitegen deploy` publishes to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.errors import did_you_mean

DEPLOY_KINDS = ("rsync", "git")
DEFAULT_DEPLOY_BRANCH = "gh-pages"


@dataclass(frozen=True)
class DeployTarget:
    """One named target under `deploy:`: `kind` rsync (to a path or host:path) or git (a
    repository's path or URL, and the branch the output is committed to)."""

    name: str
    kind: str
    destination: str
    branch: str = ""
    line: int = 1  # where sitegen.yaml names it, for messages


EXAMPLE = ("e.g. `deploy:` then `  web: {rsync: \"user@host:/var/www/site/\"}` or "
                   "`  pages: {git: /path/to/repo.git, branch: gh-pages}`")


def read_target(name: str, spec: Any, line: int, problems: list[str]) -> DeployTarget | None:
    """One target under `deploy:`, or None after saying what is wrong with it."""
    where = f"deploy target `{name}`"
    if not isinstance(spec, dict):
        problems.append(f"{where} must be a mapping with `rsync` or `git`, {EXAMPLE}.")
        return None
    for key in spec:
        if key not in {"rsync", "git", "branch"}:
            problems.append(f"unknown field `{key}` in {where}."
                            f"{did_you_mean(str(key), ['rsync', 'git', 'branch'])} A target "
                            "has `rsync: DEST`, or `git: REPO` with an optional `branch`.")
    kinds = [k for k in DEPLOY_KINDS if k in spec]
    if len(kinds) != 1:
        problems.append(f"{where} needs exactly one of `rsync` (a folder or host:path) and "
                        f"`git` (a repository), {EXAMPLE}.")
        return None
    kind = kinds[0]
    destination = spec[kind]
    if not isinstance(destination, str) or not destination.strip():
        problems.append(f"`{kind}` of {where} must be text: a "
                        + ("folder or user@host:/path." if kind == "rsync"
                           else "repository path or URL."))
        return None
    branch = _branch(kind, spec, where, problems)
    if branch is None:
        return None
    return DeployTarget(name, kind, destination.strip(), branch, line)


def _branch(kind: str, spec: dict[str, Any], where: str,
                   problems: list[str]) -> str | None:
    """A git target's branch (gh-pages by default); rsync has none."""
    branch = spec.get("branch", DEFAULT_DEPLOY_BRANCH if kind == "git" else "")
    if kind == "rsync" and "branch" in spec:
        problems.append(f"{where} sends files with rsync, which has no branch. Remove "
                        "`branch`, or use `git: REPO`.")
        return ""
    if not isinstance(branch, str) or (kind == "git" and (
            not branch or branch.startswith("-") or " " in branch)):
        problems.append(f"`branch` of {where} must be a branch name such as gh-pages.")
        return None
    return branch
