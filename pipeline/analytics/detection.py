"""How incidents were found: the methods ticked, customers finding them first, time to detect
and the detection-gap texts (views `incident_detection`, `detection_hits`)."""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql
from pipeline.analytics.filters import Filters
from pipeline.model import SEVERITIES

_GROUPS = ("quarter", "severity")


def detection_share(con, f: Filters, by: str = "quarter") -> pd.DataFrame:
    """by ('quarter'|'severity'), method, incidents, share.

    incidents = incidents of the group with that method ticked; share = that over the
    incidents of the group with any method ticked (`with_method_known`, also returned). Several
    methods can be ticked for one incident, so the shares of a group can add up to more than 1.
    """
    _sql.choice(by, _GROUPS, "by")
    out = _sql.frame(con, "detection_share", f, by=by, severity_order=list(SEVERITIES))
    return out.rename(columns={"grp": by})


def customer_detected(con, f: Filters) -> pd.DataFrame:
    """Incidents found by customers ('customer_report' ticked), newest first: incident_id,
    title, severity, incident_date, detection_gap, methods."""
    return _sql.frame(con, "customer_detected", f)


def time_to_detect(con, f: Filters) -> pd.DataFrame:
    """incident_id, severity, quarter, minutes (impact start to first alert, where both known
    and the alert is not earlier; view `incident_detection`)."""
    return _sql.frame(con, "time_to_detect", f)


def detection_gaps(
    con, f: Filters, search: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """incident_id, title, severity, incident_date, detection_gap: the incidents in view with a
    detection-gap text, newest first; `search` is a case-insensitive substring of the text."""
    return _sql.frame(
        con,
        "detection_gaps",
        f,
        search=_sql.search_text(search),
        limit=_sql.checked_limit(limit),
    )
