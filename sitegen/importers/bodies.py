"""Template tags in post bodies, made into what readers of the old site saw.

Jekyll and Eleventy run Liquid over a post before Markdown; Hugo expands shortcodes. Tags
with a plain equivalent (`{% highlight %}`, `{% link %}`, `{% post_url %}`, `{% raw %}`,
`{{< figure >}}`, `{{< youtube >}}`, `{{< ref >}}`) are converted here; Liquid that computes
text from the site's data files is evaluated once, with those files, by python-liquid (a
maintained implementation of the language Jekyll runs, rather than one of our own). What is
left (a theme's include, an unknown shortcode) is reported at its `path:line` and taken out:
readers never see template code as text.

Links to other posts become `LINK_MARK` markers, replaced once every piece has its new URL.
"""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Callable
from typing import Any

import liquid
from liquid.filter import with_context

from sitegen.importers.report import Report

LINK_MARK = "sitegen-link:"  # LINK_MARK + key + LINK_END: the new URL of that source file
LINK_END = ":end"


def link(key: str) -> str:
    return f"{LINK_MARK}{key.strip()}{LINK_END}"


class _Liquid(liquid.Environment):
    """Jekyll's Liquid with limits: a post's loop cannot run the import for ever."""

    loop_iteration_limit = 100_000
    output_stream_limit = 5_000_000
    local_namespace_limit = 1_000_000


def _relative_url(value: object) -> str:
    text = str(value)
    return text if text.startswith(("/", "http:", "https:", "#")) else "/" + text


_UNDEFINED: list[str] = []  # names a render met that the data does not define


