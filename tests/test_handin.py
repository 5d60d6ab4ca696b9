"""Plain-text hand-ins: the parser (sitegen.content.handin), the plain-text converter through the
real Markdown stage (property tests), and `.txt` articles in real builds."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.content import handin, markup, plaintext

HANDINS = Path(__file__).resolve().parent / "handins"
EXAMPLE = Path("/work/shared/examples/plain-text-article.txt")
EXAMPLE_HEADLINE = "Intractable US Hostility Has Iran Looking Elsewhere for Diplomatic Partners"
EXAMPLE_DEK = "Khamenei Halts All Direct Talks With the US After Nuclear Deal"


def fixture(name: str) -> str:
    return (HANDINS / name).read_text(encoding="utf-8")


def example_text() -> str:
    if not EXAMPLE.is_file():
        pytest.skip(f"{EXAMPLE} is not on this machine")
    return EXAMPLE.read_text(encoding="utf-8")


class Page(HTMLParser):
    """What a reader sees of a built page: paragraph texts, headings and links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str], dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "h1", "a"}:
            self._open.append((tag, [], {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, parts, attrs = self._open.pop()
            text = " ".join("".join(parts).split())
            {"p": self.paragraphs, "h1": self.h1}.get(tag, []).append(text)
            if tag == "a":
                self.links.append((attrs.get("href", ""), text))
            for _, outer, _ in self._open:
                outer.append(text)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1].append(data)


# ---------------------------------------------------------------- the shared example


def test_shared_example_reads_as_written() -> None:
    text = example_text()
    got = handin.parse(text)
    assert got.title == EXAMPLE_HEADLINE
    assert got.dek == EXAMPLE_DEK
    assert got.author_names == ("Jason Ditz",)
    bio = got.bio_of("Jason Ditz")
    assert bio.startswith("Jason Ditz is Senior Editor for Antiwar.com. He has 20 years")
    assert bio.endswith("and the Detroit Free Press.")
    body = got.body.split("\n\n")
    assert len(body) == 5
    assert "Author:" not in got.body and "Jason Ditz" not in got.body
    assert "Iran “hasn’t really changed.”" in body[0]
    assert "Khamenei’s “ban” didn’t cover" in body[3]
    assert handin.role_from_bio("Jason Ditz", bio) == "Senior Editor"


def test_shared_example_crlf_and_bom_read_the_same() -> None:
    text = example_text()
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert handin.parse(crlf) == handin.parse(text)


# ---------------------------------------------------------------- fixtures in that shape


def test_one_author_with_bio_and_role() -> None:
    got = handin.parse(fixture("one-author.txt"))
    assert got.title == "Senate Tables Yemen War Powers Resolution"
    assert got.dek == "A 52-47 Vote Ends the Debate for Now"
    assert got.author_names == ("Mara Olsen",)
    assert handin.role_from_bio("Mara Olsen", got.bio_of("Mara Olsen")) == (
        "Congressional Correspondent")
    # wrapped lines are joined; the byline and bio are not body
    assert got.body.split("\n\n")[0].startswith("The Senate voted 52-47 on Tuesday to table a "
                                                "resolution that would have ended US support")
    assert "Mara Olsen" not in got.body


def test_two_authors_each_with_a_bio() -> None:
    got = handin.parse(fixture("two-authors.txt"))
    assert got.author_names == ("Leila Haddad", "Henrik Dahl")
    assert got.dek == "Security guarantees, sanctions relief and a line on the map"
    assert got.bio_of("Leila Haddad").startswith("Leila Haddad is a Senior Fellow")
    assert got.bio_of("Henrik Dahl") == "Henrik Dahl is Europe Correspondent for The Long View."
    assert handin.role_from_bio("Leila Haddad", got.bio_of("Leila Haddad")) == "Senior Fellow"
    assert len(got.body.split("\n\n")) == 2


def test_by_line_after_the_dek_and_by_sentences_stay_body() -> None:
    got = handin.parse(fixture("by-line.txt"))
    assert got.dek == "Two Decades of Open-Ended Authorizations Are Enough"
    assert got.author_names == ("Samuel Brandt", "Ann de la Cruz")
    paragraphs = got.body.split("\n\n")
    assert paragraphs[-1].startswith("By contrast, presidents of both parties")
    assert len(paragraphs) == 2


def test_by_line_at_the_end_and_a_sentence_is_no_dek() -> None:
    got = handin.parse(fixture("by-line-end.txt"))
    assert got.author_names == ("Priya Venkataraman",)
    assert got.dek == ""
    assert got.body.split("\n\n")[0].startswith("Trade, diplomacy and exchange")


def test_no_byline() -> None:
    got = handin.parse(fixture("no-byline.txt"))
    assert (got.title, got.dek, got.author_names) == (
        "The Quiet Costs of Secondary Sanctions", "Why Banks Say No", ())
    assert got.body == ("Secondary sanctions reach far beyond their targets.\n\n"
                        "They also reach the pharmacy shelf.\n")


@pytest.mark.parametrize("name", sorted(p.name for p in HANDINS.glob("*.txt")))
def test_crlf_cr_and_bom_read_exactly_like_lf(name: str) -> None:
    text = fixture(name)
    expected = handin.parse(text)
    for variant in (text.replace("\n", "\r\n"), "\ufeff" + text,
                    "\ufeff" + text.replace("\n", "\r\n"), text.replace("\n", "\r")):
        assert handin.parse(variant) == expected


@pytest.mark.parametrize(("line", "names"), [
    ("Author: Jason Ditz", ("Jason Ditz",)),
    ("author: Jason Ditz.", ("Jason Ditz",)),
    ("Authors: A. B. Cee, Dan Dee, and Ed Eff", ("A. B. Cee", "Dan Dee", "Ed Eff")),
    ("Authors: Leila Haddad & Henrik Dahl", ("Leila Haddad", "Henrik Dahl")),
    ("By Martin Luther King Jr.", ("Martin Luther King Jr.",)),
    ("BY: Ann de la Cruz and Bo Chen", ("Ann de la Cruz", "Bo Chen")),
    ("By contrast, we disagree", ()),
    ("By the time the talks ended", ()),
    ("By 2030 the treaty lapses", ()),
    ("Authored by nobody", ()),
    ("The author: a note", ()),
])
def test_byline_lines(line: str, names: tuple[str, ...]) -> None:
    assert handin.parse_byline(line) == names


@pytest.mark.parametrize(("bio", "role"), [
    ("Ann Lee is Senior Editor for Test Times.", "Senior Editor"),
    ("Ann Lee is a Contributing Writer at Test Times.", "Contributing Writer"),
    ("Ann Lee, a former diplomat, is Director of Research at the Institute.",
     "Director of Research"),
    ("Ann Lee is a writer in Cairo.", ""),
    ("Ann Lee is Canadian.", ""),
    ("Bo Chen is Senior Editor for Test Times.", ""),  # someone else's bio
])
def test_role_from_bio(bio: str, role: str) -> None:
    assert handin.role_from_bio("Ann Lee", bio) == role


def test_headline_and_dek_in_one_block() -> None:
    got = handin.parse("Headline Here\nThe dek line\n\nBody text.\n")
    assert (got.title, got.dek, got.body) == ("Headline Here", "The dek line", "Body text.\n")


def test_a_dek_needs_a_body_after_it() -> None:
    got = handin.parse("Headline Here\n\nThe only paragraph without a full stop\n")
    assert got.dek == ""
    assert got.body == "The only paragraph without a full stop\n"


def test_long_line_is_no_dek() -> None:
    long_line = "Word " * 45
    got = handin.parse(f"Headline\n\n{long_line}\n\nBody.\n")
    assert got.dek == ""
    assert got.body.startswith("Word Word")


def test_leading_byline_before_the_headline() -> None:
    got = handin.parse("By Ann Lee\n\nHeadline\n\nDek line\n\nBody.\n")
    assert (got.title, got.dek, got.author_names) == ("Headline", "Dek line", ("Ann Lee",))


def test_byline_and_bio_in_one_block() -> None:
    got = handin.parse("Headline\n\nBody.\n\nAuthor: Ann Lee\nAnn Lee is Senior Editor for X.\n")
    assert got.author_names == ("Ann Lee",)
    assert got.bio_of("Ann Lee") == "Ann Lee is Senior Editor for X."
    assert got.body == "Body.\n"


def test_an_author_line_followed_by_more_text_stays_body() -> None:
    text = "Headline\n\nBody.\n\nAuthor: Ann Lee\n\nA closing paragraph that is not a bio.\n"
    got = handin.parse(text)
    assert got.author_names == ()
    assert got.body.split("\n\n")[1] == "Author: Ann Lee"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "has no headline"),
    ("\n\n   \n", 1, "has no headline"),
    ("Author: Ann Lee\n", 1, "has no headline"),
    ("Just a Headline\n", 2, "has a headline but no body"),
    ("Headline\n\nA dek\n\nBy Ann Lee\n", 6, "has a headline but no body"),
    ("x" * 240 + "\n\nMore.\n", 1, "is 240 characters long"),
])
def test_what_is_missing(text: str, line: int, words: str) -> None:
    with pytest.raises(handin.HandInError) as caught:
        handin.parse(text)
    assert words in caught.value.message
    assert caught.value.line == line


