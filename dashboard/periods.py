"""The period filter's calendar: quick picks counted from today, and narrowing a period.

Pure functions of dates (no Streamlit, no database), so they are tested on their own. The
quarter arithmetic itself is pipeline.analytics.periods, shared with the report and the CLI.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from pipeline.analytics.periods import (
    describe,
    is_whole_quarter,
    label_bounds,
    previous_period,
    quarter_bounds,
    quarter_end,
    quarter_label,
    quarter_start,
    trend_start,
)

__all__ = [
    "QUICK_PICKS",
    "describe",
    "is_whole_quarter",
    "label_bounds",
    "narrow",
    "previous_period",
    "quarter_bounds",
    "quarter_end",
    "quarter_label",
    "quarter_start",
    "quick_pick",
    "trend_start",
]

QUICK_PICKS = {
    "latest": "Latest complete quarter",
    "last-quarter": "Last quarter",
    "this-quarter": "This quarter",
    "last-12-months": "Last 12 months",
    "all": "All time",
    "custom": "Custom range",
}
"""URL value -> label of the period choices, in the order the sidebar shows them."""


def quick_pick(
    pick: str, today: date, latest: str | None = None
) -> tuple[date | None, date | None]:
    """The (since, until) of a quick pick, both inclusive; (None, None) for all time.

    'latest' is the quarter `latest` (analytics.review_quarter: the last complete quarter with
    incidents), all time when there is none."""
    if pick == "latest":
        return quarter_bounds(latest) if latest else (None, None)
    if pick == "this-quarter":
        return quarter_start(today), quarter_end(today)
    if pick == "last-quarter":
        previous = quarter_start(today) - timedelta(days=1)
        return quarter_start(previous), quarter_end(previous)
    if pick == "last-12-months":
        return today - relativedelta(months=12) + timedelta(days=1), today
    if pick == "all":
        return None, None
    raise ValueError(f"unknown period {pick!r}; choose one of {', '.join(QUICK_PICKS)}")


def narrow(since: date | None, until: date | None, first: date, last: date) -> tuple[date, date]:
    """The part of [since, until] (open ends allowed) inside [first, last]."""
    return max(since or first, first), min(until or last, last)