class _Noted(liquid.Undefined):
    """An undefined name renders as nothing, as in Jekyll, and is noted for the report."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        _UNDEFINED.append(name)


_ENV = _Liquid(undefined=_Noted)
_ENV.filters.update(
    relative_url=_relative_url, absolute_url=_relative_url, markdownify=str,
    jsonify=lambda v: html.escape(str(v)), xml_escape=lambda v: html.escape(str(v)),
    date_to_string=lambda v: str(v)[:10], date_to_xmlschema=str, number_of_words=lambda v:
    len(str(v).split()), slugify=lambda v: re.sub(r"[^a-z0-9]+", "-", str(v).lower()).strip("-"),
    smartify=str, cgi_escape=lambda v: html.escape(str(v)), uri_escape=str,
    # Nunjucks' own names (Eleventy's usual engine): "do not escape" (Liquid escapes
    # nothing anyway), and the filters whose Liquid names differ.
    safe=lambda v: v, upper=lambda v: str(v).upper(), lower=lambda v: str(v).lower(),
    title=lambda v: str(v).title(), trim=lambda v: str(v).strip(), length=len,
    striptags=lambda v: re.sub(r"<[^>]*>", "", str(v)), wordcount=lambda v: len(str(v).split()),
    dump=lambda v: html.escape(str(v)), int=lambda v: int(float(str(v) or 0)),
)


class Body:
    """One body being converted: where it is, for the problems it reports."""

    def __init__(self, text: str, where: str, first_line: int, report: Report) -> None:
        self.text = text
        self.where = where
        self.first_line = first_line
        self.report = report
        self.kept: list[str] = []  # `{% raw %}` contents, put back at the end

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, max(offset, 0))

    def problem(self, offset: int, what: str) -> None:
        self.report.problem(f"{self.where}:{self.line_at(offset)}", what)

    def keep(self, literal: str) -> str:
        self.kept.append(literal)
        return f"\x00kept{len(self.kept) - 1}\x00"

    def restored(self, text: str) -> str:
        """`text` with what `keep` took out put back (a kept part may hold another: a
        `{% raw %}` inside a `{% highlight %}`)."""
        for _ in range(len(self.kept) + 1):
            text, n = _KEPT.subn(lambda m: self.kept[int(m.group(1))], text)
            if not n:
                break
        return text


_KEPT = re.compile(r"\x00kept(\d+)\x00")


# ---------------------------------------------------------------- Liquid (Jekyll, Eleventy)

_RAW = re.compile(r"\{%-?\s*(raw|verbatim)\s*-?%\}(.*?)\{%-?\s*end\1\s*-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+[\"']?([\w+#.-]+)[^%]*%\}\n?(.*?)\n?"
                        r"\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_POST_URL = re.compile(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}")
_LINK = re.compile(r"\{%-?\s*link\s+([^\s%]+)\s*-?%\}")
_VIDEO = re.compile(r"\{%-?\s*(youtube|vimeo)\s+(\S+)\s*-?%\}")  # common plugins
_INCLUDE = re.compile(r"\{%-?\s*(?:include|include_relative|render)\s+[^%]*%\}")
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_KRAMDOWN_IAL = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$\n?|\{:[^}\n]*\}", re.MULTILINE)


def liquid_body(body: Body, data: dict[str, Any], *, html_body: bool = False,
                nunjucks: bool = False) -> str:
    """A Liquid post body (Jekyll, Eleventy) as readers saw it; `data` is what the tool
    gives templates (`site`, `page`). `html_body`: the body is HTML, not Markdown;
    `nunjucks`: the body is Nunjucks (Eleventy's usual engine), made Liquid first."""
    text = _RAW.sub(lambda m: body.keep(m.group(2)), body.text)
    text = _COMMENT.sub("", text)
    if nunjucks:
        text = as_liquid(text)
    text = _HIGHLIGHT.sub(lambda m: body.keep(_code(m.group(1), body.restored(m.group(2)),
                                                    html_body)), text)
    text = _POST_URL.sub(lambda m: link("post_url:" + m.group(1)), text)
    text = _LINK.sub(lambda m: link(m.group(1)), text)
    text = _VIDEO.sub(lambda m: _video(m.group(1), m.group(2).strip("\"'")), text)
    text = _report_all(body, text, _INCLUDE, "a theme include ({tag}) has no sitegen "
                       "equivalent, so it is left out. Check the article reads well without "
                       "it, or write what it showed into the text.")
    text = _KRAMDOWN_IAL.sub("", text)  # kramdown's `{: .class}`: styling, not text
    text = _without_plugin_tags(body, text)
    if "{%" in text or "{{" in text:
        text = _render(body, text, {**data, HTML_FLAG: html_body, BODY: body})
    return body.restored(text)


# Liquid's own tags (and their ends): any other is a plugin's or a site's shortcode.
LIQUID_TAGS = {"if", "elsif", "else", "unless", "case", "when", "for", "break", "continue",
               "cycle", "assign", "capture", "increment", "decrement", "tablerow", "echo",
               "liquid", "ifchanged", "comment", "raw"}
_ANY_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")


def _without_plugin_tags(body: Body, text: str) -> str:
    """`text` without the tags Liquid does not know (`{% callout "info" %}`, a theme's
    shortcode), each reported; a paired one's text stays, as the text it wrapped."""
    def drop(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in LIQUID_TAGS or (name.startswith("end") and name[3:] in LIQUID_TAGS):
            return match.group(0)
        if not name.startswith("end"):
            tag = " ".join(match.group(0).split())[:60]
            body.problem(body.text.find(match.group(0)), f"template code `{tag}` is a tag "
                         "sitegen does not know (a plugin's or the theme's), so it is left "
                         "out. Check the text around it reads well.")
        return ""
    return _ANY_TAG.sub(drop, text)


# ---------------------------------------------------------------- Nunjucks as Liquid

_NJK_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_SET_BLOCK = re.compile(r"\{%(-?)\s*set\s+(\w+)\s*(-?)%\}(.*?)\{%(-?)\s*endset\s*(-?)%\}",
                        re.DOTALL)
_SET = re.compile(r"\{%(-?)\s*set\s+(\w+)\s*=")
_CALL = re.compile(r"\|\s*(\w+)\(([^()]*)\)")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def as_liquid(text: str) -> str:
    """The Nunjucks a post body uses, in Liquid's words: `{# #}` comments go, a block
    `{% set x %}...{% endset %}` is a `capture` (its text is a value, never shown where it
    stands), `{% set x = y %}` an `assign`, and filter calls `| f("a")` Liquid's `| f: "a"`."""
    text = _NJK_COMMENT.sub("", text)
    text = _SET_BLOCK.sub(r"{%\1 capture \2 \3%}\4{%\5 endcapture \6%}", text)
    text = _SET.sub(r"{%\1 assign \2 =", text)
    return _TAG.sub(lambda m: _CALL.sub(lambda c: f"| {c.group(1)}: {c.group(2)}"
                                        if c.group(2).strip() else f"| {c.group(1)}",
                                        m.group(0)), text)


# In the render's data (see _highlight): the body is HTML; the Body, with what it kept.
HTML_FLAG = "__sitegen_html_body"
BODY = "__sitegen_body"


@with_context
def _highlight(value: object, language: object = "", *, context: Any) -> str:
    """Eleventy's `highlight` filter (`{{ code | highlight("js") | safe }}`): a code block
    (of the code itself: a `{% raw %}` part is put back before the code is escaped)."""
    code = context.resolve(BODY).restored(str(value)).strip("\n")
    return "\n" + _code(str(language or "text"), code, bool(context.resolve(HTML_FLAG))) + "\n"


def _code(language: str, code: str, html_body: bool) -> str:
    if html_body:
        return (f'<pre><code class="language-{html.escape(language)}">{html.escape(code)}'
                "</code></pre>")
    return f"```{language}\n{code}\n```"


def _video(host: str, video: str) -> str:
    return _shortcode(host, ([video], {}), str) or ""


def _render(body: Body, text: str, data: dict[str, Any]) -> str:
    """Evaluate the Liquid left in `text`. A tag that cannot be evaluated (a plugin's, a
    broken one) is reported and taken out, and the rest evaluated without it."""
    for _ in range(MAX_RETRIES):
        _UNDEFINED.clear()
        try:
            rendered = str(_ENV.from_string(text).render(**data))
        except (liquid.exceptions.LiquidError, RecursionError, ValueError, TypeError) as exc:
            text = _without_failing_tag(body, text, exc)
            continue
        for name in dict.fromkeys(_UNDEFINED):
            body.problem(max(body.text.find(name), 0), f"template code names `{name}`, "
                         "which the source site's data does not define, so it shows nothing "
                         "there. Check the text around it reads well.")
        return rendered
    text = _CAPTURE.sub("", text)  # a value, never shown where it stands
    return _report_all(body, text, _LIQUID, "template code ({tag}) could not be evaluated, "
                       "so it is left out. Check the text around it reads well.")


_CAPTURE = re.compile(r"\{%-?\s*capture\b.*?\{%-?\s*endcapture\s*-?%\}", re.DOTALL)


MAX_RETRIES = 20
_OPENER = re.compile(r"\{%-?\s*(?:if|unless|for|case|capture|tablerow)\b")


def _without_failing_tag(body: Body, text: str, exc: BaseException) -> str:
    token = getattr(exc, "token", None)
    offset = getattr(token, "start_index", -1) if token is not None else -1
    tag = next((m for m in _LIQUID.finditer(text) if m.start() <= offset < m.end()), None)
    if tag is None:  # an unclosed block: the error is at the end, its opening tag is at fault
        openers = [m for m in _LIQUID.finditer(text) if _OPENER.match(m.group(0))]
        tag = openers[-1] if openers else _LIQUID.search(text)
    if tag is None:
        return text
    shown = " ".join(tag.group(0).split())[:60]
    reason = str(exc).split("\n")[0][:100]
    body.problem(max(body.text.find(tag.group(0)), 0), f"template code `{shown}` could not "
                 f"be evaluated ({reason}), so it is left out. Check the text around it "
                 "reads well.")
    return text[:tag.start()] + text[tag.end():]


def _first_tag(text: str) -> int:
    found = _LIQUID.search(text)
    return found.start() if found else 0


def _report_all(body: Body, text: str, pattern: re.Pattern[str], what: str | None) -> str:
    """`text` without `pattern`'s matches, each reported (when `what`) at its line."""
    def drop(match: re.Match[str]) -> str:
        if what is not None:
            tag = " ".join(match.group(0).split())[:60]
            body.problem(body.text.find(match.group(0)), what.format(tag=f"`{tag}`"))
        return ""
    return pattern.sub(drop, text)


# ---------------------------------------------------------------- Hugo shortcodes

_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*[>%]\}\}", re.DOTALL)


