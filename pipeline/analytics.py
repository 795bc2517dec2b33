"""Every metric, defined once. The dashboard, the CLI and the report call these functions.

Each function takes an open DuckDB connection (`connect`) and a `Filters`, and returns a pandas
DataFrame (or a dict) with the columns named in its docstring. The per-row facts live in SQL
views, `pipeline/sql/views/*.sql`, created by ingest and readable from a DuckDB shell:

    quarter_label(d), month_label(d)   the '2026Q3' / '2026-07' labels (macros)
    incident_facts      one row per incident + quarter/month labels, is_draft, is_p0_p1
    response_times      incident_id, metric, minutes (clock starts at the first alert)
    incident_detection  methods ticked, customer_detected, time_to_detect per incident
    action_facts        one row per action: is_open / is_done / is_wont_do / days_to_close
    actions_as_of(d)    action_facts + is_overdue / days_overdue as of day d (a table macro)
    service_hits        incident per service with the previous hit of that service
    incident_links      Related Incidents rows with the loaded incident they name
    cause_occurrences   root-cause cluster members with recurred_after_fix

This module only filters and aggregates those facts. How it does that, everywhere:

- Filters reach SQL as bound parameters, never formatted into the text; the few identifiers
  that vary (the grouping column) come from fixed allow-lists.
- Percentiles are DuckDB's `quantile_cont`: linear interpolation between the two nearest
  ranks, position (n - 1) * q over the sorted values (numpy's default 'linear', Excel's
  PERCENTILE.INC). So the median of an even count is the mean of the two middle values, and
  p90 of [10, 20, 30, 40] is 37. Distributions are reported as count, median, p90 and max,
  never as a mean: incident durations are heavily right-skewed.
- All times and durations are minutes; days are whole calendar days.
- Quarters are labelled '2026Q3', months '2026-07'; an unknown date or severity is grouped
  as 'unknown'.
- `as_of` (for overdue) defaults to today; an action due on `as_of` itself is not overdue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.db import open_readonly

SEVERITY_ORDER = ("P0", "P1", "P2", "P3")
RESPONSE_METRICS = (
    "time_to_acknowledge",
    "time_to_root_cause",
    "time_to_mitigate",
    "time_to_restore",
    "duration",
)
UNKNOWN = "unknown"
NO_OWNER = "(no owner)"
NO_TEAM = "(no team)"

# The only identifiers that vary between queries: the public name -> the SQL expression over
# `incident_facts i`. Anything else is refused before it gets near SQL.
_INCIDENT_GROUPS = {
    "severity": f"coalesce(i.severity, '{UNKNOWN}')",
    "quarter": f"coalesce(i.quarter, '{UNKNOWN}')",
}
_PERIODS = {  # period -> (the column of its first day, the step between periods, its label macro)
    "quarter": ("i.quarter_start", "3 month", "quarter_label"),
    "month": ("i.month_start", "1 month", "month_label"),
}
_ACTION_GROUPS = {
    "owner": f"coalesce(a.owner, '{NO_OWNER}')",
    "team": f"coalesce(a.team, '{NO_TEAM}')",
}
_QUARTER_LABEL = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Filters:
    """The filters every query accepts. Empty tuples mean 'all'."""

    since: date | None = None
    """Incidents with incident_date >= since."""
    until: date | None = None
    """Incidents with incident_date <= until."""
    severities: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    """Incidents that hit at least one of these services."""
    include_drafts: bool = True
    """False leaves out incidents whose status is DRAFT (an unknown status is kept)."""


@dataclass
class _Where:
    """A WHERE clause over `incident_facts i` and its bound parameters, in order."""

    sql: str
    params: list[Any] = field(default_factory=list)


def _where(f: Filters) -> _Where:
    clauses: list[str] = ["true"]
    params: list[Any] = []
    if f.since is not None:
        clauses.append("i.incident_date >= ?")
        params.append(f.since)
    if f.until is not None:
        clauses.append("i.incident_date <= ?")
        params.append(f.until)
    if f.severities:
        clauses.append("list_contains(?::VARCHAR[], i.severity)")
        params.append(list(f.severities))
    if f.teams:
        clauses.append("list_contains(?::VARCHAR[], i.team)")
        params.append(list(f.teams))
    if f.services:
        clauses.append("list_has_any(i.services, ?::VARCHAR[])")
        params.append(list(f.services))
    if not f.include_drafts:
        clauses.append("not i.is_draft")
    return _Where(" and ".join(clauses), params)


def _df(con, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _limited(sql: str, params: list[Any], limit: int | None) -> tuple[str, list[Any]]:
    """Append a bound LIMIT (for lists a page shows only the top of; None = every row)."""
    if limit is None:
        return sql, params
    if int(limit) < 0:
        raise ValueError("limit must be 0 or more")
    return f"{sql}\n limit ?", [*params, int(limit)]


def _today(as_of: date | None) -> date:
    return as_of if as_of is not None else date.today()


def _choice(value: str | None, allowed: dict, what: str):
    if value not in allowed:
        raise ValueError(f"{what} must be one of {sorted(k for k in allowed if k)}, not {value!r}")
    return allowed[value]


# ---------------------------------------------------------------------------------------------
# Opening, filter choices, quarters


def connect(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the database read-only; raises DatabaseError (one-line message saying what to run)
    when the file is missing, not DuckDB, or from an older schema."""
    return open_readonly(db_path)


