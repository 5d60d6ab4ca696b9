"""Reading a built HTML page the way a crawler does: its meta and link tags, its JSON-LD
blocks and its other scripts, with entities decoded by the standard library's HTML parser."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any


@dataclass
class PageHead:
    metas: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (attrs, text)
    anchors: list[dict[str, str]] = field(default_factory=list)

    def meta(self, key: str) -> list[str]:
        """Every `content` of <meta property=key> or <meta name=key>, in page order."""
        return [m.get("content", "") for m in self.metas
                if m.get("property") == key or m.get("name") == key]

    def one(self, key: str) -> str:
        values = self.meta(key)
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def link_hrefs(self, rel: str) -> list[str]:
        return [link["href"] for link in self.links if rel in link.get("rel", "").split()]

    @property
    def jsonld(self) -> list[Any]:
        return [json.loads(text) for attrs, text in self.scripts
                if attrs.get("type") == "application/ld+json"]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = PageHead()
        self._script: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.head.metas.append(values)
        elif tag == "link":
            self.head.links.append(values)
        elif tag == "a":
            self.head.anchors.append(values)
        elif tag == "script":
            self._script, self._text = values, []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.head.scripts.append((self._script, "".join(self._text)))
            self._script = None


def read_head(path: Path) -> PageHead:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.head
