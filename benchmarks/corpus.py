"""A synthetic newsroom archive for sitegen's tests and benchmarks (stdlib only, deterministic).

    python benchmarks/corpus.py OUT_DIR --articles N [--authors A] [--tags T] [--seed S]

The same arguments give the same bytes. What it writes is a sitegen site:
- `sitegen.yaml` (title, base_url, language, per_page 10, search off: benchmarks time the
  build, not Pagefind);
- `content/authors/<id>.yaml`: name, role, a bio with Markdown emphasis, links;
- `content/articles/<year>/<slug>.md` (about 85%) or `.txt` (plain-text hand-ins): front
  matter with a title (colons, quotes and apostrophes, quoted for YAML where needed), a
  subtitle, an ISO date from 2012 to 2025, one or two authors, two to five tags from a pool
  in which a few are very common, a section, sometimes `updated`, rarely `draft: true`;
  Markdown bodies of 4 to 12 paragraphs with links, emphasis, straight quotes for smarty,
  and now and then a quote, a list or a subheading;
- `content/pages/about.md`.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SECTIONS = ("news", "opinion", "analysis", "editorial")
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
         "Kemi", "Luca", "Maya", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas")
LAST = ("Alvarez", "Brandt", "Chen", "Dahl", "Eze", "Fischer", "Garcia", "Haddad", "Ito",
        "Jensen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Quist",
        "Rossi", "Sato", "Tan")
ROLES = ("Staff writer", "Columnist", "Contributing editor", "Correspondent", "Editor")
WORDS = ("policy", "budget", "election", "council", "treaty", "market", "housing", "transit",
         "climate", "court", "border", "minister", "vote", "reform", "strike", "tariff",
         "coalition", "report", "inquiry", "harbour", "energy", "school", "hospital", "union",
         "the", "a", "of", "and", "in", "to", "for", "with", "on", "after", "before", "against",
         "says", "plans", "rejects", "weighs", "faces", "backs", "warns", "opens", "delays")
TOPICS = ("Housing", "Transit", "Climate", "Courts", "Elections", "Trade", "Health",
          "Schools", "Energy", "Labour", "Migration", "Defence", "Technology", "Media",
          "Farming", "Water", "Tax", "Policing", "Culture", "Science")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def _title(rng: random.Random) -> str:
    """A headline; some carry a colon, a quote or an apostrophe, as real ones do."""
    title = _sentence(rng, 4, 9)
    shape = rng.random()
    if shape < 0.15:
        title += ": " + _sentence(rng, 2, 4).lower()
    elif shape < 0.25:
        title = f'"{title}" is not enough'
    elif shape < 0.35:
        title = title.replace(" ", "'s ", 1)
    return title


def _yaml_text(value: str) -> str:
    """A YAML scalar: plain where that is safe, else double-quoted (JSON is valid YAML)."""
    risky = any(c in value for c in ":#'\"") or value[:1] in "-?[]{},&*!|>%@`"
    return json.dumps(value, ensure_ascii=False) if risky else value


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 7)):
        sentence = _sentence(rng, 8, 18)
        roll = rng.random()
        if roll < 0.08:
            sentence += f" [more](https://example.com/{rng.choice(WORDS)}/{rng.randint(1, 999)})"
        elif roll < 0.16:
            sentence = sentence.replace(" ", " *", 1) + "*"
        elif roll < 0.22:
            sentence = f'"{sentence}," she said'
        elif roll < 0.28:
            sentence += " — it's the council's call"
        sentences.append(sentence + ".")
    return " ".join(sentences)


def _markdown_body(rng: random.Random) -> str:
    blocks = [_paragraph(rng) for _ in range(rng.randint(4, 12))]
    if rng.random() < 0.2:
        blocks.insert(len(blocks) // 2, "## " + _sentence(rng, 2, 5))
    if rng.random() < 0.1:
        blocks.insert(1, "> " + _sentence(rng, 8, 14) + ".")
    if rng.random() < 0.1:
        blocks.append("\n".join("- " + _sentence(rng, 3, 7) for _ in range(3)))
    return "\n\n".join(blocks) + "\n"


def _plain_body(rng: random.Random) -> str:
    paragraphs = [_paragraph(rng).replace("*", "").replace("[more](", "(")
                  for _ in range(rng.randint(4, 10))]
    if rng.random() < 0.2:
        paragraphs.append(f"See https://example.org/{rng.choice(WORDS)} for the report.")
    return "\n\n".join(paragraphs) + "\n"


def _authors(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    while len(names) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if len(names) >= len(FIRST) * len(LAST) // 2:
            name += f" {len(names)}"
        names.setdefault(name.lower().replace(" ", "-"), name)
    return sorted(names.items())


def _tags(count: int) -> list[str]:
    return [TOPICS[i % len(TOPICS)] + (f" {i // len(TOPICS)}" if i >= len(TOPICS) else "")
            for i in range(count)]


def _write_authors(root: Path, rng: random.Random, authors: list[tuple[str, str]]) -> None:
    folder = root / "content" / "authors"
    folder.mkdir(parents=True)
    for author_id, name in authors:
        bio = f"{name} covers *{rng.choice(TOPICS).lower()}* and {rng.choice(TOPICS).lower()}."
        (folder / f"{author_id}.yaml").write_text(
            f"name: {name}\nrole: {rng.choice(ROLES)}\nbio: {_yaml_text(bio)}\n"
            f"links:\n  Website: https://example.com/{author_id}\n", encoding="utf-8")


def _article(rng: random.Random, slug: str, date: datetime, authors: list[str],
             tags: list[str]) -> tuple[str, str]:
    """The file's suffix and text."""
    lines = ["---", f"title: {_yaml_text(_title(rng))}",
             f"subtitle: {_yaml_text(_sentence(rng, 8, 16) + '.')}",
             f"date: {date:%Y-%m-%dT%H:%M:%SZ}",
             "authors: [" + ", ".join(authors) + "]",
             "tags: [" + ", ".join(_yaml_text(t) for t in tags) + "]",
             f"section: {rng.choice(SECTIONS)}"]
    if rng.random() < 0.1:
        lines.append(f"updated: {date + timedelta(days=rng.randint(1, 30)):%Y-%m-%dT%H:%M:%SZ}")
    if rng.random() < 0.02:
        lines.append("draft: true")
    plain = rng.random() < 0.15
    body = _plain_body(rng) if plain else _markdown_body(rng)
    return (".txt" if plain else ".md"), "\n".join([*lines, "---", "", body])


