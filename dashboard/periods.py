"""Calendar arithmetic for the period filter: quick picks and "the period before this one".

Pure functions of dates (no Streamlit, no database), so they are tested on their own.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

QUICK_PICKS = {
    "last-quarter": "Last quarter",
    "this-quarter": "This quarter",
    "last-12-months": "Last 12 months",
    "all": "All time",
    "custom": "Custom range",
}
"""URL value -> label of the period choices, in the order the sidebar shows them."""


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    return quarter_start(day) + relativedelta(months=3) - timedelta(days=1)


def quarter_label(day: date) -> str:
    # The label analytics uses for quarters ('2026Q3').
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quick_pick(pick: str, today: date) -> tuple[date | None, date | None]:
    """The (since, until) of a quick pick, both inclusive; (None, None) for all time."""
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


def is_whole_quarter(since: date | None, until: date | None) -> bool:
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
        previous = since - timedelta(days=1)
        return quarter_start(previous), quarter_end(previous)
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


def label_bounds(label: str) -> tuple[date, date]:
    """The first and last day of a period label of analytics: '2026Q3' or '2026-07'."""
    text = label.strip().upper()
    if len(text) == 6 and text[4] == "Q" and text[:4].isdigit() and text[5] in "1234":
        first = date(int(text[:4]), 3 * int(text[5]) - 2, 1)
        return first, quarter_end(first)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = int(text[5:])
        if 1 <= month <= 12:
            first = date(int(text[:4]), month, 1)
            return first, first + relativedelta(months=1) - timedelta(days=1)
    raise ValueError(f"{label!r} is not a quarter (2026Q3) or a month (2026-07)")


def narrow(since: date | None, until: date | None, first: date, last: date) -> tuple[date, date]:
    """The part of [since, until] (open ends allowed) inside [first, last]."""
    return max(since or first, first), min(until or last, last)
