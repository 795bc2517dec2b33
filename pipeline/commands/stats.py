"""`postmortems stats`: the headline figures of a period (the same `analytics.headline` the
dashboard's overview and the quarterly report show)."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.commands._options import DbOption, NoDraftsOption, SinceOption, UntilOption
from pipeline.db import DEFAULT_DB

FORMATS = ("table", "json")


def register(app: typer.Typer) -> None:
    app.command(
        "stats",
        help=(
            "Print the headline figures for a period: incidents by severity, share of P0/P1, "
            "time to restore (median and p90, minutes), share found by customers, open and "
            "overdue actions, top recurring causes.\n\n"
            "Example: postmortems stats --since 2026-07-01 --until 2026-09-30 --format json"
        ),
    )(stats_command)


def stats_command(
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            help="A quarter such as 2026Q3 (instead of --since/--until).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Day overdue actions are judged on (default today).", show_default=False
        ),
    ] = None,
    no_drafts: NoDraftsOption = False,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    from pipeline import analytics
    from pipeline.commands._analytics_cli import (
        check_format,
        fail,
        open_database,
        parse_day,
        print_json,
        print_table,
    )

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if quarter is not None:
        if first or last:
            raise fail("give either --quarter or --since/--until, not both")
        try:
            first, last = analytics.quarter_bounds(quarter)
        except ValueError as exc:
            raise fail(f"--quarter {exc}") from None
    if first and last and first > last:
        raise fail(f"--since {first} is after --until {last}")
    day = parse_day(as_of, "--as-of")
    output = check_format(output, FORMATS)
    filters = analytics.Filters(since=first, until=last, include_drafts=not no_drafts)

    con = open_database(db)
    try:
        figures = analytics.headline(con, filters, as_of=day)
    finally:
        con.close()
    figures = {"since": first, "until": last, "include_drafts": not no_drafts, **figures}
    figures["top_causes"] = [{"cause": label, "incidents": n} for label, n in figures["top_causes"]]

    if output == "json":
        print_json(figures)
        return

    def share(value) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}%"

    def minutes(value) -> str:
        return "n/a" if value is None else f"{value:g} min"

    period = f"{first or 'the first incident'} to {last or 'the last incident'}"
    by_severity = figures["by_severity"]
    rows = [
        ["Incidents", figures["incidents"]],
        *[[f"  {sev}", n] for sev, n in by_severity.items()],
        ["P0/P1 share", share(figures["p0_p1_share"])],
        [
            f"Time to restore, median ({figures['ttr_incidents']} with a timeline)",
            minutes(figures["ttr_median"]),
        ],
        ["Time to restore, p90", minutes(figures["ttr_p90"])],
        [
            "Found by customers",
            (
                f"{figures['customer_detected']} ({share(figures['customer_detected_share'])} "
                "of those with a detection method)"
            ),
        ],
        ["Open actions", figures["open_actions"]],
        [f"Overdue actions (as of {figures['as_of']})", figures["overdue_actions"]],
    ]
    if figures["unknown_severity"]:
        rows.insert(1 + len(by_severity) + 1, ["  unknown severity", figures["unknown_severity"]])
    for n, cause in enumerate(figures["top_causes"], 1):
        rows.append([f"Top cause {n}", f"{cause['cause']} ({cause['incidents']})"])
    print_table(f"Incidents from {period}", ["Figure", "Value"], rows, wrap=("Figure", "Value"))