def filter_options(con) -> dict[str, Any]:
    """{'severities': [...], 'teams': [...], 'services': [...], 'min_date': date|None,
    'max_date': date|None} over every loaded incident (severities in P0..P3 order)."""
    severities = [
        r[0]
        for r in con.execute(
            "select distinct severity from incidents where severity is not null"
        ).fetchall()
    ]
    rank = {s: n for n, s in enumerate(SEVERITY_ORDER)}
    severities.sort(key=lambda s: (rank.get(s, len(rank)), s))
    teams = [
        r[0]
        for r in con.execute(
            "select distinct team from incidents where team is not null order by team"
        ).fetchall()
    ]
    services = [
        r[0]
        for r in con.execute(
            "select distinct unnest(services) as s from incidents order by s"
        ).fetchall()
        if r[0] is not None
    ]
    min_date, max_date = con.execute(
        "select min(incident_date), max(incident_date) from incidents"
    ).fetchone()
    return {
        "severities": severities,
        "teams": teams,
        "services": services,
        "min_date": min_date,
        "max_date": max_date,
    }


def quarter_bounds(label: str) -> tuple[date, date]:
    """'2026Q3' -> (2026-07-01, 2026-09-30). Raises ValueError for anything else."""
    match = _QUARTER_LABEL.match(label.strip().upper()) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"{label!r} is not a quarter; expected e.g. 2026Q3")
    year, q = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * q - 2, 1)
    last = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def previous_quarter(label: str) -> str:
    """'2026Q1' -> '2025Q4'."""
    first, _ = quarter_bounds(label)
    year, q = first.year, (first.month - 1) // 3 + 1
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def quarter_filters(f: Filters, label: str) -> Filters:
    """The same filters, narrowed to one quarter (for the report and the overview tiles)."""
    first, last = quarter_bounds(label)
    return Filters(
        since=first,
        until=last,
        severities=f.severities,
        teams=f.teams,
        services=f.services,
        include_drafts=f.include_drafts,
    )


# ---------------------------------------------------------------------------------------------
# Incidents


_INCIDENT_COLUMNS = """
    i.incident_id, i.title, i.status, i.severity, i.incident_date, i.quarter, i.team,
    i.services, i.tags, i.duration_minutes, i.duration_derived, i.users_affected,
    i.traffic_pct, i.data_loss, i.completeness, i.summary, i.source_path
"""


