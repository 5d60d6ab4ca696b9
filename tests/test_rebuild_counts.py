"""What one edit renders again, as Hugo's AssertRenderCountPage checks it: exactly the pages
(and feeds, in every format) that show what was edited, and nothing else.

The dev server's Builder (in place, kept in memory) builds a fixture site; one edit; then the
output paths it rendered again (`BuildResult.rendered`, and the feeds it wrote, seen by
wrapping the feed renderer) are compared with the set computed from the built site: the pages
whose HTML shows the edited text, or links the edited article. Every rebuild must also give
exactly the bytes of a clean build.

Rendering too little is a failure of every test here, and so is rendering too much (pages
and feeds whose bytes then come out the same: OverRendered).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXED_NOW, tree_bytes
from newsroom import write_newsroom

from sitegen.engine.build import Builder, BuildOptions, BuildResult, build
from sitegen.model.refs import REF_OF
from sitegen.plan import feedformats
from sitegen.render.themes import default_theme_dir

FEED_FILES = {"feed.xml", "rss.xml", "feed.json"}  # every format, as feed_formats defaults
EDITED = "content/articles/2024/story-007.md"  # in listings, related boxes and feeds
AUTHOR = "cy-diaz"


def options(site: Path, **kw: Any) -> BuildOptions:
    return BuildOptions(site=site, now=FIXED_NOW, jobs=1, **kw)


@dataclass
class Served:
    """A fixture site built by the dev server's Builder, and what its rebuilds render."""

    site: Path
    out: Path
    builder: Builder
    feeds: list[str]  # the feeds written since the last rebuild began

    def pages(self) -> dict[str, str]:
        return {p.relative_to(self.out).as_posix(): p.read_text()
                for p in self.out.rglob("*.html")}

    def atom(self) -> dict[str, str]:
        """Every feed file, in each format written (Atom, RSS, JSON Feed)."""
        return {p.relative_to(self.out).as_posix(): p.read_text()
                for p in self.out.rglob("*") if p.name in FEED_FILES}

    def rebuild(self, *changed: Path) -> tuple[BuildResult, set[str]]:
        """Build after the edit of `changed`: what it did, and the feeds it wrote."""
        self.feeds.clear()
        result = self.builder.build(save_cache=False, changed=list(changed))
        feeds = set(self.feeds)
        assert tree_bytes(self.out) == clean_tree(self.site, self.out.parent)
        return result, feeds


def clean_tree(site: Path, scratch: Path) -> dict[str, bytes]:
    copy = scratch / "clean-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".build.*",
                                                              ".sitegen-cache"))
    build(options(copy, output=scratch / "clean-out", clean=True))
    tree = tree_bytes(scratch / "clean-out")
    shutil.rmtree(scratch / "clean-out")
    return tree


def make_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str = "") -> Served:
    site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
    if config:
        with (site / "sitegen.yaml").open("a") as f:
            f.write(config)
    out = tmp_path / "served"
    written: list[str] = []
    render = feedformats.render

    def counting(feed: Any, *args: Any) -> str:
        written.append(feed.path)
        return render(feed, *args)

    monkeypatch.setattr(feedformats, "render", counting)
    served = Served(site, out, Builder(options(site, output=out, in_place=True)), written)
    served.builder.build(save_cache=False)
    return served


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    yield make_served(tmp_path, monkeypatch)


def edit(path: Path, change: Callable[[str], str]) -> Path:
    text = path.read_text()
    changed = change(text)
    assert changed != text
    path.write_text(changed)
    return path


def article_url(served: Served, slug: str) -> str:
    """The URL of the article whose file is named `slug`, as its page's folder says."""
    return "/" + own_page(served, slug).removesuffix("index.html")


class OverRendered(Exception):
    """Pages or feeds rendered again although nothing they show changed."""


def check_renders(served: Served, result: BuildResult, feeds: set[str], pages: set[str],
                  expected_feeds: set[str]) -> None:
    """`pages` and `expected_feeds` were rendered again, and their bytes changed (the
    expectation is exact); anything else rendered again is OverRendered."""
    assert pages <= set(result.rendered), f"not rendered: {sorted(pages - set(result.rendered))}"
    assert expected_feeds <= feeds, f"not written: {sorted(expected_feeds - feeds)}"
    all_feeds = served.atom().keys()
    assert {p for p in result.changed if p.endswith(".html")} == pages
    assert {p for p in result.changed if p in all_feeds} == expected_feeds
    extra = sorted((set(result.rendered) - pages) | (feeds - expected_feeds))
    if extra:
        raise OverRendered(f"{len(extra)} rendered again, the same bytes: {extra}")


