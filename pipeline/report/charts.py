"""The report's plotly figures: an analytics DataFrame in, a Figure out, nothing computed.

Document text reaching a chart (incident ids, labels) is HTML-escaped first: plotly renders a
few tags (<a href>, <b>, <br>) in labels and hovers, and decodes entities back for display.
Colours match the dashboard's, so a severity looks the same in both.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from pipeline.presentation import DETECTION_LABELS, SEVERITY_COLORS, SEVERITY_ORDER

# System fonts only: the report must open offline, so no web font is ever fetched.
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def plain(value) -> str:
    return html.escape(str(value), quote=False)


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0},
        font=FONT,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        height=360,
        legend={"title": None},
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def _ordered(severities) -> list[str]:
    seen = set(severities)
    return [s for s in SEVERITY_ORDER if s in seen] + sorted(seen - set(SEVERITY_ORDER))


def fig_severity_trend(counts: pd.DataFrame) -> go.Figure:
    """counts: analytics.incident_counts(period='quarter') -> stacked bars per severity."""
    fig = go.Figure()
    for severity in _ordered(counts["severity"]):
        rows = counts[counts["severity"] == severity]
        fig.add_bar(
            x=rows["period"].tolist(),
            y=rows["incidents"].tolist(),
            name=plain(severity),
            marker_color=SEVERITY_COLORS.get(severity, "#666666"),
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, "Incidents per quarter, by severity", "Quarter", "Incidents")


LOG_MINUTES = {
    # a log axis labelled in the units people think in
    "type": "log",
    "tickvals": [1, 5, 15, 60, 240, 1440, 10080],
    "ticktext": ["1 min", "5 min", "15 min", "1 h", "4 h", "1 d", "1 w"],
}


def fig_restore_by_quarter(values: pd.DataFrame, stats: pd.DataFrame) -> go.Figure:
    """values: analytics.clock_values() of time_to_restore; stats: clock_distribution() by
    quarter -> a box per quarter on a log axis, every incident a point, n under each quarter
    (durations are heavy-tailed, and a median of few incidents should look as thin as it is)."""
    fig = go.Figure()
    quarters = sorted(values["quarter"].unique())
    counts = dict(zip(stats["quarter"], stats["incidents"], strict=True))
    for quarter in quarters:
        rows = values[values["quarter"] == quarter]
        fig.add_box(
            y=rows["minutes"].clip(lower=1).tolist(),
            name=plain(quarter),
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker_color="#4c78a8",
            text=[plain(i) for i in rows["incident_id"]],
            hovertemplate="%{text}: %{y:.0f} min<extra></extra>",
        )
    fig.update_layout(showlegend=False)
    fig.update_xaxes(tickvals=quarters, ticktext=[f"{q}<br>n={counts.get(q, 0)}" for q in quarters])
    fig.update_yaxes(**LOG_MINUTES)
    return _layout(
        fig, "Time to restore by quarter (first alert to restored; log scale)", "Quarter", ""
    )


def fig_severity_duration(values: pd.DataFrame, stats: pd.DataFrame) -> go.Figure:
    """values: analytics.clock_values() of duration; stats: clock_distribution() by severity ->
    each incident's duration (log) against its severity, the median marked."""
    fig = go.Figure()
    severities = _ordered(values["severity"])
    counts = dict(zip(stats["severity"], stats["incidents"], strict=True))
    for severity in severities:
        rows = values[values["severity"] == severity]
        fig.add_box(
            x=rows["minutes"].clip(lower=1).tolist(),
            name=plain(severity),
            orientation="h",
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            fillcolor="rgba(0,0,0,0)",
            line={"color": "rgba(0,0,0,0)"},
            marker_color=SEVERITY_COLORS.get(severity, "#666666"),
            text=[plain(i) for i in rows["incident_id"]],
            hovertemplate="%{text}: %{x:.0f} min<extra></extra>",
        )
    if not stats.empty:
        fig.add_scatter(
            x=stats["median"].clip(lower=1).tolist(),
            y=[plain(s) for s in stats["severity"]],
            mode="markers",
            name="median",
            marker={"symbol": "diamond", "size": 12, "color": "black"},
        )
    fig.update_layout(showlegend=False)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[plain(s) for s in severities][::-1],
        tickvals=[plain(s) for s in severities],
        ticktext=[f"{plain(s)} (n={counts.get(s, 0)})" for s in severities],
    )
    fig.update_xaxes(**LOG_MINUTES)
    return _layout(fig, "Severity against duration (log scale; ◆ median)", "Duration", "")


def fig_detection(detection: pd.DataFrame) -> go.Figure:
    """detection: analytics.detection_share() rows of one quarter -> a bar per method."""
    rows = detection.sort_values("incidents")
    labels = [plain(DETECTION_LABELS.get(m, m)) for m in rows["method"]]
    fig = go.Figure(
        go.Bar(
            x=rows["incidents"].tolist(),
            y=labels,
            orientation="h",
            marker_color="#1b9e77",
            customdata=rows["share"].tolist(),
            hovertemplate="%{y}: %{x} incidents (%{customdata:.0%})<extra></extra>",
        )
    )
    return _layout(fig, "How incidents were detected", "Incidents", "")
