"""The demo site's sources read directly (plain YAML, no sitegen code), so tests can compare
what the build published with what the writers wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from conftest import FIXED_NOW, REPO

CONTENT = REPO / "content"
ORIGIN = "https://example.org"
SITE = yaml.safe_load((REPO / "sitegen.yaml").read_text(encoding="utf-8"))
TZ = ZoneInfo(SITE["timezone"])
SECTION_TITLES = {s["name"]: s["title"] for s in SITE["sections"]}


def split(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter and body of a `---` delimited file."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}, text
    _, head, body = text.split("---", 2)
    return yaml.safe_load(head) or {}, body


def when(value: Any) -> datetime:
    """A front matter date as an aware datetime; naive ones are in the site's time zone."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


@dataclass
class DemoArticle:
    path: Path
    meta: dict[str, Any]
    body: str

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def author_ids(self) -> list[str]:
        ids = self.meta.get("authors", self.meta.get("author", []))
        return [ids] if isinstance(ids, str) else list(ids)

    @property
    def published(self) -> datetime:
        return when(self.meta["date"])

    @property
    def modified(self) -> datetime:
        times = [self.published, *(when(c["date"]) for c in self.meta.get("corrections", []))]
        if "updated" in self.meta:
            times.append(when(self.meta["updated"]))
        return max(times)


def published_articles() -> list[DemoArticle]:
    """Articles a build at FIXED_NOW publishes: not drafts, not dated later."""
    found = []
    for path in sorted(CONTENT.glob("articles/**/*")):
        if path.suffix not in {".md", ".txt"}:
            continue
        meta, body = split(path)
        article = DemoArticle(path, meta, body)
        if not meta.get("draft") and article.published <= FIXED_NOW:
            found.append(article)
    return found


def authors() -> dict[str, dict[str, Any]]:
    """Author id -> profile (name, role, links...)."""
    profiles = {}
    for path in sorted(CONTENT.glob("authors/*")):
        if path.suffix == ".md":
            profiles[path.stem] = split(path)[0]
        else:
            profiles[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return profiles
