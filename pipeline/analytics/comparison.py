"""A period against the one before it: the headline of each and, for every estimate, the change
with its interval and what may be said about it (`uncertainty.Change`). The overview tiles,
`postmortems stats` and the quarterly report all read it from here."""

from __future__ import annotations

import dataclasses
from datetime import date

from pipeline.analytics import _sql, periods, uncertainty
from pipeline.analytics.filters import Filters
from pipeline.analytics.headline import headline, restore_minutes
from pipeline.model import SEVERITIES


def previous_filters(f: Filters) -> Filters | None:
    """The same filters over the period before (`periods.previous_period`); None when the
    period is open at either end."""
    previous = periods.previous_period(f.since, f.until)
    if previous is None:
        return None
    return dataclasses.replace(f, since=previous[0], until=previous[1])


def compare_periods(
    con,
    f: Filters,
    as_of: date | None = None,
    previous_as_of: date | None = None,
    before: Filters | None = None,
) -> dict:
    """{'now': headline of f, 'before': headline of the previous period (or None),
    'previous': its Filters (or None), 'changes': {...}}.

    changes (empty when there is no previous period) has a Change for 'incidents',
    'by_severity' {P0..P3}, 'p0_p1_share', 'customer_detected_share', 'ttr_median' and
    'ttr_p90'. Counts are judged on the incidents of each period, shares on their denominators,
    quantiles on the incidents with a restore time; fewer than MIN_INCIDENTS on either side is
    "too few incidents to tell". Action counts get no Change: they are records on a day, not
    estimates. `before` overrides the previous period; `previous_as_of` (default `as_of`) is
    the day its actions are judged on."""
    as_of = _sql.today(as_of)
    before = before if before is not None else previous_filters(f)
    now = headline(con, f, as_of=as_of)
    if before is None:
        return {"now": now, "before": None, "previous": None, "changes": {}}
    then = headline(con, before, as_of=previous_as_of or as_of)
    n_now, n_then = now["incidents"], then["incidents"]
    # The bootstrap judges the quantiles; the figures themselves are the headline's (SQL's).
    median, p90 = (
        uncertainty.judge(
            now[key], then[key], change.n_now, change.n_before, change.interval, change.method
        )
        for key, change in zip(
            ("ttr_median", "ttr_p90"),
            uncertainty.quantile_changes(
                restore_minutes(con, f), restore_minutes(con, before), (0.5, 0.9)
            ),
            strict=True,
        )
    )
    changes = {
        "incidents": uncertainty.count_change(n_now, n_then, n_now, n_then),
        "by_severity": {
            s: uncertainty.count_change(
                now["by_severity"][s], then["by_severity"][s], n_now, n_then
            )
            for s in SEVERITIES
        },
        "p0_p1_share": uncertainty.share_change(
            (now["by_severity"]["P0"] + now["by_severity"]["P1"], n_now),
            (then["by_severity"]["P0"] + then["by_severity"]["P1"], n_then),
        ),
        "customer_detected_share": uncertainty.share_change(
            (now["customer_detected"], now["detection_known"]),
            (then["customer_detected"], then["detection_known"]),
        ),
        "ttr_median": median,
        "ttr_p90": p90,
    }
    return {"now": now, "before": then, "previous": before, "changes": changes}


def changes_as_dicts(changes: dict) -> dict:
    """The changes of `compare_periods` as plain dicts (for JSON)."""
    return {
        key: changes_as_dicts(value) if isinstance(value, dict) else value.as_dict()
        for key, value in changes.items()
    }
