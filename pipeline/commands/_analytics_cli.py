"""What the analytics commands (overdue, stats, causes) share: reading a date option, opening
the database, and printing a DataFrame as a rich table, CSV or JSON.

Not a command itself (no `register`), so the CLI frame skips it. Heavy imports stay inside the
functions, so `postmortems --help` does not pay for pandas or duckdb.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise (no traceback, non-zero)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def parse_day(text: str | None, option: str) -> date | None:
    """'2026-07-01' -> date; None stays None; anything else is a one-line error (exit 2)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            f"{option} {text!r} is not a date; expected YYYY-MM-DD, e.g. 2026-07-01"
        ) from None


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in allowed:
        raise fail(f"--format {value!r} is not one of: {', '.join(allowed)}")
    return value


def open_database(db_path: Path):
    """analytics.connect, with a bad database turned into its one-line message and exit 2."""
    from pipeline import analytics
    from pipeline.db import DatabaseError

    try:
        return analytics.connect(db_path)
    except DatabaseError as exc:
        raise fail(str(exc)) from None


def plain(value: Any) -> Any:
    """A value as JSON can carry it: dates as ISO text, NaN/NaT as null, numpy as Python."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy scalars and arrays
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        if type(value).__name__ == "NaTType":  # pandas' NaT is a datetime too: no date, not "NaT"
            return None
        # pandas hands DATE columns back as midnight timestamps: show them as the day
        midnight = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, (str, bool, int, float)) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    return value


def records(df) -> list[dict[str, Any]]:
    return [{col: plain(val) for col, val in row.items()} for row in df.to_dict(orient="records")]


def print_json(data: Any) -> None:
    typer.echo(json.dumps(plain(data), indent=2, ensure_ascii=False))


def cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def print_table(
    title: str, headers: list[str], rows: list[list[Any]], wrap: tuple[str, ...] = ()
) -> None:
    """A rich table on stdout. Columns named in `wrap` fold long text onto more lines; the
    others (ids, dates, numbers) are kept whole, so nothing is cut or split mid-id."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for header in headers:
        if header in wrap:
            table.add_column(header, overflow="fold")
        else:
            table.add_column(header, no_wrap=True)
    for row in rows:
        table.add_row(*(cell(v) for v in row))
    # Piped or captured output has no terminal width to honour: give the table room rather
    # than rich's 80-column default (it only takes the width it needs).
    width = None if sys.stdout.isatty() else 200
    Console(highlight=False, width=width).print(table)
