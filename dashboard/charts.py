"""Pure chart functions: a DataFrame from `pipeline.analytics` in, a plotly Figure out.

Every chart has a title and axis labels, and every severity has the same colour on every page.
No Streamlit here and no figures computed: the numbers arrive ready-made.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from pipeline.presentation import (
    CANT_TELL,
    DETECTION_LABELS,
    SEVERITY_COLORS,
    SEVERITY_ORDER,
    recurrence_answer,
)

MAX_POINTS = 3000
"""Above this many incidents a chart draws distributions, not one mark per incident."""
DETECTION_COLORS = {
    "Automated monitoring": "#1b9e77",
    "Automated test": "#66a61e",
    "Internal user": "#7570b3",
    "Customer report": "#d95f02",
    "Other": "#e7298a",
    "Not recorded": "#9e9e9e",
}
TIMELINE_KIND_LABELS = {
    "impact_start": "Impact started",
    "alert": "Alert",
    "acknowledged": "Acknowledged",
    "root_cause": "Root cause found",
    "mitigation": "Mitigation",
    "restored": "Restored",
    "all_clear": "All clear",
    "other": "Other",
}


def plain(values: pd.Series) -> pd.Series:
    """Document text for a chart: plotly reads a few HTML tags (<a href>, <b>, <br>) in titles,
    tick labels and hovers, so the text is entity-escaped and shows exactly as written."""
    # Quotes stay as they are: plotly reads &lt; &gt; &amp; back but shows &quot; as typed.
    return values.map(lambda v: v if pd.isna(v) else html.escape(str(v), quote=False))


def severity_label(values: pd.Series) -> pd.Series:
    """Severity as shown: NULL becomes 'unknown' so it keeps a colour and a place."""
    return values.fillna("unknown").astype(str)


def layout(fig: go.Figure, title: str, x: str, y: str, legend: str | None = None) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        xaxis_title=x,
        yaxis_title=y,
        legend_title_text=legend,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def empty_figure(title: str, x: str, y: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text="No data for these filters", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    return layout(fig, title, x, y)


def fig_incident_counts(df: pd.DataFrame, period: str = "quarter") -> go.Figure:
    """Stacked bars of incidents per month or quarter by severity (analytics.incident_counts:
    period, severity, incidents)."""
    title = f"Incidents per {period} by severity"
    if df.empty:
        return empty_figure(title, period.title(), "Incidents")
    data = df.assign(severity=severity_label(df["severity"]), period=df["period"].astype(str))
    fig = px.bar(
        data,
        x="period",
        y="incidents",
        color="severity",
        barmode="stack",
        color_discrete_map=SEVERITY_COLORS,
        category_orders={"severity": SEVERITY_ORDER},
    )
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return layout(fig, title, period.title(), "Incidents", "Severity")


def fig_severity_compare(
    current: dict, previous: dict | None, labels: tuple[str, str]
) -> go.Figure:
    """Grouped bars: incidents by severity this period against the previous one
    (the `by_severity` dicts of analytics.headline)."""
    title = "Incidents by severity"
    rows = [
        {"period": labels[0], "severity": sev, "incidents": current.get(sev, 0) or 0}
        for sev in SEVERITY_ORDER[:-1]
    ]
    if previous is not None:
        rows += [
            {"period": labels[1], "severity": sev, "incidents": previous.get(sev, 0) or 0}
            for sev in SEVERITY_ORDER[:-1]
        ]
    data = pd.DataFrame(rows)
    fig = px.bar(
        data,
        x="severity",
        y="incidents",
        color="severity",
        pattern_shape="period",
        barmode="group",
        color_discrete_map=SEVERITY_COLORS,
        category_orders={"severity": SEVERITY_ORDER, "period": list(labels)},
        pattern_shape_map={labels[0]: "", labels[1]: "/"},
    )
    return layout(fig, title, "Severity", "Incidents", "Severity, period")


def fig_detection_share(df: pd.DataFrame, by: str) -> go.Figure:
    """Share of incidents detected by each method, per quarter or severity, side by side
    (analytics.detection_share; several methods can be ticked, so shares may add past 100%)."""
    title = f"How incidents were detected, by {by}"
    if df.empty:
        return empty_figure(title, by.title(), "Share of incidents")
    data = df.assign(
        method=df["method"].fillna("unknown").map(lambda m: DETECTION_LABELS.get(m, m))
    )
    data[by] = severity_label(data[by]) if by == "severity" else data[by].astype(str)
    fig = px.bar(
        data,
        x=by,
        y="share",
        color="method",
        barmode="group",
        hover_data=["incidents"],
        color_discrete_map=DETECTION_COLORS,
        category_orders={"method": list(DETECTION_COLORS), "severity": SEVERITY_ORDER},
    )
    fig.update_yaxes(tickformat=".0%")
    fig.update_xaxes(
        type="category", categoryorder="category ascending" if by != "severity" else None
    )
    return layout(fig, title, by.title(), "Share of incidents", "Detected by")


def fig_time_to_detect(df: pd.DataFrame) -> go.Figure:
    """Minutes from impact start to first alert, per incident, by severity (analytics.time_to_detect)."""
    title = "Time to detect (impact start to first alert)"
    if df.empty:
        return empty_figure(title, "Severity", "Minutes")
    data = df.assign(severity=severity_label(df["severity"]))
    style = {
        "color": "severity",
        "color_discrete_map": SEVERITY_COLORS,
        "category_orders": {"severity": SEVERITY_ORDER},
    }
    if len(data) <= MAX_POINTS:
        data = data.assign(incident_id=plain(data["incident_id"]))
        fig = px.strip(data, x="severity", y="minutes", hover_data=["incident_id"], **style)
    else:
        fig = px.box(data, x="severity", y="minutes", points=False, **style)
    return layout(fig, title, "Severity", "Minutes", "Severity")


def fig_action_completion(df: pd.DataFrame, by: str) -> go.Figure:
    """Completion rate per owner or team, overdue count in the hover (analytics.action_completion,
    which lists the most actions first: pass the head you want drawn)."""
    title = f"Action completion rate by {by} ({len(df)} with the most actions)"
    if df.empty:
        return empty_figure(title, by.title(), "Completion rate")
    data = df.assign(**{by: plain(df[by].fillna("(none)").astype(str))}).sort_values(
        "completion_rate"
    )
    fig = px.bar(
        data,
        x="completion_rate",
        y=by,
        orientation="h",
        hover_data=["actions", "done", "overdue", "median_days_to_close"],
        color_discrete_sequence=["#1b9e77"],
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return layout(
        fig, title, "Completion rate (done / actions not dropped as won't do)", by.title()
    )


def fig_recurring_causes(df: pd.DataFrame, top: int = 15) -> go.Figure:
    """Horizontal bars of the most frequent root-cause clusters, red where some of the
    incidents came after a done prevention action (analytics.recurring_causes)."""
    title = f"Recurring root causes (top {top})"
    if df.empty:
        return empty_figure(title, "Incidents", "Cause")
    data = (
        df.head(top)
        .iloc[::-1]
        .assign(
            cluster_label=lambda d: plain(d["cluster_label"]),
            recurred=lambda d: [
                recurrence_answer(r, n)
                for r, n in zip(d["recurred_after_fix"], d["naming_a_service"], strict=True)
            ],
            note=lambda d: d["recurrences_after_fix"].map(
                lambda n: f"{n} after a done fix" if n else ""
            ),
        )
    )
    fig = px.bar(
        data,
        x="incidents",
        y="cluster_label",
        orientation="h",
        color="recurred",
        text="note",
        color_discrete_map={"yes": "#b2182b", "no": "#67a9cf", CANT_TELL: "#9e9e9e"},
        category_orders={"recurred": ["yes", "no", CANT_TELL]},
        hover_data=["first_seen", "last_seen", "recurrences_after_fix"],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["cluster_label"]))
    return layout(fig, title, "Incidents", "Cause", "Came back after a done fix")


def fig_cause_occurrences(df: pd.DataFrame) -> go.Figure:
    """Each incident of a cause on a time axis, coloured by severity, recurrences after a done
    prevention action drawn as crosses (rows of analytics.cause_occurrences)."""
    title = "When the cause occurred"
    if df.empty:
        return empty_figure(title, "Incident date", "Cause")
    few = len(df) <= MAX_POINTS
    data = df.assign(
        severity=severity_label(df["severity"]),
        cluster_label=plain(df["cluster_label"]),
        incident_id=plain(df["incident_id"]),
        recurrence=df["recurred_after_fix"].map(
            {True: "after a done fix", False: "first / before fix"}
        ),
    )
    fig = px.scatter(
        data,
        x="incident_date",
        y="cluster_label",
        color="severity",
        symbol="recurrence",
        hover_data=["incident_id"] if few else None,
        color_discrete_map=SEVERITY_COLORS,
        category_orders={"severity": SEVERITY_ORDER},
        symbol_map={"after a done fix": "x", "first / before fix": "circle"},
        render_mode="auto" if few else "webgl",
    )
    fig.update_traces(marker={"size": 12 if few else 6})
    fig.update_layout(height=300)  # one row of marks needs no more
    return layout(fig, title, "Incident date", "Cause", "Severity, recurrence")


def fig_incident_timeline(timeline: pd.DataFrame, incident_id: str) -> go.Figure:
    """One incident's timeline: each event on a UTC time axis, one row per kind."""
    title = f"Timeline of {html.escape(incident_id, quote=False)} (UTC)"
    data = timeline.dropna(subset=["occurred_at"])
    if data.empty:
        return empty_figure(title, "Time (UTC)", "Event")
    data = data.assign(
        step=data["kind"].map(lambda k: TIMELINE_KIND_LABELS.get(k, k)),
        event=plain(data["event"]),
        time_text=plain(data["time_text"]),
    )
    fig = px.scatter(
        data,
        x="occurred_at",
        y="step",
        hover_data={"event": True, "time_text": True},
        category_orders={"step": list(TIMELINE_KIND_LABELS.values())},
    )
    fig.update_traces(
        mode="lines+markers", marker={"size": 12, "color": "#b2182b"}, line={"color": "#bbbbbb"}
    )
    fig.update_yaxes(autorange="reversed")
    return layout(fig, title, "Time (UTC)", "Event")
