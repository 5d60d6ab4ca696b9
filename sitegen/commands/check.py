"""`sitegen check`: build in memory, look the result over, report what is wrong at its line.

Exit 1 when an error is found (a link or image that leads nowhere, a build that fails, an
outside address that does not answer), 0 with warnings only.
"""

from __future__ import annotations

import argparse
import json
import sys

from sitegen.commands.options import build_time
from sitegen.errors import ContentError, Problem


def cmd_check(args: argparse.Namespace) -> int:
    problems = find_problems(args)
    problems.sort(key=lambda p: (p.path, p.line, p.col, p.message))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        print(json.dumps({"errors": errors, "warnings": warnings,
                          "problems": [_as_json(p) for p in problems]}, indent=2))
    else:
        for problem in problems:
            print(problem)
        print(_summary(errors, warnings), file=sys.stderr)
    return 1 if errors else 0


def find_problems(args: argparse.Namespace) -> list[Problem]:
    """Everything wrong with the site at `args.site`: a failed build's problems, or the
    broken links, editorial slips and (with --external) unreachable outside links."""
    from sitegen.check import content, links
    from sitegen.check.site import build_in_memory, content_error

    try:
        built = build_in_memory(args.site, build_time(args))
    except ContentError as exc:
        return content_error(exc)
    check = links.LinkCheck(built)
    found = [*built.warnings, *check.run(), *content.content_problems(built)]
    if args.external:
        from sitegen.check.external import check_external

        found += check_external(check.external, built.site_dir)
    return _strongest(found)


def _strongest(problems: list[Problem]) -> list[Problem]:
    """One problem per place and kind: an error found by the check replaces the build's
    warning at the same place (a lead image missing from static/, say)."""
    kept: dict[tuple[str, int, int], list[Problem]] = {}
    for problem in problems:
        kept.setdefault((problem.path, problem.line, problem.col), []).append(problem)
    result = []
    for same in kept.values():
        errors = [p for p in same if p.severity == "error"]
        result += errors or same
    return list(dict.fromkeys(result))


def _as_json(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "line": problem.line, "col": problem.col,
            "severity": problem.severity, "message": problem.message}


def _summary(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return "No problems found."
    return (f"{errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}")
