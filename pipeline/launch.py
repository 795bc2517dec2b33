"""The `postmortems` program: an ingest's scan starts before the command line is parsed.

Kept apart from `cli` so that nothing heavier than the scan itself is imported first
(`early_scan` says why and how a wrong guess is undone).
"""

from __future__ import annotations

import sys


def main() -> None:
    from pipeline import early_scan

    early_scan.start(sys.argv[1:])
    from pipeline.cli import main as run_command

    run_command()
