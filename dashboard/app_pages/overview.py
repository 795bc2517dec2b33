"""Overview: the period in view against the one before it, each figure with what its change may
be called (an arrow only for a change the data can tell from chance), the time to restore as a
distribution, near misses and the causes that keep coming back."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, data, distributions, filters, periods, tiles, ui
from pipeline import analytics

f = filters.current()
label = filters.period_words()
# as_of is passed (not left to default to today) so cached figures roll over at midnight.
today = date.today()
review = data.query(analytics.compare_periods, f, as_of=today)
now, before, changes = review["now"], review["before"], review["changes"]
previous_label = (
    periods.describe(review["previous"].since, review["previous"].until) if before else None
)

st.title("Overview")
st.caption(
    f"{label}, against {previous_label}. A change gets an arrow only when the data can tell "
    f"it from chance: a 95% interval that leaves out zero, and at least "
    f"{analytics.MIN_INCIDENTS} incidents behind the figure in each period."
    if previous_label
    else f"{label} (pick a bounded period in the sidebar to compare with the one before)"
)

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
tiles.tile(
    cols[0],
    "Incidents",
    now["incidents"],
    changes.get("incidents"),
    "count",
    help="Fewer is better: a detectable rise is red.",
)
with cols[0]:
    ui.explorer_link("All of them")
for col, sev in zip(cols[1:], analytics.SEVERITY_ORDER, strict=True):
    tiles.tile(
        col,
        f"{sev} incidents",
        now["by_severity"].get(sev, 0),
        changes.get("by_severity", {}).get(sev),
        "count",
    )
    if now["by_severity"].get(sev):
        with col:
            ui.explorer_link(f"The {sev} incidents", show=f"severity:{sev}")

st.subheader("Response and detection")
cols = st.columns(4)
tiles.tile(
    cols[0],
    "Median time to restore",
    ui.minutes(now["ttr_median"]),
    changes.get("ttr_median"),
    "minutes",
    help=f"First alert to service restored, over the {now['ttr_incidents']} incidents whose "
    "timeline has both. The change's interval is a bootstrap of the two periods.",
)
tiles.tile(
    cols[1],
    "p90 time to restore",
    ui.minutes(now["ttr_p90"]),
    changes.get("ttr_p90"),
    "minutes",
    help="9 in 10 incidents were restored faster than this.",
)
tiles.tile(
    cols[2],
    "Detected by customers",
    ui.share(now["customer_detected_share"]),
    changes.get("customer_detected_share"),
    "share",
    help=f"Share of the {now['detection_known']} incidents with a detection method ticked "
    "that customers reported.",
)
with cols[2]:
    if now["customer_detected"]:
        ui.explorer_link(f"The {now['customer_detected']} found by customers", show="customer")
tiles.tile(
    cols[3],
    "P0/P1 share",
    ui.share(now["p0_p1_share"]),
    changes.get("p0_p1_share"),
    "share",
)

st.subheader(f"Action items (as of {now['as_of']})")
cols = st.columns(3)
for col, key, title, help_text in (
    (cols[0], "open_actions", "Open actions", "Actions of these incidents still open."),
    (cols[1], "overdue_actions", "Overdue actions", "Open actions whose due date has passed."),
    (cols[2], "done_actions", "Done actions", None),
):
    tiles.plain_tile(
        col,
        title,
        now[key],
        f"{before[key]:,} in {previous_label}" if before else None,
        help=help_text,
    )
with cols[1]:
    if now["overdue_actions"]:
        ui.explorer_link("Incidents with overdue actions", show="overdue")

left, right = st.columns(2)
with left:
    trend = filters.trend(f)
    restore_stats = data.query(analytics.clock_distribution, trend, "time_to_restore", by="quarter")
    restore = data.points(
        analytics.clock_values,
        trend,
        "time_to_restore",
        limit=charts.MAX_POINTS,
        count=int(restore_stats["incidents"].sum()),
        columns=["incident_id", "quarter", "minutes"],
    )
    st.plotly_chart(
        distributions.fig_clock_distribution(restore, restore_stats, "quarter", "time_to_restore"),
        key="overview_restore",
    )
with right:
    st.plotly_chart(
        charts.fig_severity_compare(
            now["by_severity"],
            before["by_severity"] if before else None,
            (periods.describe(f.since, f.until), previous_label or ""),
        ),
        key="overview_severity",
    )

left, right = st.columns([3, 2])
with left:
    st.subheader("Where we got lucky")
    lucky, total = data.view(analytics.near_misses, f, head=8)
    if lucky.empty:
        ui.empty_state("No postmortem in view says where it got lucky.")
    else:
        st.caption(
            "Near misses the postmortems record: what nearly made it worse. The cheapest lessons."
        )
        ui.table(
            ui.with_incident_links(lucky[["incident_id", "text"]]).drop(columns="incident_id"),
            column_config={
                "link": ui.incident_link_column(),
                "text": st.column_config.TextColumn("What went our way", width="large"),
            },
            key="overview_lucky",
        )
        st.page_link(
            "app_pages/postmortems.py",
            label="Every near miss" if total is None else f"All {total} near misses",
        )
with right:
    st.subheader("Top recurring causes")
    if now["top_causes"]:
        causes = pd.DataFrame(now["top_causes"], columns=["Cause", "Incidents"])
        ui.table(causes)
        st.page_link("app_pages/causes.py", label="All causes and their incidents")
    else:
        ui.empty_state("No root-cause clusters among these incidents.")
