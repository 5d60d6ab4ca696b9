"""What the theme tests share: the pinned browser tools and a parsed view of built pages."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.demo_site import BROWSER_TOOLS


def require_tool(present: bool, what: str) -> None:
    """Skip a test whose tool is missing; with CI=true a missing tool is a failure."""
    if present:
        return
    how = f"{what} is missing: scripts/test.sh installs it (npm ci in tests/browser/)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {how}")
    pytest.skip(how)


def require_node_tool(path: Path) -> Path:
    require_tool(path.is_file(), str(path.relative_to(BROWSER_TOOLS.parent)))
    return path


def require_java() -> str:
    java = shutil.which("java")
    require_tool(java is not None, "java (Debian's default-jre-headless)")
    assert java is not None
    return java


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


class PageTags(HTMLParser):
    """Every start tag of one HTML page, with its attributes (None values become "")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def page_tags(path: Path) -> PageTags:
    parser = PageTags()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(build: Path) -> list[Path]:
    return sorted(build.rglob("*.html"))