def showing(texts: dict[str, str], *needles: str) -> set[str]:
    return {rel for rel, text in texts.items() if any(n in text for n in needles)}


def own_page(served: Served, slug: str) -> str:
    return next(served.out.rglob(f"{slug}/index.html")).relative_to(served.out).as_posix()


# ---------------------------------------------------------------- the tests


def test_a_dek_edit_renders_the_pages_and_feeds_showing_the_dek(served: Served) -> None:
    """The dek shows on the article's page, in teasers (home, section, tag and author
    listings, related boxes) and as the feed summary; not in the archive's list of headlines
    nor in the older/newer links of the article's neighbours."""
    old_dek = "Dek of Story number 7"
    before, feeds_before = served.pages(), served.atom()
    url = article_url(served, "story-007")
    result, feeds = served.rebuild(edit(served.site / EDITED, lambda t: t.replace(
        f"subtitle: {old_dek}", "subtitle: A sharper dek")))
    pages = showing(before, old_dek)
    assert pages == showing(served.pages(), "A sharper dek")
    # (an older story: on its section's, tag and author pages, not on the one front page)
    assert {rel.split("/")[0] for rel in pages} >= {"tags", "authors", "2024"}
    assert any(rel.startswith("2024/") and "story-007" not in rel for rel in pages)  # related
    check_renders(served, result, feeds, pages, showing(feeds_before, url))


def test_a_body_edit_renders_only_its_page_when_feeds_carry_summaries(served: Served) -> None:
    """Listings show headline and dek, and feeds the dek as the summary: a body edit changes
    the article's own page and nothing else."""
    result, feeds = served.rebuild(edit(served.site / EDITED,
                                        lambda t: t + "\nA late paragraph.\n"))
    page = own_page(served, "story-007")
    assert showing(served.pages(), "A late paragraph.") == {page}
    check_renders(served, result, feeds, {page}, set())


