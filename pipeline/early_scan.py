"""Start an ingest's scan before the command line is even parsed.

A one-file re-ingest of 100,000 files waits on its scan (one stat per file, ~0.5 s) and, before
that scan could start, on the imports that parse the command line (typer and pydantic, ~0.15 s).
`launch.main` calls `start(argv)` first thing: when the words look like `ingest PATH...`, the
scan's child process is forked then, from a process that has imported almost nothing, and the
imports run beside it.

What is started is a guess made without typer, so it is only used when it was right:
`ingest()` calls `claim(paths)` with the paths typer actually parsed, and gets the early scan
only if it was started on exactly those paths; otherwise the early one is killed and a scan
starts as before. A command that never claims it (another command, a typo, `--help`) has the
child killed and reaped at exit.
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from pipeline.background_scan import BackgroundScan

VALUE_OPTIONS = frozenset({"--db", "--workers", "--max-file-mb"})
"""The ingest options that take a value (kept equal to the command's by a test)."""

_early: tuple[list[str], BackgroundScan, int] | None = None
"""The guessed paths, their scan, and the process that started it."""


def guess_ingest_paths(argv: list[str]) -> list[str] | None:
    """The PATH arguments of `ingest ...` as typer would parse them, or None for any other
    command line (or one asking for help)."""
    if not argv or argv[0] != "ingest":
        return None
    paths: list[str] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":
            paths.extend(words)
        elif word in ("--help", "-h"):
            return None
        elif word in VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-") or word == "-":
            paths.append(word)
    return paths or None


def start(argv: list[str]) -> None:
    """Fork the scan now if `argv` (without the program name) is an ingest."""
    global _early
    paths = guess_ingest_paths(argv)
    if paths is None or _early is not None:
        return
    _early = (_normalised(paths), BackgroundScan(paths), os.getpid())
    atexit.register(_discard)


def claim(paths: list[str | Path]) -> BackgroundScan | None:
    """The early scan if it was started on `paths`; None (and the early one stopped) if not."""
    global _early
    if _early is None:
        return None
    (guessed, scan, started_in), _early = _early, None
    # A forked process (a parser worker) must not take its parent's child.
    if guessed == _normalised(paths) and os.getpid() == started_in:
        return scan
    scan.close()
    return None


def _normalised(paths: list) -> list[str]:
    return [str(Path(p)) for p in paths]


def _discard() -> None:
    global _early
    if _early is not None:
        _early[1].close()
        _early = None
