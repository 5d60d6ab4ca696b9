"""`sitegen serve`: a live preview for writers.

It builds the site into SITE/build (the same bytes `sitegen build` writes), serves that folder
on 127.0.0.1, watches the sources with watchdog and rebuilds after each burst of saves, and
tells open browser tabs to reload (or to swap stylesheets, or to show the build's errors).

Modules, outside in:
- command: the `serve` sub-command; starts and stops the pieces below.
- preview: the site being previewed: the one call to `build`, and what each URL shows.
- watch: watchdog events -> "these sources changed", filtered and debounced.
- http: the HTTP server and its request handler (the security rules live here and in files).
- files: which file a request target names, or none; and how a file is sent (types, ranges).
- addresses: what --bind names, which hosts are loopback, what to say when a port is taken.
- reload: the live-reload endpoint, the script and the error overlay injected into pages.
- websocket: the few parts of RFC 6455 the reload endpoint needs.
"""