def test_with_a_title_given_the_text_is_all_body() -> None:
    text = "One Short Line\n\nAnother paragraph.\n\nAuthor: Ann Lee\n\nAnn Lee is Editor for X.\n"
    got = handin.parse(text, title="A Title From Front Matter")
    assert got.title == "A Title From Front Matter"
    assert got.dek == ""
    assert got.body == "One Short Line\n\nAnother paragraph.\n"
    assert got.author_names == ("Ann Lee",)


def test_with_a_title_given_a_repeated_headline_is_read_as_a_hand_in() -> None:
    got = handin.parse("The  Headline\n\nThe dek\n\nBody.\n", title="the headline")
    assert (got.title, got.dek, got.body) == ("The  Headline", "The dek", "Body.\n")


# ---------------------------------------------------------------- properties of the conversion

_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)")
_TRICKY = ["\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|",
           "<", ">", "&", ";", ":", "~", "=", "\"", "'", "^", "@", "/", " ", "\n", "\t", "--",
           "---", "...", "&amp;", "&#38;", "&copy", "http://", "https://", "www.", "@x.org",
           "1. ", "\n\n", "<b>", "<!--", "-->", "[^1]", "](", "![", "    ", "\u00a0", "’", "“",
           "—", "~~~", "```", "***", "\r\n", "\ufeff", "word", "Ann", "é", "1"]
