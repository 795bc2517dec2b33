"""Running the figure queries of `pipeline/sql/figures/`: one .sql file per figure.

A file names its inputs as `$name` parameters; `frame(con, "incident_counts", f, period=...)`
binds the filters of `f` and the keyword arguments to them, by name, and never formats a value
into the text. A query receives exactly the parameters its file names (DuckDB refuses extra
ones), and a parameter the file names but the call does not give is an error here, not a
silent NULL.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import pandas as pd

from pipeline.db import SQL_DIR

FIGURES_DIR = SQL_DIR / "figures"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def load(name: str) -> tuple[str, frozenset[str]]:
    """The text of figures/<name>.sql and the parameters it names."""
    text = (FIGURES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text, frozenset(_PARAMETER.findall(_COMMENT.sub("", text)))


def filter_params(f) -> dict[str, Any]:
    """The parameters of `incidents_in_view(...)` (view 10_incident_facts.sql) for a Filters;
    an empty choice is NULL, which the macro reads as "all"."""
    return {
        "since": f.since,
        "until": f.until,
        "severities": list(f.severities) or None,
        "teams": list(f.teams) or None,
        "services": list(f.services) or None,
        "include_drafts": bool(f.include_drafts),
    }


def bind(name: str, f=None, **values: Any) -> tuple[str, dict[str, Any]]:
    """(sql, parameters) for figures/<name>.sql: the filters of `f` and `values`, keeping
    only what the file names."""
    sql, names = load(name)
    given = {**(filter_params(f) if f is not None else {}), **values}
    missing = names - given.keys()
    if missing:
        raise TypeError(f"figures/{name}.sql needs {sorted(missing)}")
    return sql, {key: given[key] for key in names}


def frame(con, name: str, f=None, **values: Any) -> pd.DataFrame:
    """Run figures/<name>.sql and return its rows as a DataFrame."""
    sql, params = bind(name, f, **values)
    return con.execute(sql, params).df()


def one(con, name: str, f=None, **values: Any) -> dict[str, Any]:
    """Run figures/<name>.sql, which returns one row, as {column: value}."""
    sql, params = bind(name, f, **values)
    result = con.execute(sql, params)
    columns = [d[0] for d in result.description]
    return dict(zip(columns, result.fetchone(), strict=True))


def checked_limit(limit: int | None) -> int | None:
    """A LIMIT for a list a page shows only the top of (None = every row; DuckDB reads a
    NULL limit as none)."""
    if limit is None:
        return None
    if int(limit) < 0:
        raise ValueError("limit must be 0 or more")
    return int(limit)


def choice(value, allowed, what: str):
    """`value` when it is one of `allowed`, else a ValueError naming the choices."""
    if value not in allowed:
        names = sorted(str(k) for k in allowed if k)
        raise ValueError(f"{what} must be one of {names}, not {value!r}")
    return value


def today(as_of: date | None) -> date:
    return as_of if as_of is not None else date.today()


def search_text(search: str | None) -> str | None:
    """A search box's text as the query takes it: trimmed, None when blank."""
    return search.strip() if search and search.strip() else None


def plain(value):
    """A scalar from a DataFrame as Python: NaN and NA as None, numpy numbers as int/float."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value
