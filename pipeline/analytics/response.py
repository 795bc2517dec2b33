"""Response times: how long from the first alert to acknowledging, finding the root cause,
mitigating and restoring, and how long incidents lasted (view `response_times`)."""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql
from pipeline.analytics.filters import Filters
from pipeline.model import SEVERITIES

RESPONSE_METRICS = (
    "time_to_acknowledge",
    "time_to_root_cause",
    "time_to_mitigate",
    "time_to_restore",
    "duration",
)
_GROUPS = (None, "severity", "quarter")


def response_times(con, f: Filters, by: str | None = None) -> pd.DataFrame:
    """Distributions in minutes. by None|'severity'|'quarter'. Columns: [by], metric
    ('time_to_acknowledge'|'time_to_root_cause'|'time_to_mitigate'|'time_to_restore'|'duration'),
    incidents (count having the figure), median, p90, max.

    Defined in view `response_times` (clock starts at the first alert; see that file).
    median and p90 are `quantile_cont` (linear interpolation; see the package docstring). Every
    metric gets a row per group, with incidents = 0 and NULL figures where no incident of the
    group has it, so "no data" is visible rather than missing."""
    _sql.choice(by, _GROUPS, "by")
    out = _sql.frame(
        con,
        "response_times",
        f,
        by=by,
        metrics=list(RESPONSE_METRICS),
        severity_order=list(SEVERITIES),
    )
    out["incidents"] = out["incidents"].astype("int64")
    columns = ["metric", "incidents", "median", "p90", "max"]
    if by is None:
        return out[columns]
    return out.rename(columns={"grp": by})[[by, *columns]]


def response_time_values(con, f: Filters, metric: str | None = None) -> pd.DataFrame:
    """One row per incident and metric, for box/strip plots: incident_id, severity, quarter,
    metric, minutes (the rows `response_times` aggregates). `metric` keeps one metric's rows
    (a chart draws one; on 100k incidents all five are ~460k rows)."""
    if metric is not None:
        _sql.choice(metric, RESPONSE_METRICS, "metric")
    return _sql.frame(
        con,
        "response_time_values",
        f,
        metrics=list(RESPONSE_METRICS) if metric is None else [metric],
        metric_order=list(RESPONSE_METRICS),
    )
