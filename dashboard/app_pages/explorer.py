"""Incident explorer: search the incidents in view, open one, see everything it says.

URL parameters: `incident=ID` opens one incident; `q=text` searches; `show=` narrows the list to
the incidents behind a number elsewhere: severity:P1 (optionally within a period,
severity:P1@2026Q3 or severity:P1@2026-07), customer, overdue, cause:<cluster id>.
Every piece of document text is shown as text (see dashboard/safe_text.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, periods, provenance, safe_text, ui
from pipeline import analytics

f = filters.current()
esc = safe_text.md_escape
# Longer documents are cut for display (rendering megabytes would stall the page). A comment,
# not a docstring: Streamlit's magic would print a bare string on the page.
MAX_SOURCE_CHARS = 300_000


def _narrowing(show: str) -> tuple[str, pd.Series | None, object]:
    """(what is shown, the incident ids to keep or None for all, narrowed filters)."""
    kind, _, value = show.partition(":")
    if kind == "severity" and value:
        severity, _, within = value.partition("@")
        narrowed = dataclasses.replace(f, severities=(severity,))
        if within:
            try:
                since, until = periods.narrow(f.since, f.until, *periods.label_bounds(within))
            except ValueError:
                return "", None, f
            narrowed = dataclasses.replace(narrowed, since=since, until=until)
            return f"{severity} incidents of {within}", None, narrowed
        return f"{severity} incidents", None, narrowed
    if kind == "customer":
        ids, _ = data.view(analytics.customer_detected, f, columns=["incident_id"])
        return "incidents found by customers", ids["incident_id"], f
    if kind == "overdue":
        ids, _ = data.view(
            analytics.overdue_actions, f, as_of=date.today(), columns=["incident_id"]
        )
        return "incidents with overdue actions", ids["incident_id"].drop_duplicates(), f
    if kind == "cause" and value.lstrip("-").isdigit():
        causes = data.query(analytics.recurring_causes, f)
        match = causes[causes["cluster_id"] == int(value)]
        ids = pd.Series(
            list(match["incident_ids"].iloc[0]) if not match.empty else [], dtype=object
        )
        label = match["cluster_label"].iloc[0] if not match.empty else "an unknown cause"
        return f"incidents of the cause '{label}'", ids, f
    return "", None, f


def _open(incident_id: str) -> None:
    st.query_params["incident"] = incident_id


def _list_page() -> None:
    st.title("Incident explorer")
    if "explorer_q" not in st.session_state:
        st.session_state["explorer_q"] = st.query_params.get("q", "")
    search = st.text_input(
        "Search id, title and text",
        key="explorer_q",
        placeholder="e.g. certificate, INC-2026, checkout",
    )
    if search:
        st.query_params["q"] = search
    else:
        st.query_params.pop("q", None)

    shown, keep, narrowed = _narrowing(st.query_params.get("show", ""))
    columns = [
        "incident_id",
        "incident_date",
        "severity",
        "status",
        "title",
        "team",
        "services",
        "duration_minutes",
        "completeness",
    ]
    if keep is None:
        found, total = data.view(
            analytics.incidents,
            narrowed,
            search=search or None,
            columns=columns,
            head=ui.TABLE_ROWS,
        )
    else:
        found, _ = data.view(analytics.incidents, narrowed, search=search or None, columns=columns)
        found = found[found["incident_id"].isin(keep)]
        total = len(found)
        found = found.head(ui.TABLE_ROWS)
    if shown:
        left, right = st.columns([4, 1])
        left.info(f"Showing only the {esc(shown)}.", icon=":material/filter_alt:")
        if right.button("Show all", key="explorer_clear_show"):
            st.query_params.pop("show", None)
            st.rerun()

    if found.empty:
        ui.empty_state(
            "No incident matches." if search or shown else "No incidents match the filters.",
            "Try fewer words, widen the period or clear a filter in the sidebar.",
        )
        return
    st.caption(
        f"{ui.count_text(total, len(found), 'incident')}, newest first. Pick a row to open it."
    )
    ui.rows_note(len(found), total, "incidents")
    table = found
    event = ui.table(
        table,
        on_select="rerun",
        selection_mode="single-row",
        key="explorer_table",
        column_config={
            **ui.INCIDENT_COLUMNS,
            "duration_minutes": "Duration (min)",
            "completeness": st.column_config.ProgressColumn(
                "Completeness", min_value=0.0, max_value=1.0, format="percent"
            ),
        },
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        _open(str(table.iloc[rows[0]]["incident_id"]))
        st.rerun()
    pick = st.selectbox(
        "Open an incident",
        [None, *table["incident_id"].tolist()],
        format_func=lambda v: "choose…" if v is None else str(v),
        key="explorer_pick",
    )
    if pick is not None:
        del st.session_state["explorer_pick"]
        _open(pick)
        st.rerun()


def _source(incident: dict) -> None:
    st.subheader("Source document")
    path = incident.get("source_path")
    raw_bytes = data.source_bytes(path) if path else None
    if raw_bytes is None:
        ui.empty_state(
            f"The source file {esc(path)} cannot be read any more.",
            "It may have moved since the last ingest.",
        )
        return
    if incident.get("content_sha256") and (
        hashlib.sha256(raw_bytes).hexdigest() != incident["content_sha256"]
    ):
        st.warning(
            "This file changed since it was loaded: the figures above are from the "
            "loaded version. Run the ingest again to update them.",
            icon=":material/sync_problem:",
        )
    st.caption(esc(path))
    text = raw_bytes.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if len(text) > MAX_SOURCE_CHARS:
        st.caption(
            f"The file has {len(text):,} characters; the first {MAX_SOURCE_CHARS:,} are shown."
        )
        text = text[:MAX_SOURCE_CHARS]
    rendered, raw = st.tabs(["Rendered", "Markdown source"])
    with rendered:
        # Rendered with raw HTML disabled and unsafe links dropped; see safe_text.py.
        st.html(safe_text.render_document(text))
    with raw:
        st.code(text, language="markdown", wrap_lines=True)


def _detail_page(incident_id: str) -> None:
    if st.button("Back to the list", icon=":material/arrow_back:", key="explorer_back"):
        st.query_params.pop("incident", None)
        st.rerun()
    detail = data.query(analytics.incident_detail, incident_id)
    if detail is None:
        st.title("Incident explorer")
        ui.empty_state(
            f"No incident {esc(incident_id)} is loaded.",
            "It may have been removed by the last ingest.",
        )
        return
    inc = detail["incident"]
    st.title(f"{esc(inc['incident_id'])}: {esc(inc.get('display_title'))}")
    cols = st.columns(4)
    cols[0].metric("Severity", inc.get("severity") or "unknown")
    cols[1].metric(
        "Duration",
        ui.minutes(inc.get("duration_minutes")),
        help=provenance.duration_note(detail["duration"]),
    )
    cols[2].metric(
        "Completeness",
        ui.share(inc.get("completeness")),
        help="Share of the template's sections really filled in.",
    )
    cols[3].metric("Status", inc.get("status") or "unknown")
    detected = ", ".join(charts.DETECTION_LABELS.get(m, m) for m in detail["detection_methods"])
    st.markdown(
        f"**Date:** {esc(inc.get('incident_date') or 'unknown')} · "
        f"**Team:** {esc(inc.get('team') or 'unknown')} · "
        f"**Services:** {esc(', '.join(inc.get('services') or []) or 'unknown')} · "
        f"**Detected by:** {esc(detected or 'not recorded')}"
    )
    provenance.cause(detail)
    for heading, key in [
        ("Summary", "summary"),
        ("Root cause", "root_cause"),
        ("Detection gap", "detection_gap"),
    ]:
        if inc.get(key):
            st.markdown(f"**{heading}**")
            st.text(inc[key])

    timeline = detail["timeline"]
    st.subheader("Timeline")
    if timeline.empty:
        ui.empty_state("This postmortem has no timeline.")
    else:
        st.plotly_chart(
            charts.fig_incident_timeline(timeline, inc["incident_id"]), key="explorer_timeline"
        )
        ui.table(
            timeline[["time_text", "occurred_at", "kind", "event"]],
            column_config={
                "time_text": "Time (as written)",
                "occurred_at": st.column_config.DatetimeColumn(
                    "Time (UTC)", format="YYYY-MM-DD HH:mm"
                ),
                "kind": "Step",
                "event": st.column_config.TextColumn("Event", width="large"),
            },
        )
    provenance.milestones(detail)

    st.subheader("Action items")
    actions = detail["actions"]
    if actions.empty:
        ui.empty_state("No action items.")
    else:
        shown = [
            c
            for c in [
                "action_id",
                "description",
                "owner",
                "due_text",
                "due_date",
                "status",
                "category",
            ]
            if c in actions.columns
        ]
        ui.table(
            actions[shown],
            column_config={**ui.ACTION_COLUMNS, "category": "Category"},
        )

    st.subheader("Five whys")
    if detail["whys"].empty:
        ui.empty_state("No whys were written.")
    else:
        ui.table(
            detail["whys"][["level", "text", "is_root_cause"]],
            column_config={
                "level": "Why #",
                "text": st.column_config.TextColumn("Answer", width="large"),
                "is_root_cause": "Root cause",
            },
        )

    with st.expander("Lessons, related incidents and load problems"):
        for name, frame in [
            ("Lessons", detail["learnings"]),
            ("Related incidents", detail["related"]),
            ("Load problems", detail["problems"]),
        ]:
            st.markdown(f"**{name}**")
            if frame.empty:
                st.caption("none")
            elif name == "Related incidents":
                # A reference that names a loaded incident links to its page.
                linked = frame.assign(
                    link=frame["linked_incident_id"].map(
                        lambda i: None if ui.is_missing(i) else ui.explorer_url(i)
                    )
                )
                ui.table(
                    linked[["link", "reference", "text"]],
                    column_config={
                        "link": ui.incident_link_column(),
                        "reference": "Reference",
                        "text": st.column_config.TextColumn("As written", width="large"),
                    },
                )
            else:
                ui.table(frame)
    _source(inc)


incident = st.query_params.get("incident")
if incident:
    _detail_page(incident)
else:
    _list_page()
