"""The text `sitegen new article` leaves for the writer to replace, and the warning a build
gives when a published article still holds it (a scaffold published as it was written)."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import Problems
from sitegen.model.entries import Entry
from sitegen.model.site import Article

PLACEHOLDER = "Write the article here, in Markdown."


def warn_placeholders(published: Iterable[tuple[Entry, Article]], problems: Problems) -> None:
    """A warning at the body of each published article whose text is still the scaffold's."""
    for entry, article in published:
        if PLACEHOLDER in article.body_html:
            problems.warn(entry.source.path, entry.source.body_line, 1,
                          f"still holds the placeholder text of `sitegen new article` "
                          f"(\"{PLACEHOLDER}\"), and is published. Write the article, or "
                          "put `draft: true` back in its front matter.")