def incidents(con, f: Filters, search: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Incidents in view, newest first: incident_id, title, status, severity, incident_date,
    quarter, team, services, tags, duration_minutes, duration_derived, users_affected,
    traffic_pct, data_loss, completeness, summary, source_path.

    `search` (case-insensitive substring, not a pattern) matches the id, title, summary, what
    happened, root cause, detection gap, fixes and services."""
    w = _where(f)
    sql = f"select {_INCIDENT_COLUMNS} from incident_facts i where {w.sql}"
    params = list(w.params)
    if search and search.strip():
        sql += """
            and contains(lower(concat_ws(' ', i.incident_id, i.title, i.summary,
                i.what_happened, i.root_cause, i.detection_gap, i.immediate_fix,
                i.permanent_fix, array_to_string(i.services, ' '))), lower(?))
        """
        params.append(search.strip())
    sql += " order by i.incident_date desc nulls last, i.incident_id"
    return _df(con, *_limited(sql, params, limit))


def incident_counts(con, f: Filters, period: str = "quarter") -> pd.DataFrame:
    """Incidents per period and severity: period ('2026Q3' or '2026-07'), severity
    ('P0'..'P3' or 'unknown'), incidents.

    Every period between the first and last one in view is listed, with a row per severity
    seen in view (0 where none), so a chart's time axis has no silent gaps."""
    start_col, step, label = _choice(period, _PERIODS, "period")
    w = _where(f)
    sql = f"""
        with in_view as (
            select {start_col} as period_start, coalesce(i.severity, '{UNKNOWN}') as severity
            from incident_facts i
            where {w.sql} and i.incident_date is not null
        ),
        periods as (
            select cast(unnest(generate_series(min(period_start), max(period_start),
                interval '{step}')) as date) as period_start
            from in_view
        ),
        severities as (select distinct severity from in_view),
        counts as (
            select period_start, severity, count(*) as incidents
            from in_view group by all
        ),
        final as (
            select
                p.period_start,
                {label}(p.period_start) as period,
                s.severity,
                coalesce(c.incidents, 0) as incidents
            from periods p
            cross join severities s
            left join counts c using (period_start, severity)
        )
        select * from final
    """
    out = _df(con, sql, w.params)
    out["incidents"] = out["incidents"].astype("int64")
    out["_rank"] = out["severity"].map(_severity_rank)
    out = out.sort_values(["period_start", "_rank"]).reset_index(drop=True)
    return out[["period", "severity", "incidents"]]


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def severity_share(con, f: Filters) -> pd.DataFrame:
    """Per quarter (every quarter from the first to the last in view): quarter, incidents,
    p0_p1, p0_p1_share (p0_p1 / incidents; an unknown severity counts in the denominator),
    change_pct (incidents against the previous quarter, in percent; NULL for the first quarter
    or after a quarter with none), p0_p1_share_change (percentage points against the previous
    quarter)."""
    w = _where(f)
    sql = f"""
        with in_view as (
            select i.quarter_start, i.is_p0_p1
            from incident_facts i
            where {w.sql} and i.incident_date is not null
        ),
        quarters as (
            select cast(unnest(generate_series(min(quarter_start), max(quarter_start),
                interval '3 month')) as date) as quarter_start
            from in_view
        ),
        counts as (
            select quarter_start, count(*) as incidents, count(*) filter (is_p0_p1) as p0_p1
            from in_view group by quarter_start
        ),
        per_quarter as (
            select
                q.quarter_start,
                quarter_label(q.quarter_start) as quarter,
                coalesce(c.incidents, 0) as incidents,
                coalesce(c.p0_p1, 0) as p0_p1
            from quarters q left join counts c using (quarter_start)
        ),
        final as (
            select
                quarter,
                incidents,
                p0_p1,
                p0_p1 / nullif(incidents, 0) as p0_p1_share,
                100.0 * (incidents - lag(incidents) over w) / nullif(lag(incidents) over w, 0)
                    as change_pct,
                100.0 * (p0_p1 / nullif(incidents, 0)
                    - lag(p0_p1 / nullif(incidents, 0)) over w) as p0_p1_share_change
            from per_quarter
            window w as (order by quarter_start)
        )
        select * from final order by quarter
    """
    return _df(con, sql, w.params)


# ---------------------------------------------------------------------------------------------
# Response times


def response_times(con, f: Filters, by: str | None = None) -> pd.DataFrame:
    """Distributions in minutes. by None|'severity'|'quarter'. Columns: [by], metric
    ('time_to_acknowledge'|'time_to_root_cause'|'time_to_mitigate'|'time_to_restore'|'duration'),
    incidents (count having the figure), median, p90, max.

    Defined in view `response_times` (clock starts at the first alert; see that file).
    median and p90 are `quantile_cont` (linear interpolation; see the module docstring). Every
    metric gets a row per group, with incidents = 0 and NULL figures where no incident of the
    group has it, so "no data" is visible rather than missing."""
    # Ungrouped, every incident is in one group, which exists even when no incident is in view.
    group = _choice(by, {None: "'all'", **_INCIDENT_GROUPS}, "by")
    groups = "select distinct grp from in_view" if by else "select 'all' as grp"
    w = _where(f)
    sql = f"""
        with in_view as (
            select i.incident_id, {group} as grp
            from incident_facts i
            where {w.sql}
        ),
        groups as ({groups}),
        metrics as (
            select
                unnest(?::VARCHAR[]) as metric,
                generate_subscripts(?::VARCHAR[], 1) as metric_rank
        ),
        stats as (
            select
                v.grp,
                r.metric,
                count(*) as incidents,
                quantile_cont(r.minutes, 0.5) as median,
                quantile_cont(r.minutes, 0.9) as p90,
                max(r.minutes) as max
            from in_view v
            inner join response_times r using (incident_id)
            group by v.grp, r.metric
        ),
        final as (
            select
                g.grp,
                m.metric,
                coalesce(s.incidents, 0) as incidents,
                s.median,
                s.p90,
                s.max,
                m.metric_rank
            from groups g
            cross join metrics m
            left join stats s using (grp, metric)
        )
        select * from final
    """
    metrics = list(RESPONSE_METRICS)
    out = _df(con, sql, [*w.params, metrics, metrics])
    rank = out["grp"].map(_severity_rank) if by == "severity" else out["grp"]
    out = out.assign(_rank=rank).sort_values(["_rank", "metric_rank"]).reset_index(drop=True)
    out["incidents"] = out["incidents"].astype("int64")
    columns = ["metric", "incidents", "median", "p90", "max"]
    if by is None:
        return out[columns]
    return out.rename(columns={"grp": by})[[by, *columns]]


def response_time_values(con, f: Filters, metric: str | None = None) -> pd.DataFrame:
    """One row per incident and metric, for box/strip plots: incident_id, severity, quarter,
    metric, minutes (the rows `response_times` aggregates). `metric` keeps one metric's rows
    (a chart draws one; on 100k incidents all five are ~460k rows)."""
    w = _where(f)
    metrics = (
        list(RESPONSE_METRICS)
        if metric is None
        else [_choice(metric, {m: m for m in RESPONSE_METRICS}, "metric")]
    )
    sql = f"""
        select
            i.incident_id,
            coalesce(i.severity, '{UNKNOWN}') as severity,
            coalesce(i.quarter, '{UNKNOWN}') as quarter,
            r.metric,
            r.minutes
        from response_times r
        inner join incident_facts i using (incident_id)
        where {w.sql} and list_contains(?::VARCHAR[], r.metric)
        order by list_position(?::VARCHAR[], r.metric), i.incident_id
    """
    return _df(con, sql, [*w.params, metrics, list(RESPONSE_METRICS)])


# ---------------------------------------------------------------------------------------------
# Detection


def detection_share(con, f: Filters, by: str = "quarter") -> pd.DataFrame:
    """by ('quarter'|'severity'), method, incidents, share.

    incidents = incidents of the group with that method ticked; share = that over the
    incidents of the group with any method ticked (`with_method_known`, also returned). Several
    methods can be ticked for one incident, so the shares of a group can add up to more than 1.
    """
    group = _choice(by, _INCIDENT_GROUPS, "by")
    w = _where(f)
    sql = f"""
        with in_view as (
            select i.incident_id, {group} as grp
            from incident_facts i
            inner join incident_detection d using (incident_id)
            where {w.sql} and d.method_known
        ),
        known as (select grp, count(*) as with_method_known from in_view group by grp),
        hits as (
            select v.grp, h.method, count(*) as incidents
            from in_view v inner join detection_hits h using (incident_id)
            group by all
        ),
        final as (
            select
                hits.grp as {by},
                hits.method,
                hits.incidents,
                hits.incidents / known.with_method_known as share,
                known.with_method_known
            from hits inner join known using (grp)
        )
        select * from final order by {by}, incidents desc, method
    """
    out = _df(con, sql, w.params)
    if by == "severity" and not out.empty:
        out["_rank"] = out["severity"].map(_severity_rank)
        out = out.sort_values(["_rank", "incidents", "method"], ascending=[True, False, True])
        out = out.drop(columns="_rank").reset_index(drop=True)
    return out


def customer_detected(con, f: Filters) -> pd.DataFrame:
    """Incidents found by customers ('customer_report' ticked), newest first: incident_id,
    title, severity, incident_date, detection_gap, methods."""
    w = _where(f)
    sql = f"""
        select i.incident_id, i.title, i.severity, i.incident_date, i.detection_gap, d.methods
        from incident_facts i
        inner join incident_detection d using (incident_id)
        where {w.sql} and d.customer_detected
        order by i.incident_date desc nulls last, i.incident_id
    """
    return _df(con, sql, w.params)


def time_to_detect(con, f: Filters) -> pd.DataFrame:
    """incident_id, severity, quarter, minutes (impact start to first alert, where both known
    and the alert is not earlier; view `incident_detection`)."""
    w = _where(f)
    sql = f"""
        select
            i.incident_id,
            coalesce(i.severity, '{UNKNOWN}') as severity,
            coalesce(i.quarter, '{UNKNOWN}') as quarter,
            d.time_to_detect as minutes
        from incident_facts i
        inner join incident_detection d using (incident_id)
        where {w.sql} and d.time_to_detect is not null
        order by i.incident_date, i.incident_id
    """
    return _df(con, sql, w.params)


def detection_gaps(
    con, f: Filters, search: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """incident_id, title, severity, incident_date, detection_gap: the incidents in view with a
    detection-gap text, newest first; `search` is a case-insensitive substring of the text."""
    w = _where(f)
    sql = f"""
        select i.incident_id, i.title, i.severity, i.incident_date, i.detection_gap
        from incident_facts i
        where {w.sql} and nullif(trim(i.detection_gap), '') is not null
    """
    params = list(w.params)
    if search and search.strip():
        sql += " and contains(lower(i.detection_gap), lower(?))"
        params.append(search.strip())
    sql += " order by i.incident_date desc nulls last, i.incident_id"
    return _df(con, *_limited(sql, params, limit))


# ---------------------------------------------------------------------------------------------
# Action items


def overdue_actions(
    con,
    f: Filters,
    as_of: date | None = None,
    owner: str | None = None,
    team: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Most urgent first (P0/P1 first, then days overdue, most first): incident_id, severity,
    title, action_id, description, owner, team, due_date, days_overdue, status.

    Overdue (macro `actions_as_of`): open (todo/in_progress) and due_date < as_of (default
    today). Due today is not overdue; done and won't-do never are. `owner` matches the owner
    ignoring case and a leading '@'; `team` matches the incident's team ignoring case."""
    w = _where(f)
    sql = f"""
        select
            a.incident_id, a.severity, a.title, a.action_id, a.description, a.owner, a.team,
            a.due_date, a.days_overdue, a.status
        from actions_as_of(?) a
        inner join incident_facts i using (incident_id)
        where {w.sql} and a.is_overdue
    """
    params: list[Any] = [_today(as_of), *w.params]
    if owner is not None and owner.strip():
        sql += " and lower(a.owner) = lower(?)"
        params.append(owner.strip().lstrip("@"))
    if team is not None and team.strip():
        sql += " and lower(a.team) = lower(?)"
        params.append(team.strip())
    sql += """
        order by a.is_p0_p1 desc, a.days_overdue desc, a.severity nulls last,
                 a.incident_id, a.line nulls last, a.action_id
    """
    return _df(con, *_limited(sql, params, limit))


def action_summary(con, f: Filters, as_of: date | None = None) -> pd.DataFrame:
    """One row over the actions of the incidents in view: total, open, overdue, done, wont_do,
    no_owner, no_due_date (counts of actions; overdue as in `overdue_actions`)."""
    w = _where(f)
    sql = f"""
        select
            count(*) as total,
            count(*) filter (a.is_open) as open,
            count(*) filter (a.is_overdue) as overdue,
            count(*) filter (a.is_done) as done,
            count(*) filter (a.is_wont_do) as wont_do,
            count(*) filter (a.owner is null) as no_owner,
            count(*) filter (a.due_date is null) as no_due_date
        from actions_as_of(?) a
        inner join incident_facts i using (incident_id)
        where {w.sql}
    """
    return _df(con, sql, [_today(as_of), *w.params])


def action_completion(
    con, f: Filters, by: str = "owner", as_of: date | None = None
) -> pd.DataFrame:
    """by ('owner'|'team'), actions, done, wont_do, completion_rate, median_days_to_close,
    overdue; most actions first.

    completion_rate = done / (actions - wont_do): a won't-do was decided against, so it is
    neither outstanding nor completed work (NULL when every action is won't-do).
    median_days_to_close: median (quantile_cont) of action_facts.days_to_close over the done
    actions (incident date to the postmortem's Last Updated date; see 40_actions.sql).
    Actions with no owner group as '(no owner)'; team is the incident's team, '(no team)'."""
    group = _choice(by, _ACTION_GROUPS, "by")
    w = _where(f)
    sql = f"""
        select
            {group} as {by},
            count(*) as actions,
            count(*) filter (a.is_done) as done,
            count(*) filter (a.is_wont_do) as wont_do,
            count(*) filter (a.is_done)
                / nullif(count(*) - count(*) filter (a.is_wont_do), 0) as completion_rate,
            quantile_cont(a.days_to_close, 0.5) as median_days_to_close,
            count(*) filter (a.is_overdue) as overdue
        from actions_as_of(?) a
        inner join incident_facts i using (incident_id)
        where {w.sql}
        group by all
        order by actions desc, {by}
    """
    return _df(con, sql, [_today(as_of), *w.params])


def closed_actions(
    con, f: Filters, closed_since: date, closed_until: date, limit: int | None = None
) -> pd.DataFrame:
    """Done actions whose closing falls in [closed_since, closed_until], newest first:
    incident_id, severity, title, action_id, description, owner, team, category, closed_by,
    days_to_close, incident_date.

    closed_by is the postmortem's Last Updated date: the template has no done date per action,
    and the last update is the latest day the "done" can have been written (the proxy
    action_facts.days_to_close uses too). The date filters of `f` still apply to the incident
    date; pass Filters without dates to count an older incident's action closed in the window
    (the quarterly report's "newly closed")."""
    w = _where(f)
    sql = f"""
        select
            a.incident_id, a.severity, a.title, a.action_id, a.description, a.owner, a.team,
            a.category, a.last_updated as closed_by, a.days_to_close, a.incident_date
        from action_facts a
        inner join incident_facts i using (incident_id)
        where {w.sql} and a.is_done and a.last_updated between ? and ?
        order by a.last_updated desc, a.incident_id, a.line nulls last, a.action_id
    """
    return _df(con, *_limited(sql, [*w.params, closed_since, closed_until], limit))


def actions_missing_owner_or_due(con, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """incident_id, action_id, description, owner, due_text, missing ('owner'|'due_date'|'both'),
    status, severity: every action (whatever its status) with no owner or no calendar due date
    (a due text like 'TBD' or 'Q1 2022' is not a date)."""
    w = _where(f)
    sql = f"""
        select
            a.incident_id, a.action_id, a.description, a.owner, a.due_text,
            case
                when a.owner is null and a.due_date is null then 'both'
                when a.owner is null then 'owner'
                else 'due_date'
            end as missing,
            a.status,
            a.severity
        from action_facts a
        inner join incident_facts i using (incident_id)
        where {w.sql} and (a.owner is null or a.due_date is null)
        order by a.incident_id, a.line nulls last, a.action_id
    """
    return _df(con, *_limited(sql, w.params, limit))


# ---------------------------------------------------------------------------------------------
# Repeats and links


def repeat_incidents(con, f: Filters, within_days: int = 30) -> pd.DataFrame:
    """service, incident_id, incident_date, previous_incident_id, previous_date, days_between:
    an incident in view that hit a service already hit by another incident at most
    `within_days` days before (view `service_hits`; the previous hit may be outside the
    filters). A service filter keeps only the services asked for."""
    if int(within_days) < 0:
        raise ValueError("within_days must be 0 or more")
    w = _where(f)
    sql = f"""
        select s.service, s.incident_id, s.incident_date, s.previous_incident_id,
               s.previous_date, s.days_between
        from service_hits s
        inner join incident_facts i using (incident_id)
        where {w.sql} and s.previous_incident_id is not null and s.days_between <= ?
    """
    params = [*w.params, int(within_days)]
    if f.services:
        sql += " and list_contains(?::VARCHAR[], s.service)"
        params.append(list(f.services))
    sql += " order by s.incident_date desc, s.service, s.incident_id"
    return _df(con, sql, params)


def linked_incidents(con, f: Filters) -> pd.DataFrame:
    """incident_id, reference, linked_incident_id (when the reference names a loaded incident),
    text: the Related Incidents entries of the incidents in view (view `incident_links`)."""
    w = _where(f)
    sql = f"""
        select l.incident_id, l.reference, l.linked_incident_id, l.text
        from incident_links l
        inner join incident_facts i using (incident_id)
        where {w.sql}
        order by l.incident_id, l.line nulls last
    """
    return _df(con, sql, w.params)


# ---------------------------------------------------------------------------------------------
# Recurring causes


def recurring_causes(con, f: Filters, with_incident_ids: bool = True) -> pd.DataFrame:
    """Ranked by incidents in view (then the most recent, then the label): cluster_id,
    cluster_label, incidents, first_seen, last_seen, recurred_after_fix, recurrences_after_fix
    (how many of its incidents in view are such recurrences: on a large corpus nearly every
    cluster has recurred once, the count tells them apart), incident_ids (list, oldest first).

    Counts, first_seen and last_seen use only the incidents in view. recurred_after_fix is
    true when any incident of the cluster in view is flagged in view `cause_occurrences`: it
    happened after the "Last Updated" date of an earlier incident of the same cluster whose
    postmortem records a done prevention action (category 'prevention'; or any done action
    when that postmortem categorises none). The template has no done date per action, so the
    earlier postmortem's last update, the latest day the "done" can have been written, stands
    for it: a recurrence is only flagged when it surely came after the fix was marked done.
    The earlier incident may be outside the filters. `with_incident_ids=False` leaves the
    incident_ids column out (the headline needs only the ranking; the lists are costly at 100k)."""
    w = _where(f)
    ids = (
        ", list(c.incident_id order by c.incident_date, c.incident_id) as incident_ids"
        if with_incident_ids
        else ""
    )
    sql = f"""
        select
            c.cluster_id,
            any_value(c.cluster_label) as cluster_label,
            count(*) as incidents,
            min(c.incident_date) as first_seen,
            max(c.incident_date) as last_seen,
            bool_or(c.recurred_after_fix) as recurred_after_fix,
            count(*) filter (c.recurred_after_fix) as recurrences_after_fix
            {ids}
        from cause_occurrences c
        inner join incident_facts i using (incident_id)
        where {w.sql}
        group by c.cluster_id
        order by incidents desc, last_seen desc nulls last, cluster_label, c.cluster_id
    """
    return _df(con, sql, w.params)


def cause_occurrences(con, f: Filters, cluster_id: int | None = None) -> pd.DataFrame:
    """cluster_id, cluster_label, incident_id, incident_date, severity, recurred_after_fix,
    fixed_in_incident_id, fix_done_by: the incidents in view with a cluster, oldest first
    (the flag as defined in `recurring_causes`); only one cluster's when `cluster_id` is given."""
    w = _where(f)
    sql = f"""
        select c.cluster_id, c.cluster_label, c.incident_id, c.incident_date, c.severity,
               c.recurred_after_fix, c.fixed_in_incident_id, c.fix_done_by
        from cause_occurrences c
        inner join incident_facts i using (incident_id)
        where {w.sql} and (?::INTEGER is null or c.cluster_id = ?::INTEGER)
        order by c.cluster_id, c.incident_date, c.incident_id
    """
    return _df(con, sql, [*w.params, cluster_id, cluster_id])


# ---------------------------------------------------------------------------------------------
# Headline and one incident


def _none_if_nan(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def headline(con, f: Filters, as_of: date | None = None, top: int = 5) -> dict:
    """The headline figures for a period (stats CLI, report, overview tiles):

    incidents; by_severity {P0..P3: n} (unknown_severity counts the rest); p0_p1_share
    (P0+P1 over all incidents in view); ttr_incidents, ttr_median, ttr_p90 (time_to_restore
    from `response_times`, minutes); customer_detected and customer_detected_share (over the
    incidents with a detection method ticked); open_actions, overdue_actions, done_actions
    (from `action_summary`, as of `as_of`, default today); top_causes [(label, incidents)]
    (the first `top` of `recurring_causes`); as_of. Shares are 0..1, None when undefined."""
    as_of = _today(as_of)
    w = _where(f)
    counts = dict(
        con.execute(
            f"""
            select coalesce(i.severity, '{UNKNOWN}'), count(*)
            from incident_facts i where {w.sql} group by 1
            """,
            w.params,
        ).fetchall()
    )
    total = sum(counts.values())
    by_severity = {s: int(counts.get(s, 0)) for s in SEVERITY_ORDER}
    p0_p1 = by_severity["P0"] + by_severity["P1"]

    ttr = response_times(con, f)
    ttr = ttr[ttr["metric"] == "time_to_restore"].iloc[0]

    known, customer = con.execute(
        f"""
        select count(*) filter (d.method_known), count(*) filter (d.customer_detected)
        from incident_facts i inner join incident_detection d using (incident_id)
        where {w.sql}
        """,
        w.params,
    ).fetchone()

    actions = action_summary(con, f, as_of).iloc[0]
    causes = recurring_causes(con, f, with_incident_ids=False).head(top)
    return {
        "incidents": total,
        "by_severity": by_severity,
        "unknown_severity": total - sum(by_severity.values()),
        "p0_p1_share": p0_p1 / total if total else None,
        "ttr_incidents": int(ttr["incidents"]),
        "ttr_median": _none_if_nan(ttr["median"]),
        "ttr_p90": _none_if_nan(ttr["p90"]),
        "customer_detected": int(customer),
        "customer_detected_share": customer / known if known else None,
        "open_actions": int(actions["open"]),
        "overdue_actions": int(actions["overdue"]),
        "done_actions": int(actions["done"]),
        "top_causes": [
            (str(r.cluster_label), int(r.incidents)) for r in causes.itertuples(index=False)
        ],
        "as_of": as_of,
    }


def incident_detail(con, incident_id: str) -> dict | None:
    """{'incident': dict, 'timeline': DataFrame, 'actions': DataFrame, 'whys': DataFrame,
    'learnings': DataFrame, 'related': DataFrame, 'detection_methods': list, 'problems': DataFrame,
    'cluster': dict|None}; None when no incident has that id. `actions` are rows of
    action_facts (is_open, is_done, days_to_close...); `related` rows of incident_links."""
    row = con.execute("select * from incident_facts where incident_id = ?", [incident_id])
    columns = [d[0] for d in row.description]
    values = row.fetchone()
    if values is None:
        return None
    incident = dict(zip(columns, values))
    one = [incident_id]
    cluster = con.execute(
        """
        select cluster_id, cluster_label, similarity, terms, recurred_after_fix,
               fixed_in_incident_id, fix_done_by
        from cause_occurrences where incident_id = ?
        """,
        one,
    )
    cluster_columns = [d[0] for d in cluster.description]
    cluster_row = cluster.fetchone()
    return {
        "incident": incident,
        "timeline": _df(
            con,
            "select seq, occurred_at, time_text, event, kind, line from timeline "
            "where incident_id = ? order by seq",
            one,
        ),
        "actions": _df(
            con, "select * from action_facts where incident_id = ? order by line, action_id", one
        ),
        "whys": _df(
            con,
            "select level, text, is_root_cause, line from whys where incident_id = ? "
            "order by level, line",
            one,
        ),
        "learnings": _df(
            con,
            "select kind, seq, text, line from learnings where incident_id = ? order by kind, seq",
            one,
        ),
        "related": _df(
            con,
            "select reference, linked_incident_id, text, line from incident_links "
            "where incident_id = ? order by line",
            one,
        ),
        "detection_methods": [
            r[0]
            for r in con.execute(
                "select method from detection_hits where incident_id = ? order by method", one
            ).fetchall()
        ],
        "problems": _df(
            con,
            "select line, level, code, message from load_problems where source_path = ? "
            "order by line nulls first",
            [incident.get("source_path")],
        ),
        "cluster": dict(zip(cluster_columns, cluster_row)) if cluster_row else None,
    }
