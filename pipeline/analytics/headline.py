"""The headline figures of a period, assembled from the other subjects' figures: what the
overview tiles, `postmortems stats` and the quarterly report show."""

from __future__ import annotations

from datetime import date

import numpy as np

from pipeline.analytics import _sql, uncertainty
from pipeline.analytics.actions import action_summary
from pipeline.analytics.causes import recurring_causes
from pipeline.analytics.filters import Filters
from pipeline.analytics.response import response_time_values, response_times
from pipeline.model import SEVERITIES


def headline(con, f: Filters, as_of: date | None = None, top: int = 5) -> dict:
    """The headline figures for a period (stats CLI, report, overview tiles):

    incidents; by_severity {P0..P3: n} (unknown_severity counts the rest); p0_p1_share
    (P0+P1 over all incidents in view); ttr_incidents, ttr_median, ttr_p90 (time_to_restore
    from `response_times`, minutes); customer_detected and customer_detected_share (over the
    incidents with a detection method ticked, detection_known of them); open_actions,
    overdue_actions, done_actions (from `action_summary`, as of `as_of`, default today);
    top_causes [(label, incidents)] (the first `top` of `recurring_causes`); as_of. Shares are
    0..1, None when undefined.

    intervals: for each estimate, {'n', 'low', 'high', 'method'}: the 95% interval of the
    incident count ('poisson', also per severity under 'by_severity'), of the shares ('wilson')
    and of the restore-time quantiles ('order statistics'); see `uncertainty`. Action counts
    are counts of records on a day, not estimates, and have none."""
    as_of = _sql.today(as_of)
    per_severity = _sql.frame(con, "headline_incidents", f)
    total = int(per_severity["incidents"].sum())
    counts = dict(zip(per_severity["severity"], per_severity["incidents"], strict=True))
    by_severity = {s: int(counts.get(s, 0)) for s in SEVERITIES}
    p0_p1 = by_severity["P0"] + by_severity["P1"]
    known = int(per_severity["with_method_known"].sum())
    customer = int(per_severity["customer_detected"].sum())

    ttr = response_times(con, f)
    ttr = ttr[ttr["metric"] == "time_to_restore"].iloc[0]
    restore = restore_minutes(con, f)
    actions = action_summary(con, f, as_of).iloc[0]
    causes = recurring_causes(con, f, with_incident_ids=False).head(top)
    return {
        "incidents": total,
        "by_severity": by_severity,
        "unknown_severity": total - sum(by_severity.values()),
        "p0_p1_share": p0_p1 / total if total else None,
        "ttr_incidents": int(ttr["incidents"]),
        "ttr_median": _sql.plain(ttr["median"]),
        "ttr_p90": _sql.plain(ttr["p90"]),
        "customer_detected": customer,
        "customer_detected_share": customer / known if known else None,
        "detection_known": known,
        "open_actions": int(actions["open"]),
        "overdue_actions": int(actions["overdue"]),
        "done_actions": int(actions["done"]),
        "top_causes": [
            (str(r.cluster_label), int(r.incidents)) for r in causes.itertuples(index=False)
        ],
        "as_of": as_of,
        "intervals": {
            "incidents": _interval(total, uncertainty.count_interval(total), "poisson"),
            "by_severity": {
                s: _interval(total, uncertainty.count_interval(n), "poisson")
                for s, n in by_severity.items()
            },
            "p0_p1_share": _interval(total, uncertainty.wilson(p0_p1, total), "wilson"),
            "customer_detected_share": _interval(
                known, uncertainty.wilson(customer, known), "wilson"
            ),
            "ttr_median": _interval(
                len(restore), uncertainty.quantile_interval(restore, 0.5), "order statistics"
            ),
            "ttr_p90": _interval(
                len(restore), uncertainty.quantile_interval(restore, 0.9), "order statistics"
            ),
        },
    }


def restore_minutes(con, f: Filters) -> np.ndarray:
    """The time_to_restore of every incident in view that has one (minutes)."""
    values = response_time_values(con, f, metric="time_to_restore")
    return values["minutes"].to_numpy(dtype=float)


def _interval(n: int, bounds: tuple[float, float] | None, method: str) -> dict:
    low, high = bounds if bounds is not None else (None, None)
    return {"n": int(n), "low": low, "high": high, "method": method}
