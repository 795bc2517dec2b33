"""Gather one quarter's review from `pipeline.analytics`: every figure comes from there.

This module only chooses which analytics functions to call, with which filters, and keeps their
answers; it computes nothing itself, so the report shows the numbers the CLI and the dashboard
show for the same filters.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline import analytics as an
from pipeline.analytics.periods import trend_start

TREND_QUARTERS = 5
"""The severity trend shows the quarter and the four before it: a year of context."""
DISTRIBUTION_QUARTERS = 4
"""Distributions per quarter show the quarter and the three before it."""


@dataclass
class QuarterReview:
    quarter: str
    previous_quarter: str
    first_day: date
    last_day: date
    as_of: date
    """The day overdue is judged on (see `default_as_of`)."""
    headline: dict
    """analytics.headline() for the quarter's incidents."""
    previous_as_of: date
    previous_headline: dict
    """analytics.headline() for the previous quarter's incidents, as of that quarter's end."""
    changes: dict
    """analytics.compare_periods()['changes']: each estimate's change, interval and verdict."""
    severity_trend: pd.DataFrame
    """analytics.incident_counts() per quarter over the last TREND_QUARTERS quarters."""
    restore_by_quarter: pd.DataFrame
    """analytics.clock_distribution() of time to restore over DISTRIBUTION_QUARTERS quarters."""
    restore_trend_values: pd.DataFrame
    """analytics.clock_values() of time to restore over the same quarters, for the chart."""
    restore_by_severity: pd.DataFrame
    """analytics.clock_distribution() of time to restore by severity, this quarter."""
    durations: pd.DataFrame
    """analytics.clock_values() of duration this quarter (severity against duration)."""
    durations_by_severity: pd.DataFrame
    detection: pd.DataFrame
    """analytics.detection_share(by='quarter') rows of this quarter."""
    customer_detected: pd.DataFrame
    overdue_actions: pd.DataFrame
    """Every action overdue on as_of, from incidents of this quarter or earlier: the backlog."""
    closed_actions: pd.DataFrame
    """analytics.closed_actions: done actions whose postmortem was last updated in the quarter,
    whatever the incident's date."""
    action_ages: pd.DataFrame
    """analytics.open_action_age_summary() by severity of the backlog, as of as_of."""
    final_with_open_actions: pd.DataFrame
    """analytics.final_with_open_actions() of the backlog, as of as_of."""
    completion_by_category: pd.DataFrame
    """analytics.completion_by_category() over DISTRIBUTION_QUARTERS quarters."""
    days_to_final: pd.DataFrame
    """analytics.days_to_final_summary() per quarter over DISTRIBUTION_QUARTERS quarters."""
    stale_drafts: pd.DataFrame
    """analytics.stale_drafts() of the backlog, as of as_of."""
    near_misses: pd.DataFrame
    """analytics.near_misses() of the quarter."""
    recurring_causes: pd.DataFrame
    incidents: pd.DataFrame


def default_as_of(quarter: str, today: date | None = None) -> date:
    """The quarter's last day, or today while the quarter is still running: an archived review
    then says the same thing whenever it is rebuilt."""
    today = today or date.today()
    _, last = an.quarter_bounds(quarter)
    return min(last, today)


def build_review(
    con, quarter: str, *, as_of: date | None = None, filters: an.Filters | None = None
) -> QuarterReview:
    """The review of `quarter` ('2026Q3'); raises ValueError for a label that is not a quarter."""
    base = filters or an.Filters()
    quarter = quarter.strip().upper()
    first, last = an.quarter_bounds(quarter)
    as_of = as_of or default_as_of(quarter)
    previous = an.previous_quarter(quarter)
    # Each quarter is judged at its own end, so "overdue" compares like with like.
    previous_as_of = min(default_as_of(previous), as_of)
    this_q = an.quarter_filters(base, quarter)
    prev_q = an.quarter_filters(base, previous)
    trend = dataclasses.replace(this_q, since=trend_start(first, TREND_QUARTERS))
    recent = dataclasses.replace(this_q, since=trend_start(first, DISTRIBUTION_QUARTERS))
    backlog = dataclasses.replace(this_q, since=None)
    review = an.compare_periods(
        con, this_q, as_of=as_of, previous_as_of=previous_as_of, before=prev_q
    )
    detection = an.detection_share(con, this_q, by="quarter")
    return QuarterReview(
        quarter=quarter,
        previous_quarter=previous,
        first_day=first,
        last_day=last,
        as_of=as_of,
        headline=review["now"],
        previous_as_of=previous_as_of,
        previous_headline=review["before"],
        changes=review["changes"],
        severity_trend=an.incident_counts(con, trend, period="quarter"),
        restore_by_quarter=an.clock_distribution(con, recent, "time_to_restore", by="quarter"),
        restore_trend_values=an.clock_values(con, recent, "time_to_restore"),
        restore_by_severity=an.clock_distribution(con, this_q, "time_to_restore", "severity"),
        durations=an.clock_values(con, this_q, "duration"),
        durations_by_severity=an.clock_distribution(con, this_q, "duration", by="severity"),
        detection=detection[detection["quarter"] == quarter].reset_index(drop=True),
        customer_detected=an.customer_detected(con, this_q),
        overdue_actions=an.overdue_actions(con, backlog, as_of=as_of),
        closed_actions=an.closed_actions(con, an.without_dates(base), first, last),
        action_ages=an.open_action_age_summary(con, backlog, as_of=as_of, by="severity"),
        final_with_open_actions=an.final_with_open_actions(con, backlog, as_of=as_of),
        completion_by_category=an.completion_by_category(con, recent),
        days_to_final=an.days_to_final_summary(con, recent, by="quarter"),
        stale_drafts=an.stale_drafts(con, backlog, as_of=as_of),
        near_misses=an.near_misses(con, this_q),
        recurring_causes=an.recurring_causes(con, this_q),
        incidents=an.incidents(con, this_q),
    )
