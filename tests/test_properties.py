"""Property tests: front matter splitting, slugs, the output-path check, and a bounded fuzz
of the whole load-and-render path of one article."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from conftest import FIXED_NOW, write_files
from htmlcheck import PageReader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.content.sanitize import safe_url
from sitegen.content.slugs import is_valid_slug, slugify
from sitegen.content.sources import split
from sitegen.engine.build import BuildOptions, build
from sitegen.errors import ContentError, Problems
from sitegen.output.folder import MARKER
from sitegen.output.write import OutputWriter

texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80)


@given(meta=st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True),
                            # YAML itself folds control and line-separator characters.
                            st.text(alphabet=st.characters(
                                blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=40),
                            max_size=6),
       body=st.text(max_size=300))
def test_split_gives_back_front_matter_and_body(meta: dict[str, str], body: str) -> None:
    dumped = yaml.safe_dump(meta, allow_unicode=True) if meta else ""
    text = f"---\n{dumped}---\n{body}"
    problems = Problems(Path("/site"))
    source = split(Path("/site/a.md"), text, problems)
    assert source is not None, problems.errors
    assert source.meta == meta
    assert source.body == body


@given(texts)
def test_slugs_are_always_safe_and_stable(text: str) -> None:
    slug = slugify(text)
    assert is_valid_slug(slug)
    assert "/" not in slug and "\\" not in slug and ".." not in slug and "\x00" not in slug
    assert slugify(slug) == slug


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(rel=st.lists(st.sampled_from([*list("ab./\\%2e\x00:~"), "..", "/..", "C:"]),
                   min_size=1, max_size=30).map("".join))
def test_no_generated_path_resolves_outside_the_output(rel: str, tmp_path: Path) -> None:
    out = tmp_path / "build"
    writer = OutputWriter(out)
    try:
        writer.add(rel, b"x")
    except (ValueError, OSError):
        pass  # refused, or not a possible file name: either way nothing escaped
    finally:
        writer.abort()
    escaped = [p for p in tmp_path.rglob("*") if not p.is_relative_to(writer.tmp)]
    assert escaped == [] or (escaped == [out] and not out.exists())


markdownish = st.lists(st.sampled_from(
    [*list("ab \n\n#*_-[]()<>!`|>:\"'&;/="), "<script>", "javascript:", "{{", "}}", "{%",
     "---", "\t", "é", "1.", "http://x.y", "http://[oops"]),
    max_size=120).map("".join)


@settings(max_examples=40, deadline=None)
@given(title=st.text(max_size=40), body=markdownish, tags=st.lists(st.text(max_size=12),
                                                                     max_size=3))
def test_any_article_builds_or_fails_with_a_located_message(title: str, body: str,
                                                            tags: list[str]) -> None:
    meta = yaml.safe_dump({"title": title, "date": "2024-01-05", "tags": tags},
                          allow_unicode=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = write_files(Path(tmp), {
            # Search indexing is a separate program with its own tests; here it only costs time.
            "sitegen.yaml": "title: Fuzz\nbase_url: https://e.test/\nsearch: false\n",
            "content/articles/2024/fuzz.md": f"---\n{meta}---\n{body}",
        })
        try:
            build(BuildOptions(site=site, now=FIXED_NOW))
        except ContentError as exc:
            assert all(p.path == "content/articles/2024/fuzz.md" for p in exc.problems)
            assert str(exc).startswith("content/articles/2024/fuzz.md:")
            return
        page = (site / "build/2024/01/05/fuzz/index.html").read_text()
        article_body = page.split('class="body"', 1)[1].split("</article>", 1)[0]
        assert "<script" not in article_body
        reader = PageReader()
        reader.feed(article_body)
        assert not [u for u in reader.links if not safe_url(u)]
        assert not list(Path(tmp).glob(".build.*"))


names = st.sampled_from([f"p{i}/index.html" for i in range(12)])


@given(first=st.sets(names, max_size=10), redo=st.sets(names, max_size=6),
       written=st.sets(names, max_size=6))
def test_a_patch_reports_the_files_gone_and_new_as_a_whole_comparison_does(
        first: set[str], redo: set[str], written: set[str]) -> None:
    """The dev server's patch (assume_all_but) finds gone and new files among the few it
    touched; the answer must be what comparing the two whole manifests gives."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "build"
        writer = OutputWriter(out, in_place=True)
        for rel in sorted(first):
            writer.add(rel, rel.encode())
        last = writer.commit().manifest
        patch = OutputWriter(out, in_place=True, manifest=dict(last))
        patch.assume_all_but(redo)
        for rel in sorted(written):
            patch.add(rel, b"new " + rel.encode())
        result = patch.commit()
        kept = {rel for rel in last if rel not in redo} | written | {MARKER}
        assert result.manifest.keys() == kept
        assert result.removed == last.keys() - kept
        assert result.changed == written  # each new, or new bytes
        on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        assert on_disk == kept
