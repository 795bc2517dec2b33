"""`postmortems causes`: recurring root causes, ranked by how many incidents they caused."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.commands._options import DbOption, NoDraftsOption, SinceOption, UntilOption
from pipeline.db import DEFAULT_DB

FORMATS = ("table", "json")


def register(app: typer.Typer) -> None:
    app.command(
        "causes",
        help=(
            "Rank the root-cause clusters by incidents in the period, with first and last "
            "occurrence and whether the cause came back after an earlier incident's "
            "prevention action was marked done.\n\n"
            "Example: postmortems causes --since 2026-01-01 --format json"
        ),
    )(causes_command)


def causes_command(
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    no_drafts: NoDraftsOption = False,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    from pipeline import analytics
    from pipeline.commands._analytics_cli import (
        check_format,
        open_database,
        parse_day,
        print_json,
        print_table,
        records,
    )

    filters = analytics.Filters(
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        include_drafts=not no_drafts,
    )
    output = check_format(output, FORMATS)
    con = open_database(db)
    try:
        causes = analytics.recurring_causes(con, filters)
    finally:
        con.close()

    if output == "json":
        print_json(records(causes))
    elif causes.empty:
        typer.echo("No incidents with a root cause in this period.")
    else:
        print_table(
            "Recurring root causes",
            ["#", "Cause", "Incidents", "First", "Last", "Recurred after fix", "Incident ids"],
            [
                [
                    n,
                    r.cluster_label,
                    r.incidents,
                    r.first_seen,
                    r.last_seen,
                    f"YES ({r.recurrences_after_fix})" if r.recurred_after_fix else "no",
                    r.incident_ids,
                ]
                for n, r in enumerate(causes.itertuples(index=False), 1)
            ],
            wrap=("Cause", "Incident ids"),
        )
