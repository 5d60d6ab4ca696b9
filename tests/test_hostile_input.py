"""Hostile or broken content never runs code, never reaches a reader as script, never crashes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import FIXED_NOW, run_sitegen, tree_bytes


def build(cli, site: Path):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat())


def article(body: str, extra: str = "") -> str:
    return f"---\ntitle: Hostile\ndate: 2024-01-05\n{extra}---\n{body}\n"


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "![pic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example/x"></iframe>',
    '<div onmouseover="alert(1)">hover</div>',
    "<svg><script>alert(1)</script></svg>",
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_payloads_never_reach_the_page(payload: str, make_site, cli) -> None:
    site = make_site({"content/articles/2024/hostile.md": article(f"Intro.\n\n{payload}\n")})
    assert build(cli, site).code == 0
    html = (site / "build/2024/01/05/hostile/index.html").read_text()
    body = html.split('class="body"', 1)[1].split("</article>", 1)[0]
    lowered = body.lower()
    for bad in ("<script", "onerror", "onmouseover", "javascript:", "vbscript:", "data:",
                "<iframe", "<object", "<embed", "<style", "<svg"):
        assert bad not in lowered, (payload, body)


def test_plain_text_payloads_show_as_text(make_site, cli) -> None:
    site = make_site({"content/articles/2024/hostile.txt":
                      article('<script>alert("x")</script> and {{ 7*7 }} and {% if %}')})
    assert build(cli, site).code == 0
    html = (site / "build/2024/01/05/hostile/index.html").read_text()
    assert "&lt;script&gt;alert(“x”)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split('class="body"')[1]


def test_content_is_never_template_source(make_site, cli) -> None:
    body = article("{{ 7*7 }} {{ site.__class__ }} {% raw %}", "subtitle: '{{ 6*7 }}'\n")
    site = make_site({"content/articles/2024/hostile.md": body})
    assert build(cli, site).code == 0
    html = (site / "build/2024/01/05/hostile/index.html").read_text()
    assert "{{ 7*7 }}" in html and "{{ 6*7 }}" in html and ">42<" not in html


def test_title_with_markup_is_escaped_everywhere(make_site, cli) -> None:
    title = '</title><script>alert(1)</script>"><b>'
    site = make_site({"content/articles/2024/hostile.md":
                      f"---\ntitle: '{title}'\ndate: 2024-01-05\ntags: [Iran]\n---\nBody\n"})
    assert build(cli, site).code == 0
    out = site / "build"
    for rel in ["2024/01/05/hostile/index.html", "index.html", "tags/iran/index.html",
                "archive/index.html", "feed.xml", "tags/iran/feed.xml"]:
        text = (out / rel).read_text()
        assert "<script>alert(1)" not in text, rel
        assert "</title><script>" not in text, rel


def test_trusted_html_and_embed_hosts_are_opt_in(make_site, cli) -> None:
    embed = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Clip"></iframe>'
    site = make_site({
        "sitegen.yaml": "title: T\nbase_url: https://e.test/\n"
                        "embed_hosts: [www.youtube-nocookie.com]\n",
        "content/articles/2024/embed.md": article(f"Watch:\n\n{embed}\n"),
    })
    assert build(cli, site).code == 0
    html = (site / "build/2024/01/05/embed/index.html").read_text()
    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in html
    (site / "sitegen.yaml").write_text("title: T\nbase_url: https://e.test/\ntrusted_html: true\n")
    (site / "content/articles/2024/embed.md").write_text(article('<div data-chart="1">c</div>'))
    assert build(cli, site).code == 0
    assert '<div data-chart="1">c</div>' in (site / "build/2024/01/05/embed/index.html").read_text()


def test_unsafe_author_link_is_an_error(make_site, cli) -> None:
    site = make_site({"content/authors/eve.yaml": "name: Eve\nlinks:\n"
                                                  "  site: javascript:alert(1)\n"})
    result = build(cli, site)
    assert result.code == 1
    assert "content/authors/eve.yaml:2:" in result.err and "http(s) or mailto" in result.err


@pytest.mark.parametrize("front, what", [
    ("title: T\ndate: 2024-01-01\nx: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
     "could not determine a constructor"),
    ("title: T\ndate: 2024-01-01\nextra: " + "[" * 5000 + "]" * 5000 + "\n",
     "nested more than 64 levels"),
    ("title: T\ndate: 2024-01-01\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"  {c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
               for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
     "alias bomb"),
])
def test_hostile_yaml_is_a_per_file_error(front: str, what: str, make_site, cli) -> None:
    site = make_site({"content/articles/2024/evil.md": f"---\n{front}---\nBody\n"})
    start = time.monotonic()
    result = build(cli, site)
    assert time.monotonic() - start < 20
    assert result.code == 1
    assert "content/articles/2024/evil.md:" in result.err and what in result.err
    assert not Path("/tmp/pwned").exists()


def test_duplicate_key_is_a_warning_naming_both_lines(make_site, cli) -> None:
    site = make_site({"content/articles/2024/dup.md":
                      "---\ntitle: One\ndate: 2024-01-05\ntitle: Two\n---\nBody\n"})
    result = build(cli, site)
    assert result.code == 0
    assert ("content/articles/2024/dup.md:4:1: warning: `title` is given twice (lines 2 and 4)"
            in result.err)


def test_crlf_and_bom_give_the_same_site(make_site, cli, tmp_path: Path) -> None:
    site = make_site()
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    for path in (site / "content").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert build(cli, site).code == 0
    assert tree_bytes(site / "build") == before


@pytest.mark.parametrize("body, line, what", [
    ("Fine.\n\n" + "[" * 20000, 7, "unescaped `[`"),
    ("Fine.\n\n" + "".join("    " * i + "- x\n" for i in range(300)), 71, "64 levels"),
    ("> " * 5000 + "deep", 5, "64 levels"),
], ids=["brackets", "deep list", "deep quote"])
def test_pathological_markdown_is_refused_quickly(body, line, what, make_site, cli) -> None:
    site = make_site({"content/articles/2024/slow.md": article(body)})
    start = time.monotonic()
    result = build(cli, site)
    assert time.monotonic() - start < 20
    assert result.code == 1
    assert f"content/articles/2024/slow.md:{line}:1:" in result.err and what in result.err


def test_huge_and_empty_files(make_site, cli) -> None:
    site = make_site({
        "sitegen.yaml": "title: T\nbase_url: https://e.test/\nmax_file_size: 1000\n",
        "content/articles/2024/huge.md": article("word " * 400),
        "content/articles/2024/empty.md": "",
    })
    result = build(cli, site)
    assert result.code == 1
    assert "huge.md:1:1: error: is 2,0" in result.err and "max_file_size" in result.err
    assert "empty.md:1:1: error: has no front matter" in result.err


def test_layout_from_front_matter_cannot_leave_the_theme(make_site, cli) -> None:
    site = make_site({
        "content/articles/2024/evil.md": article("B", "layout: ../../../../etc/passwd\n"),
        "content/articles/2024/wide.md": article("B", "layout: wide\nslug: wide\n"),
    })
    result = build(cli, site)
    assert result.code == 1
    assert "content/articles/2024/evil.md:4:9: error: `../../../../etc/passwd` is not a " \
           "template name" in result.err
    assert "content/articles/2024/wide.md:4:9: error: `layout: wide` names the template " \
           "`wide.html`, which the theme does not have." in result.err  # in the same run
    (site / "content/articles/2024/evil.md").unlink()
    result = build(cli, site)
    assert result.code == 1 and "`wide.html`, which the theme does not have" in result.err
    (site / "sitegen.yaml").write_text("title: T\nbase_url: https://e.test/\ntheme: house\n")
    (site / "themes/house/templates").mkdir(parents=True)
    (site / "themes/house/templates/wide.html").write_text("WIDE {{ article.title }}\n")
    assert build(cli, site).code == 0
    assert (site / "build/2024/01/05/wide/index.html").read_text() == "WIDE Hostile\n"


def test_utf16_and_control_characters(make_site, cli) -> None:
    text = "---\ntitle: Sixteen\ndate: 2024-01-05\n---\nBody\n"
    site = make_site({
        "content/articles/2024/utf16.md": text.encode("utf-16"),
        "content/articles/2024/bell.md": article("Ring\x07 the \x0cbell."),
    })
    result = build(cli, site)
    assert result.code == 1
    assert "content/articles/2024/utf16.md:1:1: error: is UTF-16" in result.err
    assert "content/articles/2024/bell.md:5:5: warning: contains the control character U+0007" \
        in result.err
    (site / "content/articles/2024/utf16.md").unlink()
    assert build(cli, site).code == 0
    assert "Ring the bell." in (site / "build/2024/01/05/bell/index.html").read_text()


@pytest.mark.parametrize("slug", ["../escape", "%2e%2e", "a/b", "a\\\\b", "C:", "con", "nul"])
def test_unsafe_or_reserved_slugs_are_refused(slug: str, make_site, cli) -> None:
    site = make_site({"content/articles/2024/s.md": article("B", f"slug: '{slug}'\n")})
    result = build(cli, site)
    assert result.code == 1 and "cannot be used in a URL" in result.err
    assert not any(p.name == "escape" for p in site.parent.rglob("escape"))


def test_emoji_and_reserved_file_names_get_a_safe_slug(make_site, cli) -> None:
    site = make_site({"content/articles/2024/🎉.md": article("Party", "tags: ['🎉']\n"),
                      "content/articles/2024/con.md": article("Con")})
    assert build(cli, site).code == 0
    out = site / "build"
    assert (out / "2024/01/05/con-1/index.html").is_file()
    emoji_tag = [p for p in (out / "tags").iterdir() if p.name.startswith("x-")]
    assert len(emoji_tag) == 1


def test_malformed_link_urls_do_not_crash_the_build(make_site, cli) -> None:
    site = make_site({"content/articles/2024/odd.md": article("[x](http://[oops) and "
                                                              "<a href='http://[::1'>y</a>")})
    result = build(cli, site)
    assert result.code == 0, result.err


def test_named_pipes_in_content_and_static_are_errors_not_a_hang(make_site, cli) -> None:
    """A FIFO (or socket, or device) would block the read forever: each is reported at its
    path, the build stops at once and the last good build stays."""
    site = make_site()
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    before = tree_bytes(site / "build")
    os.mkfifo(site / "content/articles/2024/pipe.md")
    (site / "static").mkdir(exist_ok=True)
    os.mkfifo(site / "static/feed-pipe.xml")
    result = run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat(), timeout=60)
    assert result.returncode == 1, result.stderr
    assert "content/articles/2024/pipe.md:1:1: error: is a named pipe (FIFO), not a file" \
        in result.stderr
    assert "static/feed-pipe.xml:1:1: error: is a named pipe (FIFO)" in result.stderr  # both
    assert tree_bytes(site / "build") == before


def test_very_long_tags_headlines_and_slugs_fit_a_file_name(make_site, cli) -> None:
    """A file name holds 255 bytes: a long tag or headline gets a shortened slug (with a
    digest, so two long ones stay apart); a `slug:` too long is an error at its line."""
    tag = "A very long tag about the budget " * 12
    site = make_site({
        "content/articles/2024/long.md": f"---\ntitle: Long\ndate: 2024-03-05\n"
                                         f"author: ann-lee\ntags: [{tag.strip()}, "
                                         f"{tag.strip()} too]\n---\nBody.\n",
    })
    assert cli("build", "--site", site, "--now", FIXED_NOW.isoformat()).code == 0
    tag_pages = [p for p in (site / "build/tags").iterdir() if p.name.startswith("a-very")]
    assert len(tag_pages) == 2  # two tags, two pages
    assert all(len(p.name.encode()) <= 200 and (p / "index.html").is_file() for p in tag_pages)
    (site / "content/articles/2024/long.md").write_text(
        f"---\ntitle: Long\ndate: 2024-03-05\nauthor: ann-lee\nslug: {'s' * 300}\n---\nB.\n")
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 1
    assert "content/articles/2024/long.md:5:7: error:" in result.err
    assert "at most 200 bytes" in result.err
