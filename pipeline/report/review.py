"""Gather one quarter's review from `pipeline.analytics`: every figure comes from there.

This module only chooses which analytics functions to call, with which filters, and keeps their
answers; it computes nothing itself, so the report shows the numbers the CLI and the dashboard
show for the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline import analytics as an
from pipeline.analytics.periods import quarters_back

TREND_QUARTERS = 5
"""The severity trend shows the quarter and the four before it: a year of context."""


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
    severity_trend: pd.DataFrame
    """analytics.incident_counts() per quarter over the last TREND_QUARTERS quarters."""
    response_times: pd.DataFrame
    """analytics.response_times(by='severity') for the quarter."""
    restore_values: pd.DataFrame
    """analytics.response_time_values() rows of metric time_to_restore, for the distribution."""
    detection: pd.DataFrame
    """analytics.detection_share(by='quarter') rows of this quarter."""
    customer_detected: pd.DataFrame
    overdue_actions: pd.DataFrame
    """Every action overdue on as_of, from incidents of this quarter or earlier: the backlog."""
    closed_actions: pd.DataFrame
    """Actions closed this quarter: analytics.closed_actions when it exists (done actions whose
    postmortem was last updated in the quarter); until then the done actions of the quarter's
    incidents, the rows behind headline()['done_actions']."""
    closed_by_update: bool
    """True when closed_actions comes from analytics.closed_actions."""
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
    trend_first, _ = an.quarter_bounds(quarters_back(quarter, TREND_QUARTERS - 1))
    trend = an.Filters(
        since=trend_first,
        until=last,
        severities=base.severities,
        teams=base.teams,
        services=base.services,
        include_drafts=base.include_drafts,
    )
    backlog = an.Filters(
        until=last,
        severities=base.severities,
        teams=base.teams,
        services=base.services,
        include_drafts=base.include_drafts,
    )
    values = an.response_time_values(con, this_q)
    detection = an.detection_share(con, this_q, by="quarter")
    incidents = an.incidents(con, this_q)
    closed_by_update = hasattr(an, "closed_actions")  # requested for this report; see notes
    if closed_by_update:
        closed = an.closed_actions(con, backlog_without_dates(base), first, last)
    else:
        closed = done_actions_of(con, incidents["incident_id"])
    return QuarterReview(
        quarter=quarter,
        previous_quarter=previous,
        first_day=first,
        last_day=last,
        as_of=as_of,
        headline=an.headline(con, this_q, as_of=as_of),
        previous_as_of=previous_as_of,
        previous_headline=an.headline(con, prev_q, as_of=previous_as_of),
        severity_trend=an.incident_counts(con, trend, period="quarter"),
        response_times=an.response_times(con, this_q, by="severity"),
        restore_values=values[values["metric"] == "time_to_restore"].reset_index(drop=True),
        detection=detection[detection["quarter"] == quarter].reset_index(drop=True),
        customer_detected=an.customer_detected(con, this_q),
        overdue_actions=an.overdue_actions(con, backlog, as_of=as_of),
        closed_actions=closed,
        closed_by_update=closed_by_update,
        recurring_causes=an.recurring_causes(con, this_q),
        incidents=incidents,
    )


def backlog_without_dates(base: an.Filters) -> an.Filters:
    return an.Filters(
        severities=base.severities,
        teams=base.teams,
        services=base.services,
        include_drafts=base.include_drafts,
    )


DONE_COLUMNS = ["incident_id", "severity", "action_id", "description", "owner", "category"]


def done_actions_of(con, incident_ids) -> pd.DataFrame:
    """The done action rows (analytics.incident_detail's action_facts) of these incidents."""
    frames = []
    for incident_id in incident_ids:
        detail = an.incident_detail(con, incident_id)
        if detail is None:
            continue
        actions = detail["actions"]
        frames.append(actions[actions["is_done"].fillna(False).astype(bool)][DONE_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=DONE_COLUMNS)
    return pd.concat(frames, ignore_index=True)
