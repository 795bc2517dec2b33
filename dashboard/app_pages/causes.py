"""Root causes: the causes that keep coming back, when, and whether they came back after a fix."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, safe_text, ui
from pipeline import analytics

f = filters.current()
st.title("Root causes")

causes = data.query(analytics.recurring_causes, f)
if causes.empty:
    ui.empty_state(
        "No root-cause clusters among the incidents in view.",
        "Widen the period or clear a filter in the sidebar.",
    )
    st.stop()

recurring = causes[causes["incidents"] > 1]
flagged = causes[causes["recurred_after_fix"]]
st.caption(
    f"{len(causes)} causes; {len(recurring)} seen more than once; {len(flagged)} came "
    "back after a 'done' prevention action of an earlier incident."
)
st.plotly_chart(charts.fig_recurring_causes(causes), key="causes_ranked")

st.subheader("Drill into a cause")
labels = dict(zip(causes["cluster_id"], causes["cluster_label"], strict=True))
counts = dict(zip(causes["cluster_id"], causes["incidents"], strict=True))
choice = st.selectbox(
    "Cause",
    causes["cluster_id"].tolist(),
    format_func=lambda cid: f"{labels[cid]} ({counts[cid]} incidents)",
    key="causes_cluster",
)
row = causes.loc[causes["cluster_id"] == choice].iloc[0]
st.markdown(
    f"**{safe_text.md_escape(row['cluster_label'])}**: {row['incidents']} incidents, "
    f"first {ui.day(row['first_seen'])}, last {ui.day(row['last_seen'])}"
    + (
        f" — :red[{row['recurrences_after_fix']} of them came after a done prevention action]"
        if row["recurred_after_fix"]
        else ""
    )
)
occurrences, _ = data.view(analytics.cause_occurrences, f, where={"cluster_id": int(choice)})
st.plotly_chart(charts.fig_cause_occurrences(occurrences), key="causes_timeline")
shown = occurrences.sort_values("incident_date", ascending=False).head(ui.TABLE_ROWS)
ui.table(
    ui.with_incident_links(
        shown[
            [
                "incident_id",
                "incident_date",
                "severity",
                "recurred_after_fix",
                "fixed_in_incident_id",
            ]
        ]
    ),
    column_config={
        **ui.INCIDENT_COLUMNS,
        "link": ui.incident_link_column(),
        "incident_id": None,
        "recurred_after_fix": "After a done fix",
        "fixed_in_incident_id": "Fix recorded in",
    },
)
ui.explorer_link("Open these in the explorer", show=f"cause:{choice}")
