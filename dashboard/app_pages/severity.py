"""Severity trends: how many incidents, and how bad, over time."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, ui
from pipeline import analytics

f = filters.current()
st.title("Severity trends")

period = (
    st.segmented_control(
        "Per", ["quarter", "month"], default="quarter", key="severity_period", format_func=str.title
    )
    or "quarter"
)
counts = data.query(analytics.incident_counts, f, period=period)
if counts.empty:
    ui.empty_state(
        "No incidents match the filters.", "Widen the period or clear a filter in the sidebar."
    )
    st.stop()
counts_figure = charts.fig_incident_counts(counts, period)
picked = st.plotly_chart(
    counts_figure, key="severity_counts", on_select="rerun", selection_mode="points"
)
st.caption("Click a bar to list its incidents.")
if picked and picked.selection.points:
    point = picked.selection.points[0]
    severity = counts_figure.data[point["curve_number"]].name
    st.switch_page(
        ui.EXPLORER,
        query_params={**filters.url_params(), "show": f"severity:{severity}@{point['x']}"},
    )

share = data.query(analytics.severity_share, f)
st.caption(
    "The P0/P1 share of each quarter with its 95% interval: where two quarters' intervals "
    "overlap widely, the change between them may be chance."
)
ui.table(
    share,
    column_config={
        "quarter": "Quarter",
        "incidents": "Incidents",
        "p0_p1": "P0/P1",
        "p0_p1_share": st.column_config.NumberColumn("P0/P1 share", format="percent"),
        "p0_p1_low": st.column_config.NumberColumn("95% interval from", format="percent"),
        "p0_p1_high": st.column_config.NumberColumn("to", format="percent"),
        "change_pct": st.column_config.NumberColumn(
            "Incidents vs previous quarter (%)", format="%+.0f%%"
        ),
        "p0_p1_share_change": st.column_config.NumberColumn(
            "P0/P1 share change (pts)", format="%+.2f"
        ),
    },
)

st.page_link(
    "app_pages/response.py", label="Response times, as distributions, are on the Response page"
)
