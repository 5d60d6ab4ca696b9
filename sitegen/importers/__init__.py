"""`sitegen import --from KIND SOURCE`: another tool's archive into a sitegen site.

One module per source tool reads that tool's site as the tool reads it (its configuration,
content folders and data files) into `Piece`s: sitegen front matter, a body, the old URLs
the tool gave it and the bylines. The shared modules do the rest the same way for every
tool: `fields` maps front matter by meaning, `bylines` splits display names into authors,
`bodies` converts template tags and reports what cannot be converted, `site` writes the
articles, pages, authors, sections and files (never over other content without --force),
and `report` says what happened to every field and file.
"""

from __future__ import annotations

# KIND -> "module:function" reading SOURCE; imported only when that kind runs.
READERS = {
    "jekyll": "sitegen.importers.jekyll:read",
    "hugo": "sitegen.importers.hugo:read",
    "eleventy": "sitegen.importers.eleventy:read",
    "pelican": "sitegen.importers.pelican:read",
    "wordpress": "sitegen.importers.wordpress:read",
}
