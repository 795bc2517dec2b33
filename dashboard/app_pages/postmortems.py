"""Postmortems: how long they take to reach FINAL, the drafts left behind with who owns them,
and the near misses they record ("Where we got lucky")."""

from __future__ import annotations

import dataclasses
from datetime import date

import streamlit as st

from dashboard import charts, data, distributions, filters, ui
from pipeline import analytics

f = filters.current()
st.title("Postmortems")

st.subheader("Days from the incident to FINAL")
recent = filters.trend(f)
days = data.query(analytics.days_to_final_summary, recent, by="quarter")
if days.empty:
    ui.empty_state("No FINAL postmortem in view has a Last Updated date.")
else:
    st.plotly_chart(
        distributions.fig_log_distribution(
            data.points(
                analytics.days_to_final,
                recent,
                limit=charts.MAX_POINTS,
                count=int(days["incidents"].sum()),
                columns=["incident_id", "quarter", "days"],
            ),
            days,
            "quarter",
            title="Days to FINAL by quarter (◆ median, ▲ p90, n under each)",
            y_title="Days",
            value="days",
            log=None,
        ),
        key="postmortems_days_to_final",
    )
    st.caption(
        "From the incident to the Last Updated date of each FINAL postmortem: the latest it "
        "can have become FINAL (the template records no date of the status change). The "
        "period in view and the three quarters before it."
    )

st.subheader("Drafts left behind")
older_than = st.number_input(
    "Drafts older than (days)",
    min_value=0,
    value=analytics.STALE_DRAFT_DAYS,
    step=1,
    key="postmortems_stale_days",
)
# A stale draft matters whenever its incident was: every draft up to the end of the period.
backlog = dataclasses.replace(f, since=None)
stale, total = data.view(
    analytics.stale_drafts,
    backlog,
    as_of=date.today(),
    older_than=int(older_than),
    head=ui.TABLE_ROWS,
)
if stale.empty:
    ui.empty_state(f"No draft is more than {int(older_than)} days old.")
else:
    st.caption(
        f"{ui.count(total, 'draft')} more than {int(older_than)} days after the incident, "
        "oldest first, with their authors: every draft up to the end of the period in view."
    )
    ui.rows_note(len(stale), total, "drafts")
    ui.table(
        ui.with_incident_links(stale).drop(columns="incident_id"),
        column_config={
            "link": ui.incident_link_column(),
            **ui.INCIDENT_COLUMNS,
            "owners": "Authors",
            "last_updated": st.column_config.DateColumn("Last updated", format="YYYY-MM-DD"),
            "age_days": "Days since the incident",
        },
        key="postmortems_stale",
    )

st.subheader("Where we got lucky")
lucky, total = data.view(analytics.near_misses, f, head=ui.TABLE_ROWS)
if lucky.empty:
    ui.empty_state("No postmortem in view says where it got lucky.")
else:
    st.caption(
        f"{ui.count_text(total, len(lucky), 'item')}: what nearly made an incident "
        "worse and did not. Nobody pays for these lessons twice if they are read."
    )
    ui.rows_note(len(lucky), total, "near misses")
    ui.table(
        ui.with_incident_links(lucky).drop(columns="incident_id"),
        column_config={
            "link": ui.incident_link_column(),
            "quarter": "Quarter",
            **ui.INCIDENT_COLUMNS,
            "text": st.column_config.TextColumn("What went our way", width="large"),
        },
        column_order=["link", "quarter", "text", "severity", "incident_date", "title"],
        key="postmortems_lucky",
    )
