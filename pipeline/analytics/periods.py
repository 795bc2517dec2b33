"""Quarters and months as the analytics label them, in one place.

The SQL macros `quarter_label(d)` / `month_label(d)` (view 10_incident_facts.sql) label the rows;
these pure functions do the same arithmetic for Python: the report, the CLI and the dashboard's
period filter all use them. A quarter is labelled '2026Q3', a month '2026-07'.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def quarter_start(day: date) -> date:
    """The first day of the quarter `day` is in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    """The last day of the quarter `day` is in."""
    first = quarter_start(day)
    following = (
        date(first.year + 1, 1, 1) if first.month == 10 else date(first.year, first.month + 3, 1)
    )
    return following - timedelta(days=1)


def quarter_label(day: date) -> str:
    """2026-08-05 -> '2026Q3' (the SQL macro quarter_label)."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(label: str) -> tuple[date, date]:
    """'2026Q3' -> (2026-07-01, 2026-09-30). Raises ValueError for anything else."""
    match = _QUARTER.match(label.strip().upper()) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"{label!r} is not a quarter; expected e.g. 2026Q3")
    first = date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)
    return first, quarter_end(first)


def previous_quarter(label: str) -> str:
    """'2026Q1' -> '2025Q4'."""
    first, _ = quarter_bounds(label)
    return quarter_label(first - timedelta(days=1))


def quarters_back(label: str, steps: int) -> str:
    """The quarter `steps` quarters before `label` ('2026Q3', 4 -> '2025Q3')."""
    for _ in range(steps):
        label = previous_quarter(label)
    return label


def trend_start(day: date, quarters: int) -> date:
    """The first day of a trend of `quarters` quarters ending with the one `day` is in."""
    return quarter_bounds(quarters_back(quarter_label(day), quarters - 1))[0]


def month_bounds(label: str) -> tuple[date, date]:
    """'2024-02' -> (2024-02-01, 2024-02-29). Raises ValueError for anything else."""
    match = _MONTH.match(label.strip()) if isinstance(label, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{label!r} is not a month; expected e.g. 2026-07")
    year, month = int(match.group(1)), int(match.group(2))
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def label_bounds(label: str) -> tuple[date, date]:
    """The first and last day of a period label: a quarter ('2026Q3') or a month ('2026-07')."""
    for bounds in (quarter_bounds, month_bounds):
        try:
            return bounds(label)
        except ValueError:
            pass
    raise ValueError(f"{label!r} is not a quarter (2026Q3) or a month (2026-07)")


def is_whole_quarter(since: date | None, until: date | None) -> bool:
    """True when [since, until] is exactly one calendar quarter."""
    return (
        since is not None
        and until is not None
        and since == quarter_start(since)
        and until == quarter_end(since)
    )


def previous_period(since: date | None, until: date | None) -> tuple[date, date] | None:
    """The period a review compares with: the previous quarter when (since, until) is one
    calendar quarter, else the window of the same length just before. None for an open range."""
    if since is None or until is None:
        return None
    if is_whole_quarter(since, until):
        return quarter_bounds(previous_quarter(quarter_label(since)))
    length = until - since
    end = since - timedelta(days=1)
    return end - length, end


def describe(since: date | None, until: date | None) -> str:
    """A short human name for a period: '2026Q3', '2026-01-05 to 2026-03-01', 'all time'."""
    if since is None and until is None:
        return "all time"
    if is_whole_quarter(since, until):
        return quarter_label(since)
    return f"{since or 'the start'} to {until or 'today'}"
