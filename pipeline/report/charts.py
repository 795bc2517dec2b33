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


def fig_restore_distribution(values: pd.DataFrame) -> go.Figure:
    """values: analytics.response_time_values() rows of time_to_restore -> a box per severity
    with every incident drawn as a point (few incidents a quarter: the points matter)."""
    fig = go.Figure()
    for severity in _ordered(values["severity"]):
        rows = values[values["severity"] == severity]
        fig.add_box(
            y=rows["minutes"].tolist(),
            name=plain(severity),
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker_color=SEVERITY_COLORS.get(severity, "#666666"),
            text=[plain(i) for i in rows["incident_id"]],
            hovertemplate="%{text}: %{y:.0f} min<extra></extra>",
        )
    fig.update_layout(showlegend=False)
    return _layout(fig, "Time to restore (first alert to service restored)", "Severity", "Minutes")


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
