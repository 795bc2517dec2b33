"""Overview: the period in view against the one before it, one tile per headline figure."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, periods, ui
from pipeline import analytics

f = filters.current()
previous_range = periods.previous_period(f.since, f.until)
previous = (
    dataclasses.replace(f, since=previous_range[0], until=previous_range[1])
    if previous_range
    else None
)
label = periods.describe(f.since, f.until)
previous_label = periods.describe(*previous_range) if previous_range else None

st.title("Overview")
st.caption(
    f"{label} against {previous_label}"
    if previous_label
    else f"{label} (pick a bounded period in the sidebar to compare with the one before)"
)

# as_of is passed (not left to default to today) so cached figures roll over at midnight.
today = date.today()
now = data.query(analytics.headline, f, as_of=today)
before = data.query(analytics.headline, previous, as_of=today) if previous else None


def _prev(key: str):
    return before[key] if before else None


if not now["incidents"]:
    ui.empty_state(
        f"No incidents in {label} match the filters.",
        "Widen the period (try 'Last 12 months' or 'All time') or clear a filter in the sidebar.",
    )
    if before and before["incidents"]:
        st.write(f"{before['incidents']} incidents in the previous period ({previous_label}).")
    st.stop()

st.subheader("Incidents")
cols = st.columns(5)
cols[0].metric(
    "Incidents",
    now["incidents"],
    ui.change(now["incidents"], _prev("incidents")),
    delta_color="inverse",
    help="Fewer is better: the change is red when it grows.",
)
with cols[0]:
    ui.explorer_link("All of them")
for col, sev in zip(cols[1:], ("P0", "P1", "P2", "P3"), strict=True):
    previous_count = before["by_severity"].get(sev) if before else None
    col.metric(
        f"{sev} incidents",
        now["by_severity"].get(sev, 0),
        ui.change(now["by_severity"].get(sev, 0), previous_count),
        delta_color="inverse",
    )
    if now["by_severity"].get(sev):
        with col:
            ui.explorer_link(f"The {sev} incidents", show=f"severity:{sev}")

st.subheader("Response and detection")
cols = st.columns(4)
cols[0].metric(
    "Median time to restore",
    ui.minutes(now["ttr_median"]),
    ui.change(now["ttr_median"], _prev("ttr_median"), " min"),
    delta_color="inverse",
    help=f"First alert to service restored, over the {now['ttr_incidents']} incidents "
    "whose timeline has both.",
)
cols[1].metric(
    "p90 time to restore",
    ui.minutes(now["ttr_p90"]),
    ui.change(now["ttr_p90"], _prev("ttr_p90"), " min"),
    delta_color="inverse",
    help="9 in 10 incidents were restored faster than this.",
)
share_now = now["customer_detected_share"]
share_before = _prev("customer_detected_share")
cols[2].metric(
    "Detected by customers",
    ui.share(share_now),
    ui.change(
        None if share_now is None else 100 * share_now,
        None if share_before is None else 100 * share_before,
        " pts",
    ),
    delta_color="inverse",
    help="Share of the incidents with a detection method ticked that customers reported.",
)
with cols[2]:
    if now["customer_detected"]:
        ui.explorer_link(f"The {now['customer_detected']} found by customers", show="customer")
cols[3].metric(
    "P0/P1 share",
    ui.share(now["p0_p1_share"]),
    ui.change(
        None if now["p0_p1_share"] is None else 100 * now["p0_p1_share"],
        None if _prev("p0_p1_share") is None else 100 * _prev("p0_p1_share"),
        " pts",
    ),
    delta_color="inverse",
)

st.subheader(f"Action items (as of {now['as_of']})")
cols = st.columns(3)
cols[0].metric(
    "Open actions",
    now["open_actions"],
    ui.change(now["open_actions"], _prev("open_actions")),
    delta_color="inverse",
    help="Actions of the incidents in view still todo or in progress.",
)
cols[1].metric(
    "Overdue actions",
    now["overdue_actions"],
    ui.change(now["overdue_actions"], _prev("overdue_actions")),
    delta_color="inverse",
    help="Open actions whose due date has passed.",
)
with cols[1]:
    if now["overdue_actions"]:
        ui.explorer_link("Incidents with overdue actions", show="overdue")
cols[2].metric(
    "Done actions", now["done_actions"], ui.change(now["done_actions"], _prev("done_actions"))
)

left, right = st.columns([3, 2])
with left:
    st.plotly_chart(
        charts.fig_severity_compare(
            now["by_severity"],
            before["by_severity"] if before else None,
            (label, previous_label or ""),
        ),
        key="overview_severity",
    )
with right:
    st.subheader("Top recurring causes")
    if now["top_causes"]:
        causes = pd.DataFrame(now["top_causes"], columns=["Cause", "Incidents"])
        st.dataframe(causes, hide_index=True)
        st.page_link(
            "app_pages/causes.py", label="All causes and their incidents", icon=":material/hub:"
        )
    else:
        ui.empty_state("No root-cause clusters among these incidents.")
