"""The `postmortems` program: an ingest's scan starts before the command line is parsed.

Kept apart from `cli` so that nothing heavier than the scan itself is imported first
(`early_scan` says why and how a wrong guess is undone).
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from pipeline import early_scan

        early_scan.start(sys.argv[1:])
        from pipeline.cli import main as run_command
    except KeyboardInterrupt:
        # Ctrl-C while the program is still importing (~0.1 s): one line, as the commands say
        # it once running, not a traceback through the import machinery.
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    run_command()
