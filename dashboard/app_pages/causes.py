"""Root causes: the causes that keep coming back, when, and whether they came back after a fix."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, safe_text, ui

f = filters.current()
st.title("Root causes")

causes = data.query("recurring_causes", f)
if causes.empty:
    ui.empty_state("No root-cause clusters among the incidents in view.",
                   "Widen the period or clear a filter in the sidebar.")
    st.stop()

recurring = causes[causes["incidents"] > 1]
flagged = int(causes["recurred_after_fix"].sum())
st.caption(f"{len(causes)} causes; {len(recurring)} seen more than once; "
           f"{flagged} came back after a 'done' prevention action.")
st.plotly_chart(charts.fig_recurring_causes(causes), key="causes_ranked")
st.plotly_chart(charts.fig_cause_occurrences(data.query("cause_occurrences", f)),
                key="causes_timeline")

st.subheader("Drill into a cause")
choice = st.selectbox(
    "Cause",
    causes["cluster_id"].tolist(),
    format_func=lambda cid: "{} ({} incidents)".format(
        *causes.loc[causes["cluster_id"] == cid, ["cluster_label", "incidents"]].iloc[0]
    ),
    key="causes_cluster",
)
row = causes.loc[causes["cluster_id"] == choice].iloc[0]
st.markdown(
    f"**{safe_text.md_escape(row['cluster_label'])}**: {row['incidents']} incidents, "
    f"first {ui.day(row['first_seen'])}, last {ui.day(row['last_seen'])}"
    + (" — :red[came back after a done prevention action]" if row["recurred_after_fix"] else "")
)
members = data.query("incidents", f)
members = members[members["incident_id"].isin(list(row["incident_ids"]))]
st.dataframe(
    ui.with_incident_links(members[["incident_id", "incident_date", "severity", "title",
                                    "team"]]).drop(columns="incident_id"),
    hide_index=True,
    column_config={"link": ui.incident_link_column()},
    key="causes_members",
)
ui.explorer_link("Open these in the explorer", show=f"cause:{choice}")
