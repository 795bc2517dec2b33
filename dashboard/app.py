"""Entry point: `streamlit run dashboard/app.py -- --db FILE` (or `postmortems dashboard`).

It only builds the navigation, draws the shared sidebar filters and runs the chosen page; an
unreadable or empty database gets a friendly explanation instead of the page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ first on sys.path; the packages live one up.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from dashboard import data, filters, ui
from pipeline import analytics
from pipeline.db import DatabaseError

# The tab icon is an emoji, which the browser draws itself: a Material icon here would be
# fetched from a Google fonts host, and nothing may leave the machine (some teams are
# air-gapped; postmortems are sensitive). The page icons below ship inside streamlit.
st.set_page_config(page_title="Postmortem Analytics", page_icon="📊", layout="wide")

PAGES = [
    st.Page(
        "app_pages/overview.py",
        title="Overview",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    st.Page(
        "app_pages/severity.py",
        title="Severity trends",
        icon=":material/trending_up:",
        url_path="severity",
    ),
    st.Page(
        "app_pages/response.py", title="Response", icon=":material/timer:", url_path="response"
    ),
    st.Page(
        "app_pages/detection.py", title="Detection", icon=":material/radar:", url_path="detection"
    ),
    st.Page(
        "app_pages/actions.py", title="Action items", icon=":material/task_alt:", url_path="actions"
    ),
    st.Page(
        "app_pages/postmortems.py",
        title="Postmortems",
        icon=":material/description:",
        url_path="postmortems",
    ),
    st.Page("app_pages/causes.py", title="Root causes", icon=":material/hub:", url_path="causes"),
    st.Page(
        "app_pages/explorer.py",
        title="Incident explorer",
        icon=":material/search:",
        url_path=ui.EXPLORER_URL,
    ),
]

page = st.navigation(PAGES)

try:
    options = data.query(analytics.filter_options)
except DatabaseError as exc:
    st.title(page.title)
    ui.empty_state(
        "The dashboard cannot read its database yet.",
        f"`{exc}`",
    )
    st.stop()

st.session_state["filters"] = filters.sidebar(options)

if options["min_date"] is None and not options["severities"] and not options["teams"]:
    st.title(page.title)
    ui.empty_state(
        "No postmortems are loaded yet.",
        f"Load a folder of postmortems with `postmortems ingest PATH --db {data.db_path()}`; "
        "this page shows them as soon as the load ends (no restart needed).",
    )
    st.stop()

page.run()
