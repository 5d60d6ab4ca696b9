"""Allows `python -m sitegen`."""

import sys

try:
    from sitegen.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while Python is still importing: no traceback either
    print("interrupted", file=sys.stderr)
    code = 130
raise SystemExit(code)
