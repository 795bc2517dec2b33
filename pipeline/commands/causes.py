"""`postmortems causes`: recurring root causes, ranked by how many incidents they caused; who
placed each incident there; `--explain INCIDENT` says why one incident is where it is."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.commands._options import DbOption, NoDraftsOption, SinceOption, UntilOption
from pipeline.db import DEFAULT_DB

FORMATS = ("table", "json")
MEMBERS_SHOWN = 10
"""Incidents listed per cause in the table (newest first); --format json lists them all."""
CAUSES_DETAILED = 25
"""Causes (of two incidents or more, as ranked) whose incidents the table lists."""


def register(app: typer.Typer) -> None:
    app.command(
        "causes",
        help=(
            "Rank the root-cause clusters by incidents in the period, with first and last "
            "occurrence and whether the cause came back after an earlier incident's "
            "prevention action was marked done; then, per cause, each incident, whether it "
            "was 'pinned' (front matter or causes.yml) or 'found' by the grouping, and what "
            "failed. Entries of causes.yml that matched nothing are listed on stderr with "
            "their file and line. --explain INCIDENT says why one incident is in its group: "
            "who pinned it, or the mechanism the model read with its confidence and the "
            "words that weighed most.\n\n"
            "Example: postmortems causes --since 2026-01-01 --format json\n\n"
            "Example: postmortems causes --explain INC-2026-03-14-001"
        ),
    )(causes_command)


def causes_command(
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    no_drafts: NoDraftsOption = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="INCIDENT",
            help="Say why this incident is in its cause group (the other filters are ignored).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    from pipeline import analytics
    from pipeline.commands._analytics_cli import check_format, open_database, parse_day

    filters = analytics.Filters(
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        include_drafts=not no_drafts,
    )
    output = check_format(output, FORMATS)
    con = open_database(db)
    try:
        if explain is not None:
            _explain(con, explain.strip(), output, db)
            return
        causes = analytics.recurring_causes(con, filters)
        members = analytics.cause_occurrences(con, filters)
        problems = analytics.correction_problems(con)
    finally:
        con.close()
    _print_causes(causes, members, output)
    _warn_corrections(problems)


def _explain(con, incident_id: str, output: str, db) -> None:
    from pipeline import analytics
    from pipeline.commands._analytics_cli import fail, print_json

    explanation = analytics.explain_cause(con, incident_id)
    if explanation is None:
        raise fail(f"no incident {incident_id!r} in {db}; `postmortems causes` lists them")
    if output == "json":
        print_json(explanation)
    else:
        for line in analytics.explanation_lines(explanation):
            typer.echo(line)


def _print_causes(causes, members, output: str) -> None:
    from pipeline.commands._analytics_cli import print_json, print_table, records
    from pipeline.presentation import recurrence_verdict

    by_cluster = _members_by_cluster(members)
    if output == "json":
        rows = records(causes)
        for row in rows:
            row["members"] = by_cluster.get(int(row["cluster_id"]), [])
        print_json(rows)
        return
    if causes.empty:
        typer.echo("No incidents with a root cause in this period.")
        return
    ranked = list(causes.itertuples(index=False))
    print_table(
        "Recurring root causes",
        ["#", "Cause", "Incidents", "Pinned", "First", "Last", "Recurred after fix",
         "Incident ids"],
        [
            [
                n,
                r.cluster_label,
                r.incidents,
                r.pinned,
                r.first_seen,
                r.last_seen,
                recurrence_verdict(
                    r.recurred_after_fix, r.recurrences_after_fix, r.naming_a_service
                ).replace("yes", "YES"),
                r.incident_ids,
            ]
            for n, r in enumerate(ranked, 1)
        ],
        wrap=("Cause", "Incident ids"),
    )  # fmt: skip
    # What failed each time matters where a group holds several incidents (it may be two
    # causes); the table stays readable on a large corpus, the JSON holds every incident.
    rows, shown = [], 0
    for n, r in enumerate(ranked, 1):
        group = by_cluster.get(int(r.cluster_id), [])
        if len(group) < 2 or shown == CAUSES_DETAILED:
            continue
        shown += 1
        for m in reversed(group[-MEMBERS_SHOWN:]):
            rows.append(
                [n, m["incident_id"], m["incident_date"], m["assignment"], m["what_failed"]]
            )
        if len(group) > MEMBERS_SHOWN:
            rows.append([n, f"… {len(group) - MEMBERS_SHOWN} older", "", "", ""])
    if rows:
        print_table(
            "What failed each time, newest first (pinned: placed by the front matter or "
            "causes.yml; --format json lists every incident)",
            ["#", "Incident", "Date", "Assignment", "What failed"],
            rows,
            wrap=("What failed",),
        )


def _members_by_cluster(members) -> dict[int, list[dict]]:
    """cluster id -> its incidents, oldest first, as plain dicts (built in one pass: a
    large corpus has thousands of groups)."""
    days = members["incident_date"].dt.strftime("%Y-%m-%d")
    out: dict[int, list[dict]] = {}

    def optional(column: str) -> list:
        return members[column].astype(object).where(members[column].notna(), None).tolist()

    for (
        cluster_id,
        incident_id,
        day,
        severity,
        assignment,
        what_failed,
        recurred,
        fixed_in,
        on,
    ) in zip(
        members["cluster_id"].tolist(),
        members["incident_id"].tolist(),
        days.where(days.notna(), None).tolist(),
        optional("severity"),
        members["assignment"].tolist(),
        members["what_failed"].tolist(),
        members["recurred_after_fix"].tolist(),
        optional("fixed_in_incident_id"),
        optional("fixed_service"),
        strict=True,
    ):
        out.setdefault(int(cluster_id), []).append(
            {
                "incident_id": incident_id,
                "incident_date": day,
                "severity": severity,
                "assignment": assignment,
                "what_failed": what_failed,
                # a recurrence: after the fix done in that earlier incident, on that service
                "recurred_after_fix": bool(recurred),
                "fixed_in_incident_id": fixed_in,
                "fixed_service": on,
            }
        )
    return out


def _warn_corrections(problems) -> None:
    """What of causes.yml changed nothing: on stderr, so the JSON on stdout stays whole."""
    from pipeline.commands._analytics_cli import plain

    for p in problems.itertuples(index=False):
        line = plain(p.line)
        where = p.source_path if line is None else f"{p.source_path}:{int(line)}"
        typer.echo(f"warning: {where}: {p.message}", err=True)