plain_texts = st.lists(
    st.one_of(st.sampled_from(_TRICKY),
              st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6)),
    max_size=40,
).map("".join)


def typography(text: str) -> str:
    """The documented changes a reader may see: whitespace folded, `--` an em dash, quotes
    curled (compared straight here, as typed curly ones are)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"(?<!-)--(?!-)", "—", text)
    text = re.sub("[‘’]", "'", re.sub("[“”]", '"', text))
    return " ".join(text.split())


def visible(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_texts)
@example("--\ufeff-")  # a BOM between the dashes of `---`
@example("-\ufeff--")
def test_any_plain_text_keeps_its_words_in_order(text: str) -> None:
    rendered = markup.body_to_html("txt", text)
    assert typography(visible(rendered)).split() == typography(text).split()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_texts)
@example("--\ufeff-")  # a BOM between the dashes of `---`
@example("-\ufeff--")
def test_nothing_in_plain_text_is_read_as_markdown_or_html(text: str) -> None:
    rendered = markup.body_to_html("txt", text)
    # Only paragraphs and the links made from bare URLs and email addresses.
    assert {m.group(2) for m in _TAG.finditer(rendered)} <= {"p", "a"}
    assert typography(visible(rendered)) == typography(text)
    # One paragraph per block the writer typed.
    assert rendered.count("<p>") == len(plaintext.paragraphs(text))


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_crlf_and_bom_never_change_the_markdown(text: str) -> None:
    lf = text.replace("\r", "")
    crlf = "\ufeff" + lf.replace("\n", "\r\n")
    assert plaintext.to_markdown(crlf) == plaintext.to_markdown(lf)


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_word = st.text(_LOWER, min_size=1, max_size=8)
_cap = st.builds(str.__add__, st.sampled_from(_LOWER.upper()), st.text(_LOWER, min_size=1,
                                                                         max_size=8))
_sentence = st.lists(_word, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize()
                                                         + ".")
_names = st.lists(st.lists(_cap, min_size=2, max_size=3).map(" ".join), min_size=1, max_size=3,
                  unique=True)


@settings(max_examples=150, deadline=None)
@given(headline=st.lists(_cap, min_size=1, max_size=10).map(" ".join),
       dek=st.one_of(st.just(""), st.lists(_cap, min_size=1, max_size=8).map(" ".join)),
       body=st.lists(st.lists(_sentence, min_size=1, max_size=4).map(" ".join), min_size=1,
                     max_size=5),
       names=_names, with_bios=st.booleans(), at_start=st.booleans())
def test_a_hand_in_reads_back_its_parts(headline: str, dek: str, body: list[str],
                                        names: list[str], with_bios: bool,
                                        at_start: bool) -> None:
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    byline = f"Authors: {listed}" if len(names) > 1 else f"Author: {listed}"
    bios = [f"{n} is Staff Writer for The Paper." for n in names] if with_bios else []
    head = [headline, *([dek] if dek else [])]
    blocks = ([*head, byline, *bios, *body] if at_start else [*head, *body, byline, *bios])
    got = handin.parse("\n\n".join(blocks) + "\n")
    assert (got.title, got.dek, got.author_names) == (headline, dek, tuple(names))
    assert got.body.split("\n\n") == [*body[:-1], body[-1] + "\n"]
    assert got.bios == (tuple(zip(names, bios, strict=True)) if with_bios else ())


@pytest.mark.parametrize(("text", "shown"), [
    ("He said 'the end...'", "He said ‘the end...’"),
    ('"I do not know..." she said', "“I do not know...” she said"),
    ('"Grade A*"', "“Grade A*”"),
    ("Talks -- and 'more---'", "Talks — and ‘more---’"),
])
def test_quotes_after_escaped_characters_still_close(text: str, shown: str) -> None:
    assert visible(markup.body_to_html("txt", text)) == shown


@pytest.mark.parametrize(("text", "links"), [
    ("see https://example.com/a-b.", ["https://example.com/a-b"]),
    ("see www.example.com/x, then", ["https://www.example.com/x"]),
    ("(https://example.com/wiki/A_(b))", ["https://example.com/wiki/A_(b)"]),
    ("mail desk@example.com.", ["mailto:desk@example.com"]),
    ("http://[::1]/ and https://ex.org/a[1]", ["https://ex.org/a"]),
    ("http://ex\u2100ample.org/ stays text", []),
])
def test_bare_urls_and_emails_become_links(text: str, links: list[str]) -> None:
    page = Page(markup.body_to_html("txt", text))
    assert [unescape(href) for href, _ in page.links] == links
    assert typography(visible(markup.body_to_html("txt", text))) == typography(text)


@pytest.mark.parametrize(("text", "shown"), [
    ("Talks --\ufeff- and more", ["Talks --- and more"]),
    ("A\n\ufeff\nB", ["A", "B"]),  # the line looks blank: two paragraphs
    ("\ufeff\ufeffHeadline", ["Headline"]),
])
def test_a_stray_bom_anywhere_is_dropped(text: str, shown: list[str]) -> None:
    """U+FEFF is invisible in the writer's editor, wherever pasting or joining files put it."""
    html = markup.body_to_html("txt", text)
    assert "\ufeff" not in html
    assert [visible(p) for p in re.findall(r"<p>(.*?)</p>", html, re.S)] == shown


