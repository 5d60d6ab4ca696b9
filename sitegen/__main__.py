"""Allows `python -m sitegen`."""

import signal
import sys

try:
    from sitegen.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while Python is still importing: no traceback either
    print("interrupted", file=sys.stderr)
    code = 130
# The work is done and said: a Ctrl-C now must not turn a finished build into a traceback
# (or a death by signal) while the interpreter shuts down.
signal.signal(signal.SIGINT, signal.SIG_IGN)
raise SystemExit(code)
