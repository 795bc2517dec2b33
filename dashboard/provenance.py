"""Where one incident's figures came from, as the incident explorer shows them: the timeline row
behind each milestone and how its kind was decided, how the duration was obtained, and why the
cause is in its group. So a reviewer can see why a time to restore is 19 hours, and what to
change in the document (or in causes.yml) when it is wrong.

The facts come from `pipeline.analytics` (milestone_rows, duration_basis, explain_cause), the
same functions the CLI calls; this module only lays them out. Document text is shown as text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, safe_text, ui
from pipeline import analytics

esc = safe_text.md_escape
NOT_READ = "no timed row was read as this"


def duration_note(duration: dict | None) -> str | None:
    """How the duration was obtained, in words (the help of the Duration tile)."""
    if not duration:
        return None
    text = duration["how_obtained"]
    return text[:1].upper() + text[1:] + "."


def milestones(detail: dict) -> None:
    """The milestone columns, each with the timeline row it came from."""
    st.subheader("Milestones and the rows they come from")
    rows: pd.DataFrame = detail["milestones"]
    duration = detail.get("duration") or {}
    path = detail["incident"].get("source_path")
    st.caption(
        "Each time is the earliest timeline row of its kind; the line is in "
        f"{esc(path or 'the source file')}. A kind is stated by the author (a leading tag such "
        "as \\[restored\\] or the template's phrase), read by the phrase rules, or guessed by "
        "the model (with its confidence)."
    )
    shown = rows.assign(
        row=[
            NOT_READ if ui.is_missing(event) else f"{time_text} | {event}"
            for time_text, event in zip(rows["time_text"], rows["event"], strict=True)
        ],
    )[["milestone", "occurred_at", "line", "row", "how_decided"]]
    ui.table(
        shown,
        key="explorer_milestones",
        column_config={
            "milestone": "Milestone",
            "occurred_at": st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm"),
            "line": st.column_config.NumberColumn("Line", format="%d"),
            "row": st.column_config.TextColumn("Timeline row (as written)", width="large"),
            "how_decided": "Kind decided by",
        },
    )
    if duration:
        st.markdown(
            f"**Duration:** {ui.minutes(duration.get('duration_minutes'))}, "
            f"{esc(duration['how_obtained'])}."
        )
        if duration.get("restored_hint"):
            st.warning(esc(duration["restored_hint"]), icon=":material/edit_note:")


def cause(detail: dict) -> None:
    """The incident's cause group: who placed it there, what failed, and why (on demand)."""
    cluster = detail.get("cluster")
    if not cluster:
        return
    placed = "pinned" if cluster.get("assignment") == "pinned" else "found"
    st.markdown(
        f"**Root-cause cluster:** {esc(cluster['cluster_label'])} ({placed})"
        + (
            f" — :red[recurred on {esc(cluster['fixed_service'])} after the fix done in "
            f"{esc(cluster['fixed_in_incident_id'])}]"
            if cluster.get("recurred_after_fix")
            else ""
        )
    )
    if cluster.get("what_failed"):
        st.markdown(f"**What failed:** {esc(cluster['what_failed'])}")
    with st.expander("Why this cause group?"):
        incident_id = detail["incident"]["incident_id"]
        explanation = data.query(analytics.explain_cause, incident_id)
        if explanation is None:
            st.caption("This incident is no longer loaded.")
            return
        st.text("\n".join(analytics.explanation_lines(explanation)[1:]))
        st.caption(
            "Disagree? Pin the incident in causes.yml beside the postmortems "
            f"({esc(incident_id)}: a mechanism or a group name of your own) and ingest again."
        )
