"""A WordPress export (WXR, as Tools > Export writes it): posts and pages with their
status (published, scheduled, draft), authors by display name (Co-Authors Plus bylines
too), categories and tags, featured images from attachments, and bodies made into the
HTML a reader saw: block comments removed, `[caption]` as a figure, paragraphs from blank
lines as WordPress's `wpautop` makes them. Comments are dropped and counted. Old URLs are
each post's `<link>` and its `?p=ID` short link. Files stay where the export points
unless a `wp-content/uploads/` folder lies beside the export, from which they are copied.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.content.slugs import slugify
from sitegen.importers.bodies import figure_html
from sitegen.importers.pieces import Archive, Piece, Profile
from sitegen.importers.report import Report

NS = {"wp": "http://wordpress.org/export/1.2/", "content": "http://purl.org/rss/1.0/modules/content/",
      "excerpt": "http://wordpress.org/export/1.2/excerpt/", "dc": "http://purl.org/dc/elements/1.1/"}
STATUS_DRAFT = {"draft", "pending", "private"}
STATUS_SKIP = {"trash", "auto-draft", "inherit"}
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?")
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
_SHORTCODE = re.compile(r"\[/?([a-z_][\w-]*)(?:\s[^\]]*)?\]")
_BLOCK_TAGS = ("<p", "<div", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<ul", "<ol", "<li",
               "<blockquote", "<pre", "<figure", "<table", "<hr", "<iframe", "<dl", "<section",
               "</")


def read(source: Path) -> Archive:
    report = Report("wordpress")
    channel = _channel(source, report)
    archive = Archive(source.parent, [], report, {}, [source.parent])
    if channel is None:
        return archive
    archive.profiles = _authors(channel)
    attachments = {_text(i, "wp:post_id"): _text(i, "wp:attachment_url")
                   for i in channel.findall("item") if _text(i, "wp:post_type") == "attachment"}
    report.counts["attachments"] = len(attachments)
    base = _text(channel, "wp:base_blog_url") or _text(channel, "link")
    for item in channel.findall("item"):
        piece = _item(item, attachments, base, report)
        if piece is not None:
            archive.pieces.append(piece)
    report.counts["articles"] = sum(p.kind == "article" for p in archive.pieces)
    report.counts["pages"] = sum(p.kind == "page" for p in archive.pieces)
    return archive


def _channel(source: Path, report: Report) -> ET.Element | None:
    try:
        data = source.read_bytes()
    except OSError as exc:
        report.skip(source.name, f"cannot be read ({exc.strerror})")
        return None
    if b"<!ENTITY" in data[:4096]:  # entity expansion is how an XML file eats memory
        report.skip(source.name, "declares XML entities, which a WordPress export never does")
        return None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        report.skip(f"{source.name}:{exc.position[0]}", f"is not well-formed XML ({exc})")
        return None
    return root.find("channel")


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _authors(channel: ET.Element) -> dict[str, Profile]:
    profiles = {}
    for author in channel.findall("wp:author", NS):
        login = _text(author, "wp:author_login")
        name = _text(author, "wp:author_display_name") or " ".join(
            filter(None, (_text(author, "wp:author_first_name"),
                          _text(author, "wp:author_last_name")))) or login
        profiles[login] = profiles[login.casefold()] = Profile(
            name, email=_text(author, "wp:author_email"))
    return profiles


def _item(item: ET.Element, attachments: dict[str, str], base: str,
          report: Report) -> Piece | None:
    kind = _text(item, "wp:post_type")
    status = _text(item, "wp:status")
    post_id = _text(item, "wp:post_id")
    where = f"item {post_id} ({_text(item, 'title')[:40]})"
    if kind not in {"post", "page"}:
        if kind != "attachment":
            report.counts[f"skipped {kind or 'unknown'} items"] += 1
        return None
    if status in STATUS_SKIP:
        report.skip(where, f"status `{status}`")
        return None
    comments = len(item.findall("wp:comment", NS))
    if comments:
        report.counts["comments dropped"] += comments
    meta = _meta(item, status, attachments, report)
    slug = _text(item, "wp:post_name") or slugify(meta["title"])  # drafts have none yet
    bylines = [_text(item, "dc:creator")] + [
        c.get("nicename", "").removeprefix("cap-") for c in item.findall("category")
        if c.get("domain") == "author"]
    categories = [html.unescape(c.text or "") for c in item.findall("category")
                  if c.get("domain") == "category"]
    olds = [_path(_text(item, "link"), base)]
    olds.append(f"/?{'page_id' if kind == 'page' else 'p'}={post_id}")
    body = wp_body(_text(item, "content:encoded"), where, report, attachments)
    return Piece(where, "article" if kind == "post" else "page", slug, meta, body, "html",
                 [o for o in olds if o], [b for b in bylines if b],
                 [c for c in categories if c.casefold() != "uncategorized"], None)


def _meta(item: ET.Element, status: str, attachments: dict[str, str],
          report: Report) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": html.unescape(_text(item, "title")) or "Untitled"}
    gmt = _text(item, "wp:post_date_gmt")
    local = _text(item, "wp:post_date")
    if gmt and not gmt.startswith("0000"):
        meta["date"] = gmt.replace(" ", "T") + "+00:00"
    elif local and not local.startswith("0000"):
        meta["date"] = local.replace(" ", "T")
    else:
        meta["date"] = "1970-01-01"
    excerpt = _text(item, "excerpt:encoded")
    if excerpt:
        meta["summary"] = re.sub(r"<[^>]+>", "", html.unescape(excerpt)).strip()
        report.mapped["excerpt:encoded -> summary"] += 1
    tags = [html.unescape(c.text or "") for c in item.findall("category")
            if c.get("domain") == "post_tag"]
    if tags:
        meta["tags"] = tags
    if status in STATUS_DRAFT:
        meta["draft"] = True
        report.mapped[f"status {status} -> draft"] += 1
    elif status == "future":
        report.counts["scheduled (published when due)"] += 1
    for postmeta in item.findall("wp:postmeta", NS):
        if _text(postmeta, "wp:meta_key") == "_thumbnail_id":
            image = attachments.get(_text(postmeta, "wp:meta_value"))
            if image:
                meta["image"] = image
    return meta


def _path(url: str, base: str) -> str:
    """A post's `<link>` as a path on the new site; "" for a link to another host."""
    if not url:
        return ""
    parts, home = urlsplit(url), urlsplit(base)
    if home.netloc and parts.netloc and parts.netloc != home.netloc:
        return ""
    path = parts.path
    prefix = home.path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    return path + (f"?{parts.query}" if parts.query else "") or "/"