def test_control_characters_are_dropped_or_become_spaces() -> None:
    assert plaintext.paragraphs("a\x00b\x02c\x0bd\x1fe\x7ff") == ["abc d ef"]
    assert markup.body_to_html("txt", "x\x02y\x03z") == "<p>xyz</p>"


# ---------------------------------------------------------------- `.txt` articles in a build



def _build(make_site, cli, files: dict[str, str | bytes]) -> tuple[Path, object]:
    site = make_site(files)
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    return site, result


def test_example_builds_with_byline_link_and_author_page(make_site, cli) -> None:
    text = "---\ndate: 2015-10-08\ntags: [Iran]\nsection: news\n---\n" + example_text()
    site, result = _build(make_site, cli, {"content/articles/2015/iran.txt": text})
    assert result.code == 0, result.err
    assert ("content/articles/2015/iran.txt:20:1: warning: author `Jason Ditz` has no profile"
            in result.err)
    assert "Create content/authors/jason-ditz.yaml" in result.err
    page = Page((site / "build/2015/10/08/iran/index.html").read_text())
    assert page.h1 == [EXAMPLE_HEADLINE]
    assert EXAMPLE_DEK in page.paragraphs
    assert ("/authors/jason-ditz/", "Jason Ditz") in page.links
    body = handin.parse(example_text()).body.split("\n\n")
    for paragraph in body:
        assert paragraph.strip() in page.paragraphs
    assert not [p for p in page.paragraphs if "Author:" in p]
    author = Page((site / "build/authors/jason-ditz/index.html").read_text())
    assert author.h1 == ["Jason Ditz"]
    assert "Senior Editor" in author.paragraphs
    bio = handin.parse(example_text()).bio_of("Jason Ditz")
    assert bio in (site / "build/authors/jason-ditz/index.html").read_text()


