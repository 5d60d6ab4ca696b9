"""A synthetic archive (benchmarks/corpus.py, the shape of the shared corpus) builds completely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_NOW, REPO
from htmlcheck import read_page, target_file

MAKE_CORPUS = REPO / "benchmarks" / "corpus.py"  # the project's own archive generator


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("corpus") / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site), "--articles", "300"],
                   check=True, capture_output=True)
    from sitegen.engine.build import BuildOptions, build

    build(BuildOptions(site=site, now=FIXED_NOW))
    return site


def test_one_page_per_published_article_at_its_permalink(corpus: Path) -> None:
    import yaml

    expected = set()
    for path in (corpus / "content/articles").rglob("*.*"):
        meta = yaml.safe_load(path.read_text().split("---\n")[1])
        if not meta.get("draft"):
            when = meta["date"]
            expected.add(f"{when:%Y/%m/%d}/{path.stem}/index.html")
    built = {p.relative_to(corpus / "build").as_posix()
             for p in (corpus / "build").glob("[12][0-9][0-9][0-9]/*/*/*/index.html")}
    assert built == expected


def test_authors_tags_pagination_feeds(corpus: Path) -> None:
    out = corpus / "build"
    authors = {p.stem for p in (corpus / "content/authors").glob("*.yaml")}
    assert {p.name for p in (out / "authors").iterdir() if p.is_dir()} == authors
    assert (out / "news/page/2/index.html").is_file()  # the front page is one page (issue 17)
    assert not (out / "page/2/index.html").exists()
    assert len(list((out / "tags").glob("*/index.html"))) > 100
    assert all((p.parent / "feed.xml").is_file() for p in (out / "tags").glob("*/index.html"))
    assert (out / "sitemap.xml").is_file()


def test_no_broken_internal_link(corpus: Path) -> None:
    out = corpus / "build"
    broken = []
    for page in out.rglob("*.html"):
        reader = read_page(page)
        assert not reader.errors, (page, reader.errors[:3])
        for link in set(reader.links):
            target = target_file(out, page, link)
            if target is not None and not target.is_file():
                broken.append((page.relative_to(out).as_posix(), link))
    assert broken == []
