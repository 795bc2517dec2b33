"""`postmortems report`: the quarterly review as one self-contained HTML file, or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands._options import DbOption
from pipeline.db import DEFAULT_DB


def register(app: typer.Typer) -> None:
    app.command(
        "report",
        help=(
            "Write a quarter's incident review: headline figures against the previous quarter "
            "(each change with its 95% interval, or 'too few incidents to tell'), severity "
            "trend, time to restore and duration as distributions, detection, overdue and closed "
            "actions and their follow-through, postmortem hygiene, near misses, recurring "
            "causes and the quarter's incidents. The HTML file embeds plotly and opens offline "
            "(no request leaves the machine); --format md writes Markdown for a wiki. Figures "
            "come from the same analytics as `postmortems stats` and the dashboard.\n\n"
            "Without --quarter it reviews the last complete quarter that has incidents.\n\n"
            "Example: postmortems report --quarter 2026Q3 --db data/postmortems.duckdb "
            "--out review-2026Q3.html"
        ),
    )(report_command)


def report_command(
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            help="The quarter to review, e.g. 2026Q3 (default: the last complete quarter that "
            "has incidents).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="File to write (default: incident-review-QUARTER.html or .md)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="html (self-contained page) or md (Markdown).")
    ] = "html",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge overdue actions on this day, YYYY-MM-DD (default: the quarter's last "
            "day, or today while it runs).",
        ),
    ] = None,
) -> None:
    from pipeline import analytics
    from pipeline.commands._analytics_cli import check_format, fail, parse_day
    from pipeline.db import DatabaseError
    from pipeline.report import FORMATS, write_report

    fmt = check_format("md" if fmt.strip().lower() == "markdown" else fmt, FORMATS)
    day = parse_day(as_of, "--as-of")
    label = quarter.strip().upper() if quarter is not None else None
    if label is not None:
        try:
            analytics.quarter_bounds(label)
        except ValueError as exc:
            raise fail(f"--quarter {exc}") from None
    try:
        written, reviewed = write_report(db, label, out, fmt, as_of=day)
    except DatabaseError as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {out or 'the report'}: {exc.strerror or exc}") from None
    chosen = "" if label else f": {reviewed}, the last complete quarter with incidents"
    typer.echo(f"wrote {written} ({written.stat().st_size // 1024} KB){chosen}")
