"""HTML to plain text (sitegen.content.markup.html_to_text), as descriptions use it."""

from __future__ import annotations

from sitegen.content import markup


def test_plain_text_of_html_puts_no_space_before_punctuation() -> None:
    """Descriptions (meta, Open Graph, JSON-LD, feed summaries) come from html_to_text: an
    inline tag taken out leaves no gap, a paragraph or line break still separates words."""
    assert markup.html_to_text("<p>The <em>Long View</em>, where <a href='/x'>we</a>.</p>"
                               "<p>Next</p>") == "The Long View, where we. Next"
    assert markup.html_to_text("one<br>two<li>three</li>four") == "one two three four"
    assert markup.html_to_text("<p>R&amp;D <code>x</code>;</p>") == "R&D x;"
