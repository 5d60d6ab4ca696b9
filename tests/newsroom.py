"""A small newsroom site made to order, for the incremental and parallel build tests.

Articles share a few tags and authors so that every kind of page (paginated home, sections,
tags, authors, related boxes, neighbours) shows some of them; everything is drawn from a
seeded random generator, so a test's site is the same on every run.
"""

from __future__ import annotations

import random
from pathlib import Path

SECTIONS = ["news", "opinion", "analysis", "editorial"]
AUTHORS = {"ann-lee": "Ann Lee", "bo-chen": "Bo Chen", "cy-diaz": "Cy Diaz",
           "di-eze": "Di Eze"}
TAGS = ["Iran", "Sanctions", "Budget", "Schools", "Transit", "Courts", "Housing", "Climate"]
WORDS = ["the", "council", "said", "budget", "vote", "delayed", "again", "after", "a", "long",
         "night", "of", "talks", "while", "residents", "waited", "outside", "in", "the", "cold",
         "asking", "what", "comes", "next", "for", "transit"]


def article_text(rng: random.Random, title: str, day: int, authors: list[str],
                 tags: list[str], section: str, paragraphs: int = 3) -> str:
    body = []
    for _ in range(paragraphs):
        words = rng.choices(WORDS, k=rng.randint(12, 30))
        body.append(f'{" ".join(words).capitalize()}, "quoted" and it\'s *here*.')
    month, mday = divmod(day, 28)
    return (f"---\ntitle: \"{title}\"\nsubtitle: Dek of {title}\n"
            f"date: 2024-{month + 1:02d}-{mday + 1:02d}T{8 + day % 10:02d}:00:00Z\n"
            f"authors: [{', '.join(authors)}]\ntags: [{', '.join(tags)}]\n"
            f"section: {section}\n---\n" + "\n\n".join(body) + "\n")


def write_newsroom(root: Path, articles: int = 24, seed: int = 7, per_page: int = 3) -> Path:
    """Write a site with `articles` articles (some `.txt`) into `root` and return it."""
    rng = random.Random(seed)
    files: dict[str, str] = {
        "sitegen.yaml": ("title: The Test Ledger\nbase_url: https://ledger.test/\n"
                         f"per_page: {per_page}\n"),
        "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
    }
    for author_id, name in AUTHORS.items():
        files[f"content/authors/{author_id}.yaml"] = f"name: {name}\nbio: Writes *a lot*.\n"
    for i in range(articles):
        authors = rng.sample(sorted(AUTHORS), k=rng.choice([1, 1, 2]))
        tags = rng.sample(TAGS, k=rng.randint(1, 3))
        suffix = "txt" if i % 5 == 4 else "md"
        files[f"content/articles/2024/story-{i:03d}.{suffix}"] = article_text(
            rng, f"Story number {i}", (i * 3) % 300, authors, tags, rng.choice(SECTIONS))
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
