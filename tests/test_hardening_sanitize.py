"""The sanitiser (nh3 with sitegen's allowlist on top): bypasses from the well-known lists
never leave a script, a handler or an unsafe URL; the policy's own choices stay."""

from __future__ import annotations

import re

import pytest

from sitegen.content.markup import HtmlPolicy, markdown_to_html
from sitegen.content.sanitize import clean_html

BYPASSES = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>", "<img src=x OnErRoR=alert(1)>",
    "<img/src=x/onerror=alert(1)>", '<img src="x" onerror ="alert(1)">',
    "<svg/onload=alert(1)>", "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=javascript:alert(1)>x</a>", "<a href=JaVaScRiPt:alert(1)>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>", "<a href='&#106;avascript:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>", "<a href='java\nscript:alert(1)'>x</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>", "<a href='&#0000106avascript:alert(1)'>x</a>",
    "<iframe src=javascript:alert(1)></iframe>", "<iframe srcdoc='<script>alert(1)</script>'>",
    "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>", "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>", "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style='x:expression(alert(1))'>x</p>", "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->", "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>", "<xmp><script>alert(1)</script></xmp>",
    "<template><script>alert(1)</script></template>",
    "<scr<script>ipt>alert(1)</script>", "<<script>script>alert(1)<</script>/script>",
    "<img src=`x` onerror=alert(1)>", "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<video><source onerror=alert(1)></video>", "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>", "<isindex action=javascript:alert(1) type=image>",
    "<table background=javascript:alert(1)>", "<blockquote cite=javascript:alert(1)>q</blockquote>",
]


def unsafe(html: str) -> list[str]:
    """What in `html` could run: script elements, handlers, script URLs, style attributes
    other than a cell's alignment, and elements outside the allowlist that run things."""
    found = []
    if re.search(r"<\s*(script|iframe|object|embed|form|input|base|meta|link|style|svg|math)\b",
                 html, re.I):
        found.append("element")
    if re.search(r"<[^>]*\son\w+\s*=", html, re.I):
        found.append("handler")
    if re.search(r"(href|src|cite|action|background)\s*=\s*[\"']?\s*(javascript|vbscript|data):",
                 html, re.I):
        found.append("url")
    if re.search(r"style\s*=", html, re.I):
        found.append("style")
    return found


@pytest.mark.parametrize("payload", BYPASSES)
def test_no_bypass_survives_the_cleaner(payload: str) -> None:
    assert unsafe(clean_html(payload)) == []


@pytest.mark.parametrize("payload", BYPASSES)
def test_no_bypass_survives_markdown(payload: str) -> None:
    html = markdown_to_html(f"Intro *text*.\n\n{payload}\n\nAnd {payload} inline.\n")
    assert unsafe(html) == [], html
    assert "<em>text</em>" in html


def test_the_policy_keeps_what_writers_use() -> None:
    html = clean_html('<p class="lede" id="a" dir="rtl">x <a href="https://e.test/" rel="me" '
                      'hreflang="de">l</a> <abbr title="T">T</abbr></p>'
                      '<img src="/i.png" alt="A" width="10" loading="lazy">'
                      '<table><tr><td colspan="2" align="left">c</td></tr></table>'
                      '<a href="mailto:a@e.test">m</a><a href="tel:+1">t</a><a href="/p/">r</a>')
    for kept in ('class="lede"', 'id="a"', 'dir="rtl"', 'rel="me"', 'hreflang="de"',
                 '<abbr title="T">', 'alt="A"', 'loading="lazy"', 'colspan="2"',
                 'href="mailto:a@e.test"', 'href="tel:+1"', 'href="/p/"'):
        assert kept in html
    assert "noopener" not in html  # nh3 adds a rel of its own unless told not to


def test_raw_html_around_markdown_keeps_its_structure() -> None:
    html = markdown_to_html('<div class="box">\n<p>Inside.</p>\n\n</div>\n\n'
                            'A <span class="k">span</span> and <em>em</em>.\n\n'
                            '| a | b |\n|:--|--:|\n| 1 | 2 |\n\n# Heading\n')
    assert re.search(r'<div class="box">\s*<p>Inside.</p>\s*</div>', html)
    assert '<span class="k">span</span>' in html and "<em>em</em>" in html
    assert '<td style="text-align:left">1</td>' in html
    assert "<h1>Heading</h1>" in html


def test_iframes_only_from_embed_hosts_without_fallback() -> None:
    policy = HtmlPolicy(embed_hosts=("www.youtube.com",))
    html = markdown_to_html('<iframe src="https://www.youtube.com/embed/x" width="560" '
                            'onload="alert(1)">fallback <b>text</b></iframe>\n\n'
                            '<iframe src="https://evil.example/x">no</iframe>\n\n'
                            '<iframe src="http://www.youtube.com/embed/x"></iframe>\n', policy)
    assert html.count("<iframe") == 1
    assert '<iframe src="https://www.youtube.com/embed/x" width="560"></iframe>' in html
    assert "fallback" not in html and "onload" not in html and "evil" not in html


def test_trusted_html_is_left_alone() -> None:
    html = markdown_to_html('<div onclick="go()">x</div>\n', HtmlPolicy(trusted=True))
    assert 'onclick="go()"' in html
