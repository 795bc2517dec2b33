"""Action items: what is overdue (most urgent first), whether actions get done (their age, FINAL
postmortems still open, completion by category), who closes them, what lacks an owner."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import charts, data, distributions, filters, ui
from pipeline import analytics

f = filters.current()
st.title("Action items")

# The as-of date lives in the URL too, so a link to "overdue as of the review day" reproduces.
if "actions_as_of" not in st.session_state:
    try:
        st.session_state["actions_as_of"] = date.fromisoformat(st.query_params.get("as_of", ""))
    except ValueError:
        st.session_state["actions_as_of"] = date.today()
left, middle, right = st.columns(3)
as_of = left.date_input(
    "As of",
    key="actions_as_of",
    format="YYYY-MM-DD",
    help="An action is overdue when it is open and its due date is before this day.",
)
owner = middle.text_input("Owner", key="actions_owner", placeholder="any owner")
team = right.text_input("Team", key="actions_team", placeholder="any team")
if as_of == date.today():
    st.query_params.pop("as_of", None)
else:
    st.query_params["as_of"] = as_of.isoformat()

summary = data.query(analytics.action_summary, f, as_of=as_of).iloc[0]
if not summary["total"]:
    ui.empty_state(
        "The incidents in view have no action items.",
        "Widen the period or clear a filter in the sidebar.",
    )
    st.stop()
cols = st.columns(6)
for col, (label, key) in zip(
    cols,
    [
        ("Actions", "total"),
        ("Open", "open"),
        ("Overdue", "overdue"),
        ("Done", "done"),
        ("Won't do", "wont_do"),
        ("No owner", "no_owner"),
    ],
    strict=True,
):
    col.metric(label, int(summary[key]))

st.subheader("Overdue, most urgent first")
overdue_args = {"as_of": as_of, "owner": owner or None, "team": team or None}
overdue, total = data.view(analytics.overdue_actions, f, head=ui.TABLE_ROWS, **overdue_args)
if overdue.empty:
    ui.empty_state(f"Nothing overdue as of {as_of}.")
else:
    st.caption(
        f"{ui.count_text(total, len(overdue), 'overdue action')}: P0/P1 incidents first, "
        "then the longest overdue."
    )
    ui.rows_note(len(overdue), total, "overdue actions")
    ui.table(
        ui.with_incident_links(overdue).drop(columns="incident_id"),
        column_config={"link": ui.incident_link_column(), **ui.ACTION_COLUMNS},
        key="actions_overdue",
    )
    st.download_button(
        "Download all the overdue actions as CSV",
        # Built only when clicked: every overdue action, not just the rows on screen.
        lambda: ui.csv_safe(data.fresh(analytics.overdue_actions, f, **overdue_args)).to_csv(
            index=False
        ),
        file_name=f"overdue-actions-{as_of}.csv",
        mime="text/csv",
        icon=":material/download:",
    )

st.subheader("Follow-through")
age_stats = data.query(analytics.open_action_age_summary, f, as_of=as_of, by="severity")
left, right = st.columns(2)
with left:
    if age_stats.empty:
        ui.empty_state(f"No action of these incidents is open on {as_of}.")
    else:
        st.plotly_chart(
            distributions.fig_log_distribution(
                data.points(
                    analytics.open_action_ages,
                    f,
                    as_of=as_of,
                    limit=charts.MAX_POINTS,
                    count=int(age_stats["actions"].sum()),
                    columns=["incident_id", "severity", "age_days"],
                ),
                age_stats,
                "severity",
                title="Age of open actions by severity (days since the incident; log scale)",
                y_title="Age (log scale)",
                value="age_days",
                n="actions",
                log="days",
            ),
            key="actions_ages",
        )
with right:
    categories = data.query(analytics.completion_by_category, filters.trend(f))
    st.plotly_chart(distributions.fig_completion_by_category(categories), key="actions_categories")
final_open, total = data.view(analytics.final_with_open_actions, f, as_of=as_of, head=ui.TABLE_ROWS)
if final_open.empty:
    st.caption(f"Every FINAL postmortem in view has its actions closed as of {as_of}.")
else:
    st.markdown(
        f"**{ui.count(total or len(final_open), 'FINAL postmortem')} with actions still open** "
        "(the review is closed on paper, not in fact):"
    )
    ui.table(
        ui.with_incident_links(final_open).drop(columns="incident_id"),
        column_config={
            "link": ui.incident_link_column(),
            **ui.INCIDENT_COLUMNS,
            "last_updated": st.column_config.DateColumn("Last updated", format="YYYY-MM-DD"),
            "open_actions": "Open",
            "overdue_actions": "Overdue",
            "oldest_due": st.column_config.DateColumn("Earliest due", format="YYYY-MM-DD"),
        },
        key="actions_final_open",
    )

st.subheader("Completion by owner and team")
by = (
    st.segmented_control(
        "Group by", ["owner", "team"], default="owner", key="actions_by", format_func=str.title
    )
    or "owner"
)
completion = data.query(analytics.action_completion, f, by=by, as_of=as_of)
left, right = st.columns([3, 2])
left.plotly_chart(charts.fig_action_completion(completion.head(20), by), key="actions_completion")
with right:
    ui.table(
        completion,
        column_config={
            by: by.title(),
            "actions": "Actions",
            "done": "Done",
            "wont_do": "Won't do",
            "completion_rate": st.column_config.NumberColumn("Completion", format="percent"),
            "median_days_to_close": st.column_config.NumberColumn(
                "Median days to close", format="%.1f"
            ),
            "overdue": "Overdue",
        },
    )

st.subheader("Missing an owner or a due date")
lacking = int(summary["no_owner"]) + int(summary["no_due_date"])
# A long list costs the first visitor a query; below a table's worth it is simply shown.
listed = lacking <= ui.TABLE_ROWS or st.toggle(
    f"List them ({int(summary['no_owner']):,} without an owner, "
    f"{int(summary['no_due_date']):,} without a due date)",
    key="actions_list_missing",
)
missing, total = (
    data.view(analytics.actions_missing_owner_or_due, f, head=ui.TABLE_ROWS)
    if listed
    else (None, 0)
)
if not lacking:
    ui.empty_state("Every action in view has an owner and a due date.")
elif missing is not None:
    ui.rows_note(len(missing), total, "actions")
    ui.table(
        ui.with_incident_links(missing).drop(columns="incident_id"),
        column_config={"link": ui.incident_link_column(), **ui.ACTION_COLUMNS},
        key="actions_missing",
    )
