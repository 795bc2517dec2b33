"""`postmortems lint`: check postmortems before they are merged (pre-commit and CI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

FORMATS = ("text", "json")


def register(app: typer.Typer) -> None:
    app.command(
        "lint",
        help=(
            "Check postmortems (*.md, *.markdown under PATH...) and print one finding a line, "
            "'file:line: level code message', the format editors and CI annotate. Finds "
            "template placeholders, missing id/date/severity/status, an empty or backwards "
            "timeline, no 'service restored' event, actions without owner or due date, an "
            "empty 5 Whys, front matter contradicting the body, no detection method, unknown "
            "severity spellings and blame wording. Unfilled parts are errors in a FINAL "
            "postmortem and warnings in a DRAFT. Exit 0 when no error (warnings allowed), 1 "
            "when any error, 2 on bad options.\n\n"
            "Example: postmortems lint postmortems/ --as-of 2026-09-30"
        ),
    )(lint_command)


def lint_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Postmortem files or folders.", show_default=False, metavar="PATH"),
    ],
    output: Annotated[
        str, typer.Option("--format", help="text (file:line: level code message) or json.")
    ] = "text",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Also report open actions due before this day (YYYY-MM-DD). Off by default, "
            "so a postmortem that passes today still passes tomorrow.",
            show_default=False,
        ),
    ] = None,
) -> None:
    from pipeline.commands._analytics_cli import check_format, parse_day
    from pipeline.lint import lint_paths

    output = check_format(output, FORMATS)
    day = parse_day(as_of, "--as-of")
    run = lint_paths(paths, as_of=day)
    if output == "json":
        typer.echo(json.dumps(run.as_dict(), indent=2, ensure_ascii=False))
    else:
        for finding in run.findings:
            typer.echo(finding.as_text())
        typer.echo(
            f"{_counted(run.files, 'file')} checked: {_counted(run.errors, 'error')}, "
            f"{_counted(run.warnings, 'warning')}",
            err=True,
        )
    if run.errors:
        raise typer.Exit(1)


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
