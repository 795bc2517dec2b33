"""Incidents: the list in view, counts per period and severity, repeats and links, and
everything about one incident (view `incident_facts`)."""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql, uncertainty
from pipeline.analytics.filters import Filters
from pipeline.analytics.milestones import duration_basis, milestone_rows
from pipeline.model import SEVERITIES

_PERIODS = ("quarter", "month")


def incidents(con, f: Filters, search: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Incidents in view, newest first: incident_id, title, status, severity, incident_date,
    quarter, team, services, tags, duration_minutes, duration_derived, users_affected,
    traffic_pct, data_loss, completeness, summary, source_path.

    `search` (case-insensitive substring, not a pattern) matches the id, title, summary, what
    happened, root cause, detection gap, fixes and services."""
    return _sql.frame(
        con, "incidents", f, search=_sql.search_text(search), limit=_sql.checked_limit(limit)
    )


def incident_counts(con, f: Filters, period: str = "quarter") -> pd.DataFrame:
    """Incidents per period and severity: period ('2026Q3' or '2026-07'), severity
    ('P0'..'P3' or 'unknown'), incidents.

    Every period between the first and last one in view is listed, with a row per severity
    seen in view (0 where none), so a chart's time axis has no silent gaps."""
    _sql.choice(period, _PERIODS, "period")
    out = _sql.frame(con, "incident_counts", f, period=period, severity_order=list(SEVERITIES))
    out["incidents"] = out["incidents"].astype("int64")
    return out


def severity_share(con, f: Filters) -> pd.DataFrame:
    """Per quarter (every quarter from the first to the last in view): quarter, incidents,
    p0_p1, p0_p1_share (p0_p1 / incidents; an unknown severity counts in the denominator),
    change_pct (incidents against the previous quarter, in percent; NULL for the first quarter
    or after a quarter with none), p0_p1_share_change (percentage points against the previous
    quarter), p0_p1_low and p0_p1_high (the share's 95% Wilson interval: with tens of incidents
    a quarter, a few points of change are noise)."""
    out = _sql.frame(con, "severity_share", f)
    bounds = [uncertainty.wilson(int(k), int(n)) for k, n in zip(out["p0_p1"], out["incidents"])]
    out["p0_p1_low"] = [b[0] if b else None for b in bounds]
    out["p0_p1_high"] = [b[1] if b else None for b in bounds]
    return out


def repeat_incidents(con, f: Filters, within_days: int = 30) -> pd.DataFrame:
    """service, incident_id, incident_date, previous_incident_id, previous_date, days_between:
    an incident in view that hit a service already hit by another incident at most
    `within_days` days before (view `service_hits`; the previous hit may be outside the
    filters). A service filter keeps only the services asked for."""
    if int(within_days) < 0:
        raise ValueError("within_days must be 0 or more")
    return _sql.frame(con, "repeat_incidents", f, within_days=int(within_days))


def linked_incidents(con, f: Filters) -> pd.DataFrame:
    """incident_id, reference, linked_incident_id (when the reference names a loaded incident),
    text: the Related Incidents entries of the incidents in view (view `incident_links`)."""
    return _sql.frame(con, "linked_incidents", f)


# One incident's page reads single tables by id: plain lookups, no figure computed.
_DETAIL = {
    "timeline": "select seq, occurred_at, time_text, event, kind, line from timeline "
    "where incident_id = ? order by seq",
    "actions": "select * from action_facts where incident_id = ? order by line, action_id",
    "whys": "select level, text, is_root_cause, line from whys where incident_id = ? "
    "order by level, line",
    "learnings": "select kind, seq, text, line from learnings where incident_id = ? "
    "order by kind, seq",
    "related": "select reference, linked_incident_id, text, line from incident_links "
    "where incident_id = ? order by line",
}
_CLUSTER = """
    select cluster_id, cluster_label, similarity, terms, recurred_after_fix,
           fixed_in_incident_id, fix_done_by, fixed_service, assignment, mechanism,
           what_failed
    from cause_occurrences where incident_id = ?
"""


def _record(con, sql: str, params: list) -> dict | None:
    result = con.execute(sql, params)
    columns = [d[0] for d in result.description]
    values = result.fetchone()
    return None if values is None else dict(zip(columns, values, strict=True))


def incident_detail(con, incident_id: str) -> dict | None:
    """{'incident': dict, 'timeline': DataFrame, 'actions': DataFrame, 'whys': DataFrame,
    'learnings': DataFrame, 'related': DataFrame, 'detection_methods': list, 'problems': DataFrame,
    'cluster': dict|None, 'milestones': DataFrame, 'duration': dict}; None when no incident has
    that id. `actions` are rows of action_facts (is_open, is_done, days_to_close...); `related`
    rows of incident_links; `milestones` and `duration` say where each milestone and the
    duration came from (`milestones.milestone_rows`, `milestones.duration_basis`)."""
    incident = _record(con, "select * from incident_facts where incident_id = ?", [incident_id])
    if incident is None:
        return None
    one = [incident_id]
    detail: dict = {"incident": incident}
    detail.update({key: con.execute(sql, one).df() for key, sql in _DETAIL.items()})
    detail["detection_methods"] = [
        r[0]
        for r in con.execute(
            "select method from detection_hits where incident_id = ? order by method", one
        ).fetchall()
    ]
    detail["problems"] = con.execute(
        "select line, level, code, message from load_problems where source_path = ? "
        "order by line nulls first",
        [incident.get("source_path")],
    ).df()
    detail["cluster"] = _record(con, _CLUSTER, one)
    detail["milestones"] = milestone_rows(con, incident_id)
    detail["duration"] = duration_basis(con, incident_id)
    return detail
