"""Response times: how long from the impact to the first alert, from the alert to acknowledging,
finding the root cause, mitigating and restoring, and how long incidents lasted (views
`response_times`, `response_clocks`)."""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql, uncertainty
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


CLOCKS = ("time_to_detect", *RESPONSE_METRICS)
"""The response clocks (view `response_clocks`): time to detect starts at the impact, the
others at the first alert; duration is the incident's whole length."""
_CLOCK_GROUPS = ("quarter", "severity")


def clock_values(con, f: Filters, clock: str) -> pd.DataFrame:
    """One row per incident in view having the clock: incident_id, severity, quarter
    ('unknown' when unknown), minutes. For the distributions drawn on a log scale."""
    _sql.choice(clock, CLOCKS, "clock")
    return _sql.frame(con, "clock_values", f, clock=clock)


def clock_distribution(con, f: Filters, clock: str, by: str = "quarter") -> pd.DataFrame:
    """A response clock per quarter or severity: [by], incidents (n having the figure), min, q1,
    median, median_low, median_high (its 95% order-statistic interval; see `uncertainty`), q3,
    p90, max.
    Only groups with a value; quarters oldest first, severities in order."""
    _sql.choice(clock, CLOCKS, "clock")
    _sql.choice(by, _CLOCK_GROUPS, "by")
    out = _sql.frame(
        con, "clock_distribution", f, clock=clock, by=by, severity_order=list(SEVERITIES)
    )
    bounds = [uncertainty.quantile_interval(values) for values in out.pop("sorted_minutes")]
    out["median_low"] = [b[0] for b in bounds]
    out["median_high"] = [b[1] for b in bounds]
    out["incidents"] = out["incidents"].astype("int64")
    columns = ["incidents", "min", "q1", "median", "median_low", "median_high", "q3", "p90", "max"]
    return out.rename(columns={"grp": by})[[by, *columns]]


def clock_change(con, now: Filters, before: Filters, clock: str) -> uncertainty.Change:
    """The change of a clock's median from the `before` period to the `now` one, with its
    bootstrap interval and verdict (see `uncertainty`)."""
    _sql.choice(clock, CLOCKS, "clock")
    [change] = uncertainty.quantile_changes(
        clock_values(con, now, clock)["minutes"], clock_values(con, before, clock)["minutes"]
    )
    return change