def wp_body(text: str, where: str, report: Report,
            attachments: dict[str, str] | None = None) -> str:
    """The HTML a reader of the WordPress site saw, without WordPress's own markup."""
    text = _BLOCK_COMMENT.sub("", text.replace("\r\n", "\n"))
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(lambda m: _gallery(m.group(1), attachments or {}), text)
    text = _EMBED.sub(lambda m: f'<p><a href="{html.escape(m.group(1).strip())}">'
                      f"{html.escape(m.group(1).strip())}</a></p>", text)

    def unknown(match: re.Match[str]) -> str:
        report.problem(where, f"shortcode `[{match.group(1)}]` has no sitegen equivalent, "
                       "so it is left out (text between its tags is kept).")
        return ""

    text = _SHORTCODE.sub(unknown, text)
    return autop(text)


_GALLERY = re.compile(r"\[gallery[^\]]*?ids=\"([\d, ]+)\"[^\]]*\]")


def _gallery(ids: str, attachments: dict[str, str]) -> str:
    """`[gallery ids="..."]`: the gallery's images, one figure each."""
    urls = [attachments[i.strip()] for i in ids.split(",") if i.strip() in attachments]
    return "\n\n".join(figure_html(url, "", "") for url in urls)


def _caption(match: re.Match[str]) -> str:
    inner = match.group(1)
    image = _IMG.search(inner)
    if image is None:
        return inner
    src = re.search(r'src="([^"]*)"', image.group(0))
    alt = re.search(r'alt="([^"]*)"', image.group(0))
    caption = re.sub(r"<[^>]+>", "", inner[image.end():]).strip()
    href = re.search(r'<a\s[^>]*href="([^"]*)"', inner)
    return figure_html(html.unescape(src.group(1)) if src else "",
                       html.unescape(alt.group(1)) if alt else "", html.unescape(caption),
                       html.unescape(href.group(1)) if href else "")


def autop(text: str) -> str:
    """WordPress's `wpautop`, simply: a blank line ends a paragraph, a line break inside
    one is `<br>`, and a block that is already an element is left as it is."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = []
    for block in blocks:
        if block.lower().startswith(_BLOCK_TAGS):
            out.append(block)
        else:
            out.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)