PHOTO_EVERY = 10  # --images: one lead photo per this many articles
PHOTO_SIZE = (3000, 2000)


def _photo(path: Path, rng: random.Random) -> None:
    """A 3000 x 2000 JPEG that compresses like a photo (smooth gradients, some detail), a
    different one each time. Pillow is imported only for --images."""
    from PIL import Image, ImageDraw, ImageFilter

    small = Image.new("RGB", (60, 40))
    draw = ImageDraw.Draw(small)
    for _ in range(40):
        x, y = rng.randrange(60), rng.randrange(40)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=colour)
    big = small.filter(ImageFilter.GaussianBlur(3)).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(PHOTO_SIZE, 12).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.blend(big, noise, 0.08).save(path, "JPEG", quality=88)


def _with_photo(text: str, n: int) -> str:
    """The article's text with a lead photo in its front matter."""
    head, rest = text.split("\n", 1)
    return (f"{head}\nimage: /images/lead-{n}.jpg\nimage_alt: A photograph for article {n}."
            f"\n{rest}")


def make(root: Path, articles: int, authors: int | None = None, tags: int = 300,
         seed: int = 1, images: bool = False) -> Path:
    """Write the corpus into `root` (which must not exist yet) and return it. With
    `images`, one article in PHOTO_EVERY gets a generated lead photo (the articles' text is
    the same as without: the photos draw on a random generator of their own)."""
    photos = random.Random(seed + 1)
    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "sitegen.yaml").write_text(
        "title: The Daily Dissent\nbase_url: https://example.org/\nlanguage: en\n"
        "per_page: 10\nsearch: false\n", encoding="utf-8")
    people = _authors(rng, authors if authors is not None else max(5, articles // 40))
    _write_authors(root, rng, people)
    pool = _tags(tags)
    weights = [1 / (rank + 1) for rank in range(len(pool))]  # a few tags are very common
    start = datetime(2012, 1, 1, tzinfo=UTC)
    span = int((datetime(2026, 1, 1, tzinfo=UTC) - start).total_seconds())
    for n in range(articles):
        date = start + timedelta(seconds=rng.randrange(span) // 60 * 60)
        slug = f"{'-'.join(_sentence(rng, 3, 6).lower().split())}-{n}"
        byline = [a for a, _ in rng.sample(people, 2 if rng.random() < 0.1 else 1)]
        chosen = list(dict.fromkeys(rng.choices(pool, weights, k=rng.randint(2, 5))))
        suffix, text = _article(rng, slug, date, byline, chosen)
        if images and n % PHOTO_EVERY == 0:
            _photo(root / "static" / "images" / f"lead-{n}.jpg", photos)
            text = _with_photo(text, n)
        folder = root / "content" / "articles" / f"{date.year}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}{suffix}").write_text(text, encoding="utf-8")
    pages = root / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("---\ntitle: About\n---\n\nWe are a *small* newsroom.\n",
                                    encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--authors", type=int, default=None)
    parser.add_argument("--tags", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--images", action="store_true",
                        help=f"a {PHOTO_SIZE[0]} x {PHOTO_SIZE[1]} JPEG lead photo per "
                        f"{PHOTO_EVERY} articles")
    args = parser.parse_args()
    make(args.out, args.articles, args.authors, args.tags, args.seed, args.images)


if __name__ == "__main__":
    main()
