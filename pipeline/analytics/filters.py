"""The filters every figure accepts, the choices they offer, and opening the database."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from pipeline.analytics import _sql, periods
from pipeline.db import open_readonly
from pipeline.model import SEVERITIES


@dataclass(frozen=True)
class Filters:
    """The filters every query accepts. Empty tuples mean 'all'."""

    since: date | None = None
    """Incidents with incident_date >= since."""
    until: date | None = None
    """Incidents with incident_date <= until."""
    severities: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    """Incidents that hit at least one of these services."""
    include_drafts: bool = True
    """False leaves out incidents whose status is DRAFT (an unknown status is kept)."""


def connect(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the database read-only; raises DatabaseError (one-line message saying what to run)
    when the file is missing, not DuckDB, or from an older schema."""
    return open_readonly(db_path)


def filter_options(con) -> dict[str, Any]:
    """{'severities': [...], 'teams': [...], 'services': [...], 'min_date': date|None,
    'max_date': date|None} over every loaded incident (severities in P0..P3 order)."""
    options = _sql.one(con, "filter_options")
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    return {
        "severities": sorted(options["severities"], key=lambda s: (rank.get(s, len(rank)), s)),
        "teams": list(options["teams"]),
        "services": list(options["services"]),
        "min_date": options["min_date"],
        "max_date": options["max_date"],
    }


def quarter_filters(f: Filters, label: str) -> Filters:
    """The same filters, narrowed to one quarter (for the report and the overview tiles)."""
    first, last = periods.quarter_bounds(label)
    return dataclasses.replace(f, since=first, until=last)


def without_dates(f: Filters) -> Filters:
    """The same filters over every incident date."""
    return dataclasses.replace(f, since=None, until=None)


def review_quarter(con, today: date | None = None) -> str | None:
    """The quarter a review opens on ('2026Q3'): the last complete quarter (ended before
    `today`, default today) that has incidents; the newest quarter with incidents when none is
    complete; None when no incident has a date. So the first view of an old corpus has data."""
    return _sql.one(con, "review_quarter", today=_sql.today(today))["quarter"]
