"""Small pieces every page uses: empty states, number formats, links to the incident explorer.

Formatting only: the figures themselves come from `pipeline.analytics`.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import pandas as pd
import streamlit as st

TABLE_ROWS = 1000
"""Tables show at most this many rows (most urgent or newest first) and say how many there are."""
EXPLORER = "app_pages/explorer.py"
EXPLORER_URL = "explorer"
"""The explorer's url_path (see app.py); links in tables are relative to the app's root."""


def rows_note(shown: int, total: int | None, what: str) -> None:
    """'1,000 of 8,411 overdue actions shown ...' under a cut table (total None: more than
    shown, count unknown)."""
    if total is None:
        st.caption(f"The first {shown:,} {what} are shown; narrow the filters to see the rest.")
    elif shown < total:
        st.caption(f"{shown:,} of {total:,} {what} shown; narrow the filters to see the rest.")


def count_text(total: int | None, shown: int, noun: str) -> str:
    """count() for a total that may be unknown past `shown` ('more than 1,000 incidents')."""
    return count(total, noun) if total is not None else f"more than {shown:,} {noun}s"


def empty_state(message: str, hint: str | None = None) -> None:
    """A friendly box instead of an empty chart or a traceback."""
    st.info(message + (f"\n\n{hint}" if hint else ""), icon=":material/info:")


def is_missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def minutes(value: object) -> str:
    """63 -> '1 h 3 min'; missing -> '–'."""
    if is_missing(value):
        return "–"
    total = round(float(value))
    hours, mins = divmod(total, 60)
    if hours >= 48:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def count(n: int, noun: str) -> str:
    """count(1, 'incident') -> '1 incident'; count(1200, 'incident') -> '1,200 incidents'."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def day(value: object) -> str:
    """A date or timestamp as YYYY-MM-DD; missing -> '–'."""
    return "–" if is_missing(value) else pd.Timestamp(value).date().isoformat()


def share(value: object) -> str:
    """0.25 -> '25%'; missing -> '–'."""
    return "–" if is_missing(value) else f"{100 * float(value):.0f}%"


def change(current: object, previous: object, unit: str = "") -> str | None:
    """The delta shown under a tile: '+2', '-15 min', None when either side is unknown."""
    if is_missing(current) or is_missing(previous):
        return None
    diff = float(current) - float(previous)
    if math.isclose(diff, 0.0, abs_tol=1e-9):
        return f"0{unit}"
    text = f"{diff:+.0f}" if float(diff).is_integer() or abs(diff) >= 10 else f"{diff:+.1f}"
    return text + unit


def explorer_link(label: str, **params: str) -> None:
    """A link to the incident explorer, pre-filtered (e.g. show='severity:P1')."""
    from dashboard import filters

    st.page_link(
        EXPLORER,
        label=label,
        icon=":material/search:",
        query_params={**filters.url_params(), **params},
    )


def explorer_url(incident_id: object) -> str:
    """Relative URL of one incident's page, for a LinkColumn (the id is URL-quoted, so a
    strange id can only ever be a query value)."""
    return f"{EXPLORER_URL}?incident={quote(str(incident_id), safe='')}"


def with_incident_links(df: pd.DataFrame, column: str = "incident_id") -> pd.DataFrame:
    """A copy with a `link` column (the incident's explorer page) placed first."""
    out = df.copy()
    out.insert(0, "link", out[column].map(explorer_url))
    return out


def incident_link_column() -> st.column_config.LinkColumn:
    # The link shows the id taken from its own URL, so no document text forms the link.
    return st.column_config.LinkColumn(
        "Incident", display_text=r"incident=(.*)$", help="Open the incident's page"
    )


INCIDENT_COLUMNS = {
    "incident_id": "Incident",
    "incident_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "severity": "Severity",
    "status": "Status",
    "title": st.column_config.TextColumn("Title", width="large"),
    "team": "Team",
    "services": "Services",
    "detection_gap": st.column_config.TextColumn("Detection gap", width="large"),
}
"""Column headings for the tables of incidents."""

ACTION_COLUMNS = {
    "severity": "Severity",
    "title": st.column_config.TextColumn("Incident title", width="medium"),
    "action_id": "Action #",
    "description": st.column_config.TextColumn("Action", width="large"),
    "owner": "Owner",
    "team": "Team",
    "due_date": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
    "incident_date": st.column_config.DateColumn("Incident date", format="YYYY-MM-DD"),
    "due_text": "Due (as written)",
    "days_overdue": "Days overdue",
    "status": "Status",
    "missing": "Missing",
}
"""Column headings for the tables of actions."""


def table(df: pd.DataFrame, **kwargs):
    """st.dataframe without an index and with an empty cell for a missing value (Streamlit
    writes "None" in it otherwise). Every table of the dashboard goes through here."""
    kwargs.setdefault("hide_index", True)
    return st.dataframe(df, placeholder="", **kwargs)


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy safe to open in a spreadsheet: text starting with = + - @ gets a leading quote,
    so a cell typed into a postmortem cannot run as a formula."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
            )
    return out
