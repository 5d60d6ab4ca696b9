"""`sitegen serve`: build, serve on 127.0.0.1, watch, rebuild, reload open tabs.

The preview builds into SITE/build, the folder `sitegen build` writes, with the same bytes (the
live-reload script is added to pages only as they are served). Running `sitegen build` before
deploying stays the rule, as with Zola; the output is never half-written either way.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

from sitegen.commands.options import build_time
from sitegen.config import CONFIG_NAME
from sitegen.engine.build import BuildOptions
from sitegen.errors import UsageError, report_lines
from sitegen.serve.http import PreviewServer, open_server
from sitegen.serve.preview import Outcome, Preview
from sitegen.serve.reload import Hub
from sitegen.serve.watch import Debouncer, SiteWatcher, in_output

SHOWN_CHANGES = 3


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    bind: str = "127.0.0.1"
    port: int | None = None  # None: 8000 or the next free port; 0: any free port
    live: bool = True
    poll: bool = False


@dataclass
class DevServer:
    """The preview as one object: `start()` returns once it listens and has built once;
    `close()` stops watching, ends open connections and frees the port."""

    options: ServeOptions
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    preview: Preview = field(init=False)
    hub: Hub = field(init=False)
    server: PreviewServer | None = field(init=False, default=None)
    _watcher: SiteWatcher | None = field(init=False, default=None)
    _debouncer: Debouncer | None = field(init=False, default=None)
    _thread: threading.Thread | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.preview = Preview(self.options.build)
        self.preview.search_note = self._say
        self.hub = Hub(self.preview, live=self.options.live)

    @property
    def url(self) -> str:
        assert self.server is not None, "start() first"
        return self.server.url

    def start(self) -> None:
        # Listen first (a busy port fails in a moment, not after a build), watch before the
        # first build (a save during it is not lost), and answer requests once it is done.
        self.server = open_server(self.options.bind, self.options.port, self.preview,
                                  self.hub, say=self._say)
        self._debouncer = Debouncer(self._rebuild)
        output, poke = self.preview.output, self._debouncer.poke
        self.preview.output_gone = lambda: poke(output)  # rebuilt whole (see Builder.build)
        self._watcher = SiteWatcher(self.preview.site, output, poke, poll=self.options.poll)
        self._watcher.start()
        first = self.preview.rebuild()
        if isinstance(first.error, UsageError):
            raise first.error  # e.g. build/ holds files sitegen did not write: no edit fixes it
        self._report(first)
        threading.Thread(target=_warm_up, args=(self.preview,), name="sitegen-warm-up",
                         daemon=True).start()
        self._debouncer.start()
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.25,),
                                        name="sitegen-http", daemon=True)
        self._thread.start()

    def close(self) -> None:
        # The port first, so it is free at once; then let a build in progress finish, so the
        # output is never left mid-swap and no thread prints while Python shuts down.
        if self.server is not None:
            if self._thread is not None:
                self.server.shutdown()
            self.server.server_close()
        self.hub.close()
        if self._watcher is not None:
            self._watcher.stop()
        self.preview.stopping()
        if self._debouncer is not None:
            if self.preview.building:
                self._say("Waiting for the build in progress to finish...")
            self._debouncer.stop()
        self.preview.close()

    def _rebuild(self, changed: set[Path]) -> None:
        # The pages the open tabs show are written first, and those tabs reloaded at once;
        # after the whole build, any other tab whose page changed is reloaded too.
        # The output folder itself among them: deleted or replaced, so it is built whole.
        changed = {path for path in changed if not in_output(path, self.preview.output)}
        outcome = self.preview.rebuild(sorted(changed), first=self.hub.open_paths(),
                                       first_done=self.hub.after_build)
        self._report(outcome)
        self.hub.after_build()

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _report(self, outcome: Outcome) -> None:
        what = describe_changes(outcome.changed, self.preview.site)
        millis = outcome.seconds * 1000
        if outcome.status.failed:
            lines = "\n".join(f"  {line}" for line in outcome.status.errors)
            print(f"Build failed{what} in {millis:.0f} ms; still serving the last good build:"
                  f"\n{lines}", file=self.err, flush=True)
        elif outcome.result is not None:
            for line in report_lines(outcome.result.warnings):
                print(line, file=self.err, flush=True)
            early = ""
            if outcome.served_new is not None and outcome.seconds - outcome.served_new > 0.1:
                early = (f" (open pages reloaded, and every page served new, after "
                         f"{outcome.served_new * 1000:.0f} ms)")
            self._say(f"Built {outcome.result.total_pages} pages{what} in {millis:.0f} ms"
                      f"{early}")


def describe_changes(changed: tuple[Path, ...], site: Path) -> str:
    if not changed:
        return ""
    names = [p.relative_to(site).as_posix() if p.is_relative_to(site) else str(p)
             for p in changed[:SHOWN_CHANGES]]
    more = f" and {len(changed) - SHOWN_CHANGES} more" if len(changed) > SHOWN_CHANGES else ""
    return f" after changes to {', '.join(names)}{more}"


@contextmanager
def interrupts_on_sigterm() -> Iterator[None]:
    """`kill` stops the preview as cleanly as Ctrl-C does, and the first of them is the
    only one: a second (Ctrl-C and SIGTERM at once) landing inside the first one's clean-up
    left a lock of `threading` half-released (exit 70)."""
    said: list[int] = []

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if not said:
            said.append(signum)
            raise KeyboardInterrupt

    previous = {which: signal.signal(which, interrupt) for which in (signal.SIGINT,
                                                                    signal.SIGTERM)}
    try:
        yield
    finally:
        for which, handler in previous.items():
            signal.signal(which, handler)


def _warm_up(preview: Preview) -> None:
    """Load what an added article's rebuild will need first and a site's first builds
    have not (Pillow and the share cards' fonts: 0.2 s), once, while the writer reads."""
    snapshot = preview.builder.session.snapshot
    if snapshot is None or not snapshot.config.images.share_cards:
        return
    try:
        from sitegen.engine.imagework import DEFAULT_COLOURS
        from sitegen.images import cards
        from sitegen.images.model import CardSpec

        cards.draw_card(CardSpec("A headline", "", "", snapshot.config.title, "",
                                 snapshot.config.language, DEFAULT_COLOURS))
    except Exception:  # a warm-up only: the real build reports any problem
        return


def run(options: ServeOptions) -> int:
    """Serve until Ctrl-C (or SIGTERM); exit 0 without a traceback, port freed."""
    site = options.build.site
    if not (site / CONFIG_NAME).is_file():
        raise UsageError(f"no {CONFIG_NAME} in {site.resolve()}. Run `sitegen serve` inside a "
                         "site folder or pass --site DIR.")
    server = DevServer(options)
    stopped = threading.Event()
    with interrupts_on_sigterm():
        try:
            server.start()
            assert server.server is not None
            if not server.server.loopback_only:
                print(f"warning: serving on {options.bind}, where other machines on this "
                      "network can reach it. `sitegen serve` is a preview for writing, not a "
                      "web server for readers: publish the output of `sitegen build`.",
                      file=sys.stderr, flush=True)
            print(f"Serving {server.preview.site} at {server.url}\n"
                  f"  output: {server.preview.output} (as `sitegen build` writes it)\n"
                  f"  watching content/, themes/, static/ and {CONFIG_NAME}; Ctrl-C stops",
                  flush=True)
            _wait_forever(stopped)
        except KeyboardInterrupt:
            pass
        finally:
            # A second Ctrl-C while closing must not end in a traceback either.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                server.close()
            finally:
                signal.signal(signal.SIGINT, previous)
    print("Stopped.", flush=True)
    return 0


def _wait_forever(event: threading.Event) -> None:
    while not event.wait(1.0):
        pass


def cmd_serve(args: argparse.Namespace) -> int:
    build = BuildOptions(site=args.site, drafts=args.drafts, future=args.future,
                         now=build_time(args))
    return run(ServeOptions(build, bind=args.bind, port=args.port, live=not args.no_reload,
                            poll=args.poll))


