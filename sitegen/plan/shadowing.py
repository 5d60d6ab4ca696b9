"""A page of the site's own that would take the URL of a page sitegen makes: refused.

Hosts compare URLs case-insensitively more often than not, so two outputs whose paths differ
only in case are one (see sitegen.plan.pages.shadowed).
"""

from __future__ import annotations

from sitegen.errors import Problems
from sitegen.plan.outputs import Plan, PlannedPage
from sitegen.plan.pages import shadowed, source_of


def check_shadowing(plan: Plan, problems: Problems) -> None:
    """Raise for a page that would take the file of a page sitegen makes (a tag's, an
    author's, the archive's...), at its source: a page's file, or sitegen.yaml's sections."""
    for page, other in shadowed(plan):
        # The one at fault: a standalone page, else a section (named in sitegen.yaml), else
        # the later of two (an author profile whose id differs only in case).
        mine, theirs = (other, page) if _intruder_rank(other) < _intruder_rank(page) else (
            page, other)
        source = source_of(mine)
        where = problems.site_root / (source or "sitegen.yaml")
        what = "its URL" if source else f"the {mine.kind} page's URL"
        problems.error(where, 1, 1, f"{what} {mine.url} is also the URL of sitegen's "
                       f"{theirs.kind} page, which it would replace. Give it another `slug`, "
                       "or the section another name.")
    problems.raise_if_any()


def _intruder_rank(page: PlannedPage) -> int:
    return {"redirect": -1, "page": 0, "section": 1}.get(page.kind, 2)
