"""Action items: what is overdue, who closes their actions, what lacks an owner or a due date,
and follow-through: how old the open ones are, FINAL postmortems still open, completion by
category (view `action_facts`, macro `actions_as_of`)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.analytics import _sql, uncertainty
from pipeline.analytics.filters import Filters
from pipeline.model import ACTION_CATEGORIES, SEVERITIES

NO_OWNER = "(no owner)"
NO_TEAM = "(no team)"
UNCATEGORISED = "uncategorised"
"""The category of an action its authors put in none of the four lists."""
_GROUPS = ("owner", "team")


def overdue_actions(
    con,
    f: Filters,
    as_of: date | None = None,
    owner: str | None = None,
    team: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Most urgent first (P0/P1 first, then days overdue, most first): incident_id, severity,
    title, action_id, description, owner, team, due_date, days_overdue, status.

    Overdue (macro `actions_as_of`): open (todo/in_progress) and due_date < as_of (default
    today). Due today is not overdue; done and won't-do never are. `owner` matches the owner
    ignoring case and a leading '@'; `team` matches the incident's team ignoring case."""
    owner = _sql.search_text(owner)
    return _sql.frame(
        con,
        "overdue_actions",
        f,
        as_of=_sql.today(as_of),
        owner=owner.lstrip("@") if owner else None,
        team=_sql.search_text(team),
        limit=_sql.checked_limit(limit),
    )


def action_summary(con, f: Filters, as_of: date | None = None) -> pd.DataFrame:
    """One row over the actions of the incidents in view: total, open, overdue, done, wont_do,
    no_owner, no_due_date (counts of actions; overdue as in `overdue_actions`)."""
    return _sql.frame(con, "action_summary", f, as_of=_sql.today(as_of))


def action_completion(
    con, f: Filters, by: str = "owner", as_of: date | None = None
) -> pd.DataFrame:
    """by ('owner'|'team'), actions, done, wont_do, completion_rate, median_days_to_close,
    overdue; most actions first.

    completion_rate = done / (actions - wont_do): a won't-do was decided against, so it is
    neither outstanding nor completed work (NULL when every action is won't-do).
    median_days_to_close: median (quantile_cont) of action_facts.days_to_close over the done
    actions (incident date to the postmortem's Last Updated date; see 40_actions.sql).
    Actions with no owner group as '(no owner)'; team is the incident's team, '(no team)'."""
    _sql.choice(by, _GROUPS, "by")
    out = _sql.frame(con, "action_completion", f, by=by, as_of=_sql.today(as_of))
    return out.rename(columns={"grp": by})


def closed_actions(
    con, f: Filters, closed_since: date, closed_until: date, limit: int | None = None
) -> pd.DataFrame:
    """Done actions whose closing falls in [closed_since, closed_until], newest first:
    incident_id, severity, title, action_id, description, owner, team, category, closed_by,
    days_to_close, incident_date.

    closed_by is the postmortem's Last Updated date: the template has no done date per action,
    and the last update is the latest day the "done" can have been written (the proxy
    action_facts.days_to_close uses too). The date filters of `f` still apply to the incident
    date; pass Filters without dates to count an older incident's action closed in the window
    (the quarterly report's "newly closed")."""
    return _sql.frame(
        con,
        "closed_actions",
        f,
        closed_since=closed_since,
        closed_until=closed_until,
        limit=_sql.checked_limit(limit),
    )


def actions_missing_owner_or_due(con, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """incident_id, action_id, description, owner, due_text, missing ('owner'|'due_date'|'both'),
    status, severity: every action (whatever its status) with no owner or no calendar due date
    (a due text like 'TBD' or 'Q1 2022' is not a date)."""
    return _sql.frame(con, "actions_missing_owner_or_due", f, limit=_sql.checked_limit(limit))


# ---------------------------------------------------------------------------------------------
# Follow-through: not how many actions, but whether they get done


def open_action_ages(con, f: Filters, as_of: date | None = None) -> pd.DataFrame:
    """Every open action of the incidents in view on `as_of` (default today), oldest first:
    incident_id, action_id, severity, quarter, owner, category, status, incident_date,
    due_date, age_days (days since the incident: the template has no date an action was
    written), is_overdue. `overdue_actions` lists them with their text."""
    return _sql.frame(con, "open_action_ages", f, as_of=_sql.today(as_of))


def open_action_age_summary(
    con, f: Filters, as_of: date | None = None, by: str = "severity"
) -> pd.DataFrame:
    """The ages of `open_action_ages` per severity or quarter of the incident: [by], actions,
    min, q1, median, q3, p90, max (days)."""
    _sql.choice(by, ("severity", "quarter"), "by")
    out = _sql.frame(
        con,
        "open_action_age_summary",
        f,
        as_of=_sql.today(as_of),
        by=by,
        severity_order=list(SEVERITIES),
    )
    out["actions"] = out["actions"].astype("int64")
    return out.rename(columns={"grp": by})


def final_with_open_actions(con, f: Filters, as_of: date | None = None) -> pd.DataFrame:
    """FINAL postmortems of the incidents in view with actions still open on `as_of`: closed on
    paper, not in fact. incident_id, title, severity, team, incident_date, last_updated,
    open_actions, overdue_actions, oldest_due; most overdue first."""
    return _sql.frame(con, "final_with_open_actions", f, as_of=_sql.today(as_of))


def completion_by_category(con, f: Filters) -> pd.DataFrame:
    """Per quarter and category (prevention, detection, response, recovery, 'uncategorised'):
    actions, done, wont_do, open, decided (actions - wont_do), completion_rate (done / decided;
    NULL when nothing was decided) and its 95% Wilson interval, rate_low and rate_high."""
    out = _sql.frame(
        con, "completion_by_category", f, category_order=[*ACTION_CATEGORIES, UNCATEGORISED]
    )
    bounds = [uncertainty.wilson(int(d), int(n)) for d, n in zip(out["done"], out["decided"])]
    out["completion_rate"] = [d / n if n else None for d, n in zip(out["done"], out["decided"])]
    out["rate_low"] = [b[0] if b else None for b in bounds]
    out["rate_high"] = [b[1] if b else None for b in bounds]
    return out
