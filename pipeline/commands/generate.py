"""`postmortems generate`: write a synthetic corpus of postmortems (demo data, benchmarks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: {option} {value!r} is not a date like 2026-11-27", err=True)
        raise typer.Exit(2) from None


def generate(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the .md files into (created).")
    ],
    count: Annotated[int, typer.Option("--count", min=0, help="How many postmortems to write.")],
    seed: Annotated[
        int, typer.Option("--seed", help="Same seed, dates and count give byte-identical files.")
    ] = 0,
    start: Annotated[
        str | None,
        typer.Option("--start", help="First incident date (default: END minus 2 years)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--end",
            help="Last incident date, and the 'today' action statuses are drawn for (default: today).",
        ),
    ] = None,
    truth: Annotated[
        Path | None,
        typer.Option(
            "--truth", help="Also write one JSON line of true values per file (theme...)."
        ),
    ] = None,
) -> None:
    """Write COUNT synthetic postmortems in the template, with realistic content and quirks.

    Example: postmortems generate --out data/corpus --count 150 --seed 2026 --start 2024-11-28 --end 2026-11-27
    """
    from datetime import timedelta

    from devtools.generate import generate_corpus, write_corpus

    end_date = _parse_date(end, "--end") or date.today()
    start_date = _parse_date(start, "--start") or end_date - timedelta(days=730)
    if start_date > end_date:
        typer.echo(f"error: --start {start_date} is after --end {end_date}", err=True)
        raise typer.Exit(2)
    if out.exists() and not out.is_dir():
        typer.echo(f"error: {out} exists and is not a folder", err=True)
        raise typer.Exit(2)
    try:
        written = write_corpus(generate_corpus(count, seed, start_date, end_date), out, truth)
    except OSError as exc:
        typer.echo(f"error: cannot write to {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"wrote {written} postmortems to {out} "
        f"(reproduce: --count {count} --seed {seed} --start {start_date} --end {end_date})"
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
