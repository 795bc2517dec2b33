"""The postmortems as documents: how long they take to reach FINAL, drafts left behind, and the
near misses they record ("Where we got lucky"), the cheapest lessons there are."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.analytics import _sql
from pipeline.analytics.filters import Filters
from pipeline.model import SEVERITIES

STALE_DRAFT_DAYS = 30
"""A draft whose incident is more than this many days old is listed as stale by default."""


def days_to_final(con, f: Filters) -> pd.DataFrame:
    """Each FINAL postmortem of the incidents in view: incident_id, title, severity, quarter,
    incident_date, last_updated, days (incident to Last Updated: the latest day it can have
    become FINAL, since the template records no date of the status change)."""
    return _sql.frame(con, "days_to_final", f)


def days_to_final_summary(con, f: Filters, by: str = "quarter") -> pd.DataFrame:
    """`days_to_final` per quarter or severity: [by], incidents, min, q1, median, q3, p90, max
    (days)."""
    _sql.choice(by, ("quarter", "severity"), "by")
    out = _sql.frame(con, "days_to_final_summary", f, by=by, severity_order=list(SEVERITIES))
    out["incidents"] = out["incidents"].astype("int64")
    return out.rename(columns={"grp": by})


def stale_drafts(
    con, f: Filters, as_of: date | None = None, older_than: int = STALE_DRAFT_DAYS
) -> pd.DataFrame:
    """DRAFT postmortems whose incident is more than `older_than` days before `as_of` (default
    today), oldest first: incident_id, title, severity, team, owners (the authors), incident_date,
    last_updated, age_days."""
    if int(older_than) < 0:
        raise ValueError("older_than must be 0 or more")
    return _sql.frame(con, "stale_drafts", f, as_of=_sql.today(as_of), older_than=int(older_than))


def near_misses(con, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The "Where we got lucky" items of the incidents in view, newest incident first: quarter,
    incident_id, title, severity, incident_date, text."""
    return _sql.frame(con, "near_misses", f, limit=_sql.checked_limit(limit))
