"""Detection: who noticed first, how long it took, and what would have caught it earlier."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, ui
from pipeline import analytics

f = filters.current()
st.title("Detection")

by_quarter = data.query(analytics.detection_share, f, by="quarter")
if by_quarter.empty:
    ui.empty_state(
        "No incident in view says how it was detected.",
        "Widen the period or clear a filter; postmortems record it in 'How Was It Detected?'.",
    )
else:
    left, right = st.columns(2)
    left.plotly_chart(charts.fig_detection_share(by_quarter, "quarter"), key="detection_quarter")
    right.plotly_chart(
        charts.fig_detection_share(
            data.query(analytics.detection_share, f, by="severity"), "severity"
        ),
        key="detection_severity",
    )

st.subheader("Found by customers")
customers, total = data.view(
    analytics.customer_detected,
    f,
    head=ui.TABLE_ROWS,
    columns=["incident_id", "title", "severity", "incident_date", "detection_gap"],
)
if customers.empty:
    ui.empty_state("No incident in view was reported by a customer.")
else:
    st.caption(
        f"{ui.count_text(total, len(customers), 'incident')} customers told us about before we knew."
    )
    ui.rows_note(len(customers), total, "incidents")
    ui.table(
        ui.with_incident_links(customers).drop(columns="incident_id"),
        column_config={
            **ui.INCIDENT_COLUMNS,
            "link": ui.incident_link_column(),
            "detection_gap": st.column_config.TextColumn(
                "What would have caught it earlier", width="large"
            ),
        },
        key="detection_customers",
    )
    ui.explorer_link("Open these in the explorer", show="customer")

st.subheader("Time to detect")
ttd, _ = data.view(analytics.time_to_detect, f, columns=["incident_id", "severity", "minutes"])
if ttd.empty:
    ui.empty_state(
        "No incident in view has both an impact start and a first alert in its timeline."
    )
else:
    st.plotly_chart(charts.fig_time_to_detect(ttd), key="detection_ttd")

st.subheader("Detection gaps")
search = st.text_input(
    "Search the detection-gap texts",
    key="detection_search",
    placeholder="e.g. certificate, alert, synthetic",
)
gaps, total = data.view(analytics.detection_gaps, f, search=search or None, head=ui.TABLE_ROWS)
if gaps.empty:
    ui.empty_state(
        "No detection-gap text matches."
        if search
        else "No incident in view has a detection-gap text."
    )
else:
    ui.rows_note(len(gaps), total, "detection gaps")
    ui.table(
        ui.with_incident_links(gaps).drop(columns="incident_id"),
        column_config={**ui.INCIDENT_COLUMNS, "link": ui.incident_link_column()},
        key="detection_gaps",
    )
