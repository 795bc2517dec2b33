"""`postmortems ingest`: load postmortem files into the DuckDB file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.db import DEFAULT_DB, interrupted_query

NAMED_AT_MOST = 10
"""A re-run names the files it read again, or found gone, when there are at most this many."""


def register(app: typer.Typer) -> None:
    app.command(
        "ingest",
        help=(
            "Parse the postmortems under PATH... (*.md, *.markdown) into a DuckDB file. "
            "Only files whose content changed are parsed again; files that disappeared are "
            "removed. The database is replaced only when the load is complete.\n\n"
            "Example: postmortems ingest postmortems/ --db data/postmortems.duckdb"
        ),
    )(ingest_command)


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders of postmortems.", show_default=False, metavar="PATH"),
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to write.")] = DEFAULT_DB,
    full: Annotated[
        bool, typer.Option("--full", help="Parse every file again, ignoring the previous load.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any file was rejected.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Parser processes (0: one per core).")
    ] = 0,
    max_file_mb: Annotated[
        float,
        typer.Option("--max-file-mb", min=0.01, help="Reject files larger than this (MB)."),
    ] = 10.0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the summary line.")
    ] = False,
) -> None:
    from pipeline.ingest import IngestError, ingest

    progress_bar = None
    task = None
    if sys.stderr is not None and sys.stderr.isatty() and not quiet:
        # rich only for a terminal: its import costs 30 ms of every start.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        progress_bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        progress_bar.start()
        task = progress_bar.add_task("parsing", total=None)

    def on_progress(done: int, total: int) -> None:
        if progress_bar is not None:
            progress_bar.update(task, completed=done, total=total)

    try:
        summary = ingest(
            paths,
            db,
            full=full,
            workers=workers or None,
            max_file_bytes=int(max_file_mb * 1024 * 1024),
            on_progress=on_progress,
        )
    except IngestError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (KeyboardInterrupt, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) and not interrupted_query(exc):
            raise
        outcome = "is unchanged" if db.exists() else "was not created"
        typer.echo(f"interrupted; {db} {outcome}", err=True)
        raise typer.Exit(130) from None
    finally:
        if progress_bar is not None:
            progress_bar.stop()

    if not quiet:
        for path, reason in summary.rejected_files:
            typer.echo(f"rejected {path}: {reason}", err=True)
    line = (
        f"{summary.seen} {'file' if summary.seen == 1 else 'files'} seen: {summary.loaded} loaded "
        f"({summary.loaded_with_warnings} with warnings), {summary.unchanged} unchanged, "
        f"{summary.rejected} rejected, {summary.removed} removed "
        f"in {summary.seconds:.1f} s -> {summary.db_path}"
    )
    typer.echo(line)
    if not quiet and summary.unchanged:
        # a re-run: name what it read again or found gone, when that is a handful
        for what, named in (("loaded", summary.loaded_files), ("gone", summary.removed_files)):
            if 0 < len(named) <= NAMED_AT_MOST:
                typer.echo(f"{what}: {', '.join(named)}")
    if summary.removed and summary.removed == summary.previously_loaded:
        # Every incident of the previous load went: most likely another folder was given
        # than the one this database mirrors, not a corpus deleted on purpose.
        typer.echo(
            f"note: every incident the database held before ({summary.removed}) is gone, since "
            "none of their files is under the paths given. To keep them, ingest every folder "
            "in one command (postmortems ingest A B --db ...) or use another --db.",
            err=True,
        )
    if summary.problems_by_code and not quiet:
        counts = ", ".join(f"{code} {n}" for code, n in summary.problems_by_code.most_common())
        typer.echo(f"problems: {counts} (see the load_problems table)")
    if strict and summary.rejected:
        raise typer.Exit(1)
