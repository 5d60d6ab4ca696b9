"""The faster inline patterns (sitegen.content.fastpatterns) change nothing in the output."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content import fastpatterns, markup

SAMPLES = [
    'He said "it\'s fine" -- and left... "\'Quoted\' words," she said.',
    "In the '80s, rock 'n' roll; the 1990's; 'tis; don't 'quote' me.",
    '"Start" and "end". "\'Nested\'" \'"double"\' x\'"y" ---em--- ....',
    "&nbsp;'a' &mdash;\"b\" &#8211;'c' &#8212;\"d\" –'e' —\"f\" --'g'",
    "A [link](https://example.com \"title\") and ![img](a.png) and [ref][1] and [short].",
    "\n[1]: https://example.com/ref\n",
    "Code `x = '1' -- 2` and \\`escaped\\` and \\\\`real` ``double `tick` ``.",
    "Footnote[^1] and a table:\n\n| a | b |\n|---|---|\n| 'x' | \"y\" |\n\n[^1]: The 'note'.",
    "> A \"quote\" block -- with *em* and **strong** and _under_.\n\n- 'list' item\n- \"two\"",
    "# Heading #\n\nSetext\n======\n\nOther\n---\n\n* * *\n\n___\n\n1. one\n2. two\n\n"
    "    code -- 'x'\n\n> > nested\n> # quoted heading\n> ---\n\n- item\n\n    indented",
    "[ref]: https://example.com \"T\"\n[^n]: A note\n    more of it\n\nText[^n] [ref] a | b\n\n"
    "a | b\n--|--\n1 | 2\n\n| x |\n|---|\n| y |\n\n> | q | r |\n> |---|---|\n> | 1 | 2 |",
]
ALPHABET = "ab1 '\"-.–—&;#[]()!`\\*_<>\n:8s|^=>"


def _pair() -> tuple[markdown.Markdown, markdown.Markdown]:
    stock = markdown.Markdown(extensions=markup.EXTENSIONS, output_format="html")
    fast = fastpatterns.tune(markdown.Markdown(extensions=markup.EXTENSIONS,
                                               output_format="html"))
    return stock, fast


def _convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


def test_samples_render_as_stock_python_markdown() -> None:
    stock, fast = _pair()
    for text in [*SAMPLES, "\n\n".join(SAMPLES)]:
        assert _convert(fast, text) == _convert(stock, text), text


def test_every_listed_pattern_is_in_use() -> None:
    """If Python-Markdown renames a pattern, the rewrite silently stops applying: say so."""
    _, fast = _pair()
    patterns = [*fast.inlinePatterns, *fast.treeprocessors["smarty"].inlinePatterns]
    used = {getattr(p.compiled_re, "pattern", None) for p in patterns}
    assert set(fastpatterns.REWRITES.values()) <= used


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_random_text_renders_as_stock_python_markdown(text: str) -> None:
    stock, fast = _pair()
    assert _convert(fast, text) == _convert(stock, text)


def test_a_pattern_is_skipped_only_where_it_cannot_match() -> None:
    """Each pattern of NEEDS finds nothing in a text without its characters: the samples and
    every character the property tests use, with those characters taken out."""
    _, fast = _pair()
    registries = [fast.treeprocessors["inline"].inlinePatterns,
                  fast.treeprocessors["smarty"].inlinePatterns]
    texts = [*SAMPLES, ALPHABET * 3, "".join(chr(c) for c in range(32, 127)) * 2]
    checked = 0
    for registry in registries:
        for name, chars in fastpatterns.NEEDS.items():
            if name not in registry:
                continue
            pattern = registry[name]
            checked += 1
            for text in texts:
                stripped = "".join(c for c in text if c not in chars)
                assert pattern.compiled_re.search(stripped) is None, (name, stripped)
    assert checked >= 20  # the names still exist in this Python-Markdown


def test_every_block_needs_name_is_a_block_processor() -> None:
    """A renamed processor is only asked of every block again; say so all the same."""
    _, fast = _pair()
    assert set(fastpatterns.BLOCK_NEEDS) <= set(
        name for name in fastpatterns.BLOCK_NEEDS if name in fast.parser.blockprocessors)
    assert type(fast.parser) is fastpatterns.SkippingBlockParser


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["# h", "a", "> q", "| a | b |", "|--|--|", "---", "* * *",
                                 "[x]: /u", "[^1]: n", "    code", "1. o", "- u", "=",
                                 "x[^1] [x]", "", "  ", ">", "#", "|"]), max_size=14))
def test_block_shapes_render_as_stock_python_markdown(lines: list[str]) -> None:
    """Lines that start or end each kind of block, in any order and nesting."""
    stock, fast = _pair()
    text = "\n".join(lines)
    assert _convert(fast, text) == _convert(stock, text)


def test_every_needs_name_is_a_pattern_of_python_markdown() -> None:
    """A renamed pattern would silently lose its skip; the core ones must all be present."""
    _, fast = _pair()
    names = {n for n in fastpatterns.NEEDS
             if n in fast.treeprocessors["inline"].inlinePatterns
             or n in fast.treeprocessors["smarty"].inlinePatterns}
    assert {"backtick", "link", "html", "entity", "em_strong", "smarty-ellipses"} <= names