def test_markdown_looking_text_renders_as_typed(make_site, cli) -> None:
    text = "---\ndate: 2024-05-01\nauthor: ann-lee\n---\n" + fixture("markdown-looking.txt")
    site, result = _build(make_site, cli, {"content/articles/2024/chars.txt": text})
    assert result.code == 0, result.err
    html = (site / "build/2024/05/01/chars/index.html").read_text()
    page = Page(html)
    expected = [typography(p).replace("'", "’") for p in handin.parse(
        fixture("markdown-looking.txt")).body.split("\n\n")]
    start = html.index("<p># Not a heading")
    end = html.index("two — become a dash.</p>") + len("</p>")
    assert {m.group(2) for m in _TAG.finditer(html[start:end])} <= {"p", "a"}
    for paragraph in expected:
        assert paragraph in page.paragraphs
    assert page.h1 == ["Markdown Characters Stay as Typed"]


def test_front_matter_wins_over_the_text(make_site, cli) -> None:
    text = ("---\ntitle: The Editor's Headline\nsubtitle: The editor's dek\ndate: 2024-05-01\n"
            "author: bo-chen\n---\n" + fixture("one-author.txt"))
    site, result = _build(make_site, cli, {"content/articles/2024/yemen.txt": text})
    assert result.code == 0, result.err
    page = Page((site / "build/2024/05/01/yemen/index.html").read_text())
    assert page.h1 == ["The Editor’s Headline"]  # curled as the body's quotes (issue 17)
    assert "The editor’s dek" in page.paragraphs
    assert ("/authors/bo-chen/", "Bo Chen") in page.links
    # With a title in front matter, the text is all body but its byline and bio.
    assert "Senate Tables Yemen War Powers Resolution" in page.paragraphs
    assert not any("Mara Olsen" in p for p in page.paragraphs)
    assert not (site / "build/authors/mara-olsen").exists()
    assert "warning" not in result.err


