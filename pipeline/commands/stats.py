"""`postmortems stats`: the headline figures of a period (the same `analytics.headline` the
dashboard's overview and the quarterly report show), each estimate with its n and 95% interval,
and, for a bounded period, each change against the period before with what it may be called."""

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
            "overdue actions, top recurring causes. Each estimate comes with its n and 95% "
            "interval; for a bounded period, each change against the period before says "
            "whether it is detectable ('too few incidents to tell', 'no detectable change').\n\n"
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
    from pipeline.analytics.periods import describe
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
        review = analytics.compare_periods(con, filters, as_of=day)
    finally:
        con.close()
    figures = {"since": first, "until": last, "include_drafts": not no_drafts, **review["now"]}
    figures["top_causes"] = [{"cause": label, "incidents": n} for label, n in figures["top_causes"]]
    before = review["before"]
    if before is not None:
        previous = review["previous"]
        figures["previous"] = {
            "since": previous.since,
            "until": previous.until,
            **{k: v for k, v in before.items() if k not in ("top_causes", "intervals")},
        }
        figures["changes"] = analytics.changes_as_dicts(review["changes"])

    if output == "json":
        print_json(figures)
        return

    def share(value) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}%"

    def minutes(value) -> str:
        return "n/a" if value is None else f"{value:g} min"

    def interval(key: str, how) -> str:
        bounds = figures["intervals"][key]
        if bounds["low"] is None:
            return ""
        return f"{how(bounds['low'])} to {how(bounds['high'])}"

    def change(key: str, how) -> str:
        found = figures.get("changes", {}).get(key)
        if found is None or found["difference"] is None:
            return ""
        sign = "+" if found["difference"] >= 0 else "-"
        text = f"{sign}{how(abs(found['difference']))}"
        if found["verdict"] in ("up", "down"):
            return f"{text} ({how(found['low'])} to {how(found['high'])})"
        return f"{found['words']} ({text})"

    def points(value) -> str:
        return "n/a" if value is None else f"{100 * value:.1f} pts"

    def count(value) -> str:
        return f"{value:.0f}"

    period = f"{first or 'the first incident'} to {last or 'the last incident'}"
    by_severity = figures["by_severity"]
    rows = [
        [
            "Incidents",
            figures["incidents"],
            interval("incidents", count),
            change("incidents", count),
        ],
        *[[f"  {sev}", n, "", ""] for sev, n in by_severity.items()],
        [
            "P0/P1 share",
            share(figures["p0_p1_share"]),
            interval("p0_p1_share", share),
            change("p0_p1_share", points),
        ],
        [
            f"Time to restore, median ({figures['ttr_incidents']} with a restore time)",
            minutes(figures["ttr_median"]),
            interval("ttr_median", minutes),
            change("ttr_median", minutes),
        ],
        [
            "Time to restore, p90",
            minutes(figures["ttr_p90"]),
            interval("ttr_p90", minutes),
            change("ttr_p90", minutes),
        ],
        [
            "Found by customers",
            (
                f"{figures['customer_detected']} ({share(figures['customer_detected_share'])} "
                "of those with a detection method)"
            ),
            interval("customer_detected_share", share),
            change("customer_detected_share", points),
        ],
        ["Open actions", figures["open_actions"], "", ""],
        [f"Overdue actions (as of {figures['as_of']})", figures["overdue_actions"], "", ""],
    ]
    if figures["unknown_severity"]:
        rows.insert(
            1 + len(by_severity) + 1, ["  unknown severity", figures["unknown_severity"], "", ""]
        )
    for n, cause in enumerate(figures["top_causes"], 1):
        rows.append([f"Top cause {n}", f"{cause['cause']} ({cause['incidents']})", "", ""])
    headers = ["Figure", "Value", "95% interval"]
    if before is not None:
        headers.append(f"Against {describe(previous.since, previous.until)}")
    else:
        rows = [row[:3] for row in rows]
    print_table(f"Incidents from {period}", headers, rows, wrap=("Figure", "Value", headers[-1]))
