"""`sitegen check`: what a build would publish, looked over for what a reader would trip on.

`site` builds the site in memory (nothing is written), `links` finds links, images and
anchors that lead nowhere, `content` the editorial slips (no dek, no alt text, a long
headline, an example base_url, template syntax in a body), `external` checks links to other
sites (only with --external). Each finding is a `Problem` at the source's line.
"""
