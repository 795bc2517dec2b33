"""Severity trends: how many incidents, how bad, and how fast we responded, over time."""

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
st.dataframe(
    share,
    hide_index=True,
    column_config={
        "quarter": "Quarter",
        "incidents": "Incidents",
        "p0_p1": "P0/P1",
        "p0_p1_share": st.column_config.NumberColumn("P0/P1 share", format="percent"),
        "change_pct": st.column_config.NumberColumn(
            "Incidents vs previous quarter (%)", format="%+.0f%%"
        ),
        "p0_p1_share_change": st.column_config.NumberColumn(
            "P0/P1 share change (pts)", format="%+.2f"
        ),
    },
)

st.subheader("Response times")
left, right = st.columns(2)
metric = left.selectbox(
    "Measure",
    list(charts.METRIC_LABELS),
    index=3,
    format_func=charts.METRIC_LABELS.get,
    key="severity_metric",
)
by = (
    right.segmented_control(
        "By", ["severity", "quarter"], default="severity", key="severity_by", format_func=str.title
    )
    or "severity"
)
values, _ = data.view(
    analytics.response_time_values,
    f,
    where={"metric": metric},
    columns=["incident_id", "severity", "quarter", "metric", "minutes"],
)
stats = data.query(analytics.response_times, f, by=by)
st.plotly_chart(charts.fig_response_times(values, stats, by, metric), key="severity_response")
with st.expander("The figures (median, p90, max; minutes)"):
    st.dataframe(stats[stats["metric"] == metric], hide_index=True)
