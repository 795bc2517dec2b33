"""Root causes: the causes that keep coming back, when, and whether they came back after a fix;
who placed each incident in its group ('pinned' by the authors or a reviewer, or 'found'), what
failed each time, and what of the reviewers' causes.yml matched nothing."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, safe_text, ui
from pipeline import analytics
from pipeline.presentation import CANT_TELL, recurrence_answer

f = filters.current()
esc = safe_text.md_escape
st.title("Root causes")

problems = data.query(analytics.correction_problems)
if not problems.empty:
    entries = "1 entry" if len(problems) == 1 else f"{len(problems):,} entries"
    st.warning(
        f"{entries} of the reviewers' corrections (causes.yml) changed nothing: fix the file "
        "and ingest again.",
        icon=":material/rule:",
    )
    ui.table(
        problems.assign(file=problems["source_path"])[["file", "line", "message"]],
        key="causes_correction_problems",
        column_config={
            "file": st.column_config.TextColumn("File", width="medium"),
            "line": st.column_config.NumberColumn("Line", format="%d"),
            "message": st.column_config.TextColumn("Problem", width="large"),
        },
    )

causes = data.query(analytics.recurring_causes, f)
if causes.empty:
    ui.empty_state(
        "No root-cause clusters among the incidents in view.",
        "Widen the period or clear a filter in the sidebar.",
    )
    st.stop()

recurring = causes[causes["incidents"] > 1]
answers = [
    recurrence_answer(recurred, naming)
    for recurred, naming in zip(
        causes["recurred_after_fix"], causes["naming_a_service"], strict=True
    )
]
flagged = answers.count("yes")
unknowable = answers.count(CANT_TELL)
pinned = int(causes["pinned"].sum())
st.caption(
    f"{ui.count(len(causes), 'cause')}; {len(recurring)} seen more than once; {flagged} came "
    "back after a 'done' prevention action of an earlier incident on a service both name"
    + (
        f" ({unknowable} can't tell: none of their incidents names a service). "
        if unknowable
        else ". "
    )
    + f"{ui.count(pinned, 'incident')} pinned (by the front matter's root_cause_category or "
    "causes.yml), the others found by the grouping."
)
st.plotly_chart(charts.fig_recurring_causes(causes), key="causes_ranked")

st.subheader("Drill into a cause")
labels = dict(zip(causes["cluster_id"], causes["cluster_label"], strict=True))
counts = dict(zip(causes["cluster_id"], causes["incidents"], strict=True))
choice = st.selectbox(
    "Cause",
    causes["cluster_id"].tolist(),
    format_func=lambda cid: f"{labels[cid]} ({ui.count(counts[cid], 'incident')})",
    key="causes_cluster",
)
row = causes.loc[causes["cluster_id"] == choice].iloc[0]
answer = recurrence_answer(row["recurred_after_fix"], row["naming_a_service"])
st.markdown(
    f"**{esc(row['cluster_label'])}**: {ui.count(row['incidents'], 'incident')} "
    f"({row['pinned']} pinned), first {ui.day(row['first_seen'])}, last {ui.day(row['last_seen'])}"
    + {
        "yes": f" — :red[{row['recurrences_after_fix']} of them came after a done prevention "
        "action]",
        "no": "",
        CANT_TELL: " — whether it came back after a fix can't be told: none of its incidents "
        "names a service",
    }[answer]
)
st.caption(
    "What failed each time: when the fixes differ, the group may be two causes. Split it, pin "
    "an incident or rename the group in causes.yml beside the postmortems; "
    "`postmortems causes --explain INCIDENT` says why an incident is here."
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
                "assignment",
                "what_failed",
                "recurred_after_fix",
                "fixed_in_incident_id",
                "fixed_service",
            ]
        ]
    ),
    key="causes_members",
    column_config={
        **ui.INCIDENT_COLUMNS,
        "link": ui.incident_link_column(),
        "incident_id": None,
        "assignment": st.column_config.TextColumn(
            "Pinned or found",
            help="pinned: placed by the front matter's root_cause_category or causes.yml; "
            "found: by the grouping",
        ),
        "what_failed": st.column_config.TextColumn("What failed", width="large"),
        "recurred_after_fix": "After a done fix",
        "fixed_in_incident_id": "Fix recorded in",
        "fixed_service": st.column_config.TextColumn(
            "Service hit again",
            help="The earlier incident whose fix this came after and this one both name this "
            "service",
        ),
    },
)
ui.explorer_link("Open these in the explorer", show=f"cause:{choice}")
