"""Saves while `sitegen serve` runs, seen the way a writer sees them: over real sockets on
127.0.0.1, the page served after each save shows what was saved, and no error overlay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from serve_support import get_text, save, serving, wait_for_build

from sitegen.serve.command import DevServer

UNSECTIONED = "content/articles/2024/column.md"
UNSECTIONED_URL = "/2024/03/04/column/"
COLUMN = """\
---
title: {title}
subtitle: A column that belongs to no desk
date: 2024-03-04T09:00:00Z
author: bo-chen
tags: [Iran]
---
A column with no `section:` in its front matter.
"""


def save_and_wait(server: DevServer, rel: str, text: str) -> None:
    """Save a source file as an editor does and wait until the preview has rebuilt."""
    builds = server.preview.builds
    save(server.preview.site / rel, text)
    wait_for_build(server, builds)


def test_edits_of_an_article_without_a_section_are_served(make_site: Callable[..., Path],
                                                          ) -> None:
    """Neighbours (older/newer in the same section) exist only for sectioned articles; an
    edit of an article that has no section must patch like any other, save after save."""
    site = make_site({UNSECTIONED: COLUMN.format(title="First Headline")})
    with serving(site) as server:
        assert "First Headline" in get_text(server, UNSECTIONED_URL)
        for title in ("Second Headline", "Third Headline"):
            save_and_wait(server, UNSECTIONED, COLUMN.format(title=title))
            assert server.preview.status.errors == ()
            page = get_text(server, UNSECTIONED_URL)
            assert f"<h1 class=\"headline\">{title}</h1>" in page
            assert 'id="sitegen-overlay"' not in page
            assert title in get_text(server, "/")  # the home page lists it, new headline