def test_a_body_edit_renders_the_feeds_that_carry_full_content(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = make_served(tmp_path, monkeypatch, "feed_content: full\n")
    url = article_url(served, "story-007")
    feeds_before = served.atom()
    result, feeds = served.rebuild(edit(served.site / EDITED,
                                        lambda t: t + "\nA late paragraph.\n"))
    expected = showing(feeds_before, url)
    assert expected == showing(served.atom(), "A late paragraph.")
    assert len(expected) >= 4  # the site's, its section's, its authors' and its tags' feeds
    check_renders(served, result, feeds, {own_page(served, "story-007")}, expected)


def test_an_author_bio_edit_renders_the_pages_showing_the_bio(served: Served) -> None:
    """The bio shows on the author's pages and in the author box of their articles."""
    path = served.site / f"content/authors/{AUTHOR}.yaml"
    result, feeds = served.rebuild(edit(path, lambda t: t.replace(
        "bio: Writes *a lot*.", "bio: Covers the *courts*.")))
    pages = showing(served.pages(), "Covers the <em>courts</em>.")
    assert any(rel.startswith(f"authors/{AUTHOR}/") for rel in pages)
    assert any(rel.startswith("2024/") for rel in pages)
    check_renders(served, result, feeds, pages, set())


@pytest.mark.parametrize("template", ["tag.html", "article.html"])
def test_a_template_edit_renders_only_the_pages_using_it(served: Served, template: str) -> None:
    """A marker added to the template's main block: after the rebuild it shows on exactly
    the pages rendered from that template, and those alone were rendered; no feed."""
    target = served.site / "themes/default/templates" / template
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (default_theme_dir() / "templates" / template).read_text()
    marker = f"<!-- edited {template} -->"
    target.write_text(re.sub(r"(\{% block main %\})", r"\1" + marker, text, count=1))
    result, feeds = served.rebuild(target)
    pages = showing(served.pages(), marker)
    assert len(pages) >= 4
    check_renders(served, result, feeds, pages, set())


def test_a_partial_edit_renders_the_pages_showing_it(served: Served) -> None:
    """The teaser is drawn by `partial()` (rendered once per build and reused), not an
    include: a marker added to it shows on every page with a teaser after the rebuild, and
    those pages alone were rendered."""
    target = served.site / "themes/default/templates/partials/teaser.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (default_theme_dir() / "templates/partials/teaser.html").read_text()
    marker = "<!-- edited teaser -->"
    target.write_text(text.replace('<div class="teaser-text">',
                                   '<div class="teaser-text">' + marker, 1))
    result, feeds = served.rebuild(target)
    pages = showing(served.pages(), marker)
    assert {"index.html", "tags/courts/index.html"} <= pages or len(pages) >= 10
    check_renders(served, result, feeds, pages, set())


def test_a_build_from_the_cache_on_disk_renders_as_few(tmp_path: Path) -> None:
    """`sitegen build` keeps what each page read in its cache: a body edit, built by a new
    process's Builder, renders the article's page and nothing else, as the dev server does."""
    site = write_newsroom(tmp_path / "site", articles=16, per_page=3)
    out = tmp_path / "out"
    build(options(site, output=out))
    edit(site / EDITED, lambda t: t + "\nA late paragraph.\n")
    result = build(options(site, output=out))
    assert result.rendered == (next(out.rglob("story-007/index.html")).relative_to(out)
                               .as_posix(),)
    assert tree_bytes(out) == clean_tree(site, tmp_path)


def test_every_page_of_a_site_can_be_looked_up_again(served: Served) -> None:
    """Each object a page read is the one its ref finds in the site (else the page would be
    rendered on every build: see PageKeys.rendered)."""
    manifest = served.builder.cache.manifests[str(served.out)] if served.builder.cache else {}
    assert manifest and not [rel for rel, (key, _) in manifest.items()
                             if key.startswith("unmatched")]


@pytest.mark.parametrize("content", ["summary", "full"])
def test_feeds_read_no_more_than_they_declare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              content: str) -> None:
    """A feed's key digests what `feedformats.reads` declares: render every feed of a site
    whose articles have images, updates, corrections and canonical URLs with its model
    objects watched, and every attribute read must be declared."""
    site = write_newsroom(tmp_path / "site", articles=12, per_page=3)
    story = site / "content/articles/2024/story-001.md"
    story.write_text(story.read_text().replace("---\n", (
        "---\nimage: /lead.jpg\nimage_alt: A lead\nupdated: 2024-12-01T00:00:00Z\n"
        "canonical: https://elsewhere.test/x\ncorrections:\n"
        "  - date: 2024-12-02T00:00:00Z\n    text: Fixed a name.\n"), 1))
    (site / "content/articles/2024/story-002.md").write_text(
        "---\ntitle: No dek\ndate: 2024-03-01T00:00:00Z\nauthors: [ann-lee]\n---\nBody.\n")
    with (site / "sitegen.yaml").open("a") as f:
        f.write(f"feed_content: {content}\n")
    captured: list[tuple[Any, ...]] = []
    render = feedformats.render
    monkeypatch.setattr(feedformats, "render",
                        lambda *args: captured.append(args) or render(*args))
    build(options(site, output=tmp_path / "out"))
    config = captured[0][2]
    declared = {kind.__name__: set(names) for kind, names in feedformats.reads(config).items()}
    read: dict[str, set[str]] = {}
    for feed, info, config in captured:
        watched = dataclasses.replace(feed, articles=tuple(map(Watched.of(read), feed.articles)),
                                      corrections=tuple(dataclasses.replace(
                                          n, article=Watched.of(read)(n.article))
                                          for n in feed.corrections))
        render(watched, info, config)
    assert read.keys() >= {"Article", "Author", "Tag", "Section"}
    for kind, names in read.items():
        assert names <= declared[kind], f"{kind}: read but not declared: {names - declared[kind]}"


class Watched:
    """A model object that notes each attribute read of it (and of the objects it holds)."""

    def __init__(self, value: Any, read: dict[str, set[str]]) -> None:
        self._value, self._read = value, read

    @staticmethod
    def of(read: dict[str, set[str]]) -> Callable[[Any], Any]:
        def wrap(value: Any) -> Any:
            if type(value) in REF_OF:
                return Watched(value, read)
            if isinstance(value, tuple) and any(type(v) in REF_OF for v in value):
                return tuple(wrap(v) for v in value)
            return value
        return wrap

    def __getattr__(self, name: str) -> Any:
        self._read.setdefault(type(self._value).__name__, set()).add(name)
        return Watched.of(self._read)(getattr(self._value, name))