def hugo_body(body: Body) -> str:
    """A Hugo body with its shortcodes expanded as Hugo's built-in ones would."""
    text = _ESCAPED.sub(lambda m: body.keep("{{" + m.group(1) + m.group(2) + m.group(3)
                                            + "}}"), body.text)
    out: list[str] = []
    pos = 0
    for match in _SHORTCODE.finditer(text):
        out.append(text[pos:match.start()])
        pos = match.end()
        closing, name, args = match.group(2), match.group(3), match.group(4)
        if closing:
            out.append(_PAIRED_ENDS.get(name, ""))
            continue
        made = _shortcode(name, _args(args), body.keep)
        if made is None:
            body.problem(body.text.find(match.group(0)), f"shortcode `{name}` has no sitegen "
                         "equivalent, so it is left out (text between its tags is kept). "
                         "Check the article reads well without it.")
            made = ""
        out.append(made)
    out.append(text[pos:])
    return body.restored("".join(out))


_PAIRED_ENDS = {"highlight": "\n```\n", "notice": "\n", "note": "\n", "details": "\n"}


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    positional = [w for w in words if "=" not in w]
    named = dict(w.split("=", 1) for w in words if "=" in w)
    return positional, named


def _shortcode(name: str, args: tuple[list[str], dict[str, str]],
               keep: Callable[[str], str]) -> str | None:
    positional, named = args
    first = positional[0] if positional else ""
    if name in {"ref", "relref"}:
        return link("ref:" + (named.get("path") or first))
    if name == "figure":
        return "\n\n" + figure_html(named.get("src", first), named.get("alt", ""),
                                    named.get("caption") or named.get("title", ""),
                                    named.get("link", "")) + "\n\n"
    video = named.get("id") or first
    if name == "youtube":
        return f"\n\n[Watch the video on YouTube](https://www.youtube.com/watch?v={video})\n\n"
    if name == "vimeo":
        return f"\n\n[Watch the video on Vimeo](https://vimeo.com/{video})\n\n"
    if name in {"tweet", "x"}:
        user = named.get("user", "i")
        return f"\n\n[See the post on X](https://x.com/{user}/status/{video})\n\n"
    if name == "gist":
        return f"\n\n[See the code on GitHub](https://gist.github.com/{'/'.join(positional)})\n\n"
    if name == "instagram":
        return f"\n\n[See the post on Instagram](https://www.instagram.com/p/{video}/)\n\n"
    if name == "highlight":
        return "\n```" + first + "\n"
    if name in {"notice", "note", "details", "center", "columns", "column"}:
        return "\n"  # a box around text: the text stays, the box goes
    return None


def figure_html(src: str, alt: str, caption: str, href: str = "") -> str:
    """A figure as sitegen's sanitiser lets it through."""
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if href:
        image = f'<a href="{html.escape(href)}">{image}</a>'
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{image}{caption_html}</figure>"


_ENV.filters["highlight"] = _highlight
