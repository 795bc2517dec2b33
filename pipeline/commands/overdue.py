"""`postmortems overdue`: the action items past their due date, most urgent first."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.commands._options import DbOption
from pipeline.db import DEFAULT_DB

FORMATS = ("table", "csv", "json")
EXIT_SOME_OVERDUE = 3


def register(app: typer.Typer) -> None:
    app.command(
        "overdue",
        help=(
            "List the action items that are overdue: open (todo or in progress) with a due date "
            "before the as-of date (default today). Actions of P0/P1 incidents come first, then "
            "the most days overdue. Exit code 0 when none is overdue, 3 when some are, so a "
            "scheduled job can alert on it.\n\n"
            "Example: postmortems overdue --team payments --format csv > overdue.csv"
        ),
    )(overdue_command)


def overdue_command(
    db: DbOption = DEFAULT_DB,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day to judge due dates against (YYYY-MM-DD; default today).",
            show_default=False,
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Only this owner's actions (case and a leading @ ignored).",
            show_default=False,
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="Only actions of this team's incidents.", show_default=False),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    from datetime import date

    from pipeline import analytics
    from pipeline.commands._analytics_cli import (
        check_format,
        open_database,
        parse_day,
        print_json,
        print_table,
        records,
    )

    day = parse_day(as_of, "--as-of") or date.today()
    output = check_format(output, FORMATS)
    con = open_database(db)
    try:
        overdue = analytics.overdue_actions(
            con, analytics.Filters(), as_of=day, owner=owner, team=team
        )
    finally:
        con.close()

    if output == "json":
        print_json(records(overdue))
    elif output == "csv":
        typer.echo(overdue.to_csv(index=False), nl=False)
    elif overdue.empty:
        typer.echo(f"No overdue actions as of {day.isoformat()}.")
    else:
        print_table(
            f"{len(overdue)} overdue action(s) as of {day.isoformat()}",
            ["Incident", "Sev", "Action", "Owner", "Team", "Due", "Days overdue", "Status"],
            [
                [
                    r.incident_id,
                    r.severity,
                    r.description,
                    r.owner,
                    r.team,
                    r.due_date,
                    r.days_overdue,
                    r.status,
                ]
                for r in overdue.itertuples(index=False)
            ],
            wrap=("Action", "Owner", "Team", "Status"),
        )
    if not overdue.empty:
        raise typer.Exit(EXIT_SOME_OVERDUE)
