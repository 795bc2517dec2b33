"""Every metric, defined once. The dashboard, the CLI and the report call these functions.

CONTRACT STUB (written first so the dashboard and analytics can be built in parallel):
each function takes an open DuckDB connection and a `Filters`, and returns a pandas
DataFrame with the columns named in its docstring. The SQL behind them lives in
`pipeline/sql/views/*.sql` (created by ingest) and takes the filters as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd


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
    include_drafts: bool = True


def connect(db_path) -> duckdb.DuckDBPyConnection:
    """Open the database read-only; raises DatabaseError (one-line message saying what to run)
    when the file is missing, not DuckDB, or from an older schema."""
    raise NotImplementedError


def filter_options(con) -> dict[str, list[str]]:
    """{'severities': [...], 'teams': [...], 'services': [...], 'min_date': date|None, 'max_date': date|None}"""
    raise NotImplementedError


def incidents(con, f: Filters, search: str | None = None) -> pd.DataFrame:
    """Incidents in view: incident_id, title, status, severity, incident_date, team, services,
    duration_minutes, completeness, summary, ... (search matches id, title and text)."""
    raise NotImplementedError


def incident_counts(con, f: Filters, period: str = "quarter") -> pd.DataFrame:
    """period ('month'|'quarter'), severity, incidents."""
    raise NotImplementedError


def severity_share(con, f: Filters) -> pd.DataFrame:
    """quarter, incidents, p0_p1, p0_p1_share, change_pct (quarter-over-quarter)."""
    raise NotImplementedError


def response_times(con, f: Filters, by: str | None = None) -> pd.DataFrame:
    """Distributions in minutes. by None|'severity'|'quarter'. Columns: [by], metric
    ('time_to_acknowledge'|'time_to_root_cause'|'time_to_mitigate'|'time_to_restore'|'duration'),
    incidents (count having the figure), median, p90, max."""
    raise NotImplementedError


def response_time_values(con, f: Filters) -> pd.DataFrame:
    """One row per incident and metric, for box/strip plots: incident_id, severity, quarter,
    metric, minutes."""
    raise NotImplementedError


def detection_share(con, f: Filters, by: str = "quarter") -> pd.DataFrame:
    """by ('quarter'|'severity'), method, incidents, share."""
    raise NotImplementedError


def customer_detected(con, f: Filters) -> pd.DataFrame:
    """Incidents found by customers: incident_id, title, severity, incident_date, detection_gap."""
    raise NotImplementedError


def time_to_detect(con, f: Filters) -> pd.DataFrame:
    """incident_id, severity, quarter, minutes (impact start to first alert, where both known)."""
    raise NotImplementedError


def detection_gaps(con, f: Filters, search: str | None = None) -> pd.DataFrame:
    """incident_id, title, severity, incident_date, detection_gap."""
    raise NotImplementedError


def overdue_actions(con, f: Filters, as_of: date | None = None, owner: str | None = None,
                    team: str | None = None) -> pd.DataFrame:
    """Most urgent first (P0/P1 first, then days overdue): incident_id, severity, title,
    action_id, description, owner, team, due_date, days_overdue, status."""
    raise NotImplementedError


def action_summary(con, f: Filters, as_of: date | None = None) -> pd.DataFrame:
    """One row: total, open, overdue, done, wont_do, no_owner, no_due_date."""
    raise NotImplementedError


def action_completion(con, f: Filters, by: str = "owner", as_of: date | None = None) -> pd.DataFrame:
    """by ('owner'|'team'), actions, done, completion_rate, median_days_to_close, overdue."""
    raise NotImplementedError


def actions_missing_owner_or_due(con, f: Filters) -> pd.DataFrame:
    """incident_id, action_id, description, owner, due_text, missing ('owner'|'due_date'|'both')."""
    raise NotImplementedError


def repeat_incidents(con, f: Filters, within_days: int = 30) -> pd.DataFrame:
    """service, incident_id, incident_date, previous_incident_id, previous_date, days_between."""
    raise NotImplementedError


def linked_incidents(con, f: Filters) -> pd.DataFrame:
    """incident_id, reference, linked_incident_id (when the reference names a loaded incident)."""
    raise NotImplementedError


def recurring_causes(con, f: Filters) -> pd.DataFrame:
    """Ranked by incidents in view: cluster_id, cluster_label, incidents, first_seen, last_seen,
    recurred_after_fix (bool: an incident of the cluster dated after a 'done' prevention action
    of an earlier incident of the same cluster), incident_ids (list)."""
    raise NotImplementedError


def cause_occurrences(con, f: Filters) -> pd.DataFrame:
    """cluster_id, cluster_label, incident_id, incident_date, severity, recurred_after_fix."""
    raise NotImplementedError


def headline(con, f: Filters, as_of: date | None = None) -> dict:
    """The headline figures for a period (stats CLI, report, overview tiles): incidents,
    by_severity {P0..P3}, p0_p1_share, ttr_median, ttr_p90, customer_detected_share,
    open_actions, overdue_actions, top_causes [(label, incidents)]."""
    raise NotImplementedError


def incident_detail(con, incident_id: str) -> dict:
    """{'incident': dict, 'timeline': DataFrame, 'actions': DataFrame, 'whys': DataFrame,
    'learnings': DataFrame, 'related': DataFrame, 'detection_methods': list, 'problems': DataFrame,
    'cluster': dict|None}"""
    raise NotImplementedError