def test_byline_naming_a_profile_uses_the_profile(make_site, cli) -> None:
    text = ("---\ndate: 2024-05-01\n---\nHeadline\n\nBody.\n\nAuthor: Ann Lee\n\n"
            "Ann Lee is Intern for Nobody.\n")
    site, result = _build(make_site, cli, {"content/articles/2024/h.txt": text})
    assert result.code == 0, result.err
    assert "warning" not in result.err
    author = (site / "build/authors/ann-lee/index.html").read_text()
    assert "Senior Editor" in author and "Intern for Nobody" not in author


def test_two_authors_one_without_profile(make_site, cli) -> None:
    text = ("---\ndate: 2024-05-01\n---\nHeadline\n\nBody.\n\nAuthors: Bo Chen and Cy Dee\n\n"
            "Cy Dee is Staff Writer at The Paper.\n")
    site, result = _build(make_site, cli, {"content/articles/2024/h.txt": text})
    assert result.code == 0, result.err
    assert result.err.count("warning") == 1 and "content/authors/cy-dee.yaml" in result.err
    page = Page((site / "build/2024/05/01/h/index.html").read_text())
    assert ("/authors/bo-chen/", "Bo Chen") in page.links
    assert ("/authors/cy-dee/", "Cy Dee") in page.links
    cy = Page((site / "build/authors/cy-dee/index.html").read_text())
    assert "Staff Writer" in cy.paragraphs


def test_unknown_front_matter_author_in_a_txt_is_still_an_error(make_site, cli) -> None:
    text = "---\ndate: 2024-05-01\nauthor: jason-ditz\n---\nHeadline\n\nBody.\n"
    _, result = _build(make_site, cli, {"content/articles/2024/h.txt": text})
    assert result.code == 1
    assert "content/articles/2024/h.txt:3:9: error: unknown author `jason-ditz`" in result.err


def test_hand_in_without_front_matter_needs_a_date(make_site, cli) -> None:
    site, result = _build(make_site, cli, {"content/articles/2024/h.txt": fixture(
        "no-byline.txt"), "content/articles/2024/e.txt": "\n\n"})
    assert result.code == 1
    assert "content/articles/2024/h.txt:1:1: error: has no date." in result.err
    assert "content/articles/2024/e.txt:1:1: error: has no headline." in result.err
    assert "2 errors in 2 files" in result.err
    assert not (site / "build").exists()


def test_issue_2_txt_articles_keep_every_paragraph(make_site, cli) -> None:
    body = "First paragraph, short\n\nSecond paragraph.\n\nA last line without stop\n"
    text = "---\ntitle: Front Matter Title\ndate: 2024-05-01\nauthor: bo-chen\n---\n" + body
    site, result = _build(make_site, cli, {"content/articles/2024/old.txt": text})
    assert result.code == 0, result.err
    page = Page((site / "build/2024/05/01/old/index.html").read_text())
    for paragraph in ("First paragraph, short", "Second paragraph.", "A last line without stop"):
        assert paragraph in page.paragraphs
    third = Page((site / "build/2024/03/03/third/index.html").read_text())
    assert third.h1 == ["Third Story"]
    assert ("Plain *text* with “quotes” — and a URL https://example.test/x."
            in third.paragraphs)


def test_crlf_and_bom_build_the_same_page(make_site, cli, tmp_path: Path) -> None:
    text = "---\ndate: 2024-05-01\n---\n" + fixture("one-author.txt")
    pages = []
    for n, data in enumerate([text.encode(), ("\ufeff" + text).encode(),
                              text.replace("\n", "\r\n").encode()]):
        site = make_site({"content/articles/2024/y.txt": data})
        out = tmp_path / f"out{n}"
        result = cli("build", "--site", site, "--output", out, "--now", FIXED_NOW.isoformat())
        assert result.code == 0, result.err
        pages.append((out / "2024/05/01/y/index.html").read_bytes())
        pages.append((out / "authors/mara-olsen/index.html").read_bytes())
    assert pages[0::2] == [pages[0]] * 3
    assert pages[1::2] == [pages[1]] * 3
