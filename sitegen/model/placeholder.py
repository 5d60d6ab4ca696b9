"""The text `sitegen new article` leaves for the writer to replace, and the warning a build
gives when a published article still holds it (a scaffold published as it was written)."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import Problems
from sitegen.model.entries import Entry

PLACEHOLDER = "Write the article here, in Markdown."


def warn_placeholders(published: Iterable[Entry], problems: Problems) -> None:
    """A warning at the body of each of these published articles, whose text is still the
    scaffold's (seen where the body was rendered: sitegen.content.read)."""
    for entry in published:
        problems.warn(entry.source.path, entry.source.body_line, 1,
                      f"still holds the placeholder text of `sitegen new article` "
                      f"(\"{PLACEHOLDER}\"), and is published. Write the article, or "
                      "put `draft: true` back in its front matter.")
