"""Charts of distributions: a DataFrame from `pipeline.analytics` in, a plotly Figure out.

Durations are heavy-tailed, so times are drawn on a log axis, as a box with every incident as
a dot while they can be told apart, the median marked, and n under each group: a median of 3
incidents should look as thin as it is. Nothing is computed here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import MAX_POINTS, empty_figure, layout, plain, severity_label
from pipeline.presentation import METRIC_LABELS, SEVERITY_COLORS, SEVERITY_ORDER

FLOOR_MINUTES = 1.0
"""A log axis has no zero: times under a minute are drawn at one minute."""
LOG_TICKS = {
    # a log axis labelled in the units people think in, not 2 3 4 5 6 7 8 9 per decade
    "minutes": [
        (1, "1 min"),
        (5, "5 min"),
        (15, "15 min"),
        (60, "1 h"),
        (240, "4 h"),
        (1440, "1 d"),
        (10080, "1 w"),
        (43200, "30 d"),
    ],
    "days": [
        (1, "1 d"),
        (2, "2 d"),
        (7, "1 w"),
        (14, "2 w"),
        (30, "30 d"),
        (60, "60 d"),
        (90, "90 d"),
        (120, "120 d"),
        (180, "180 d"),
        (365, "1 y"),
        (730, "2 y"),
    ],
}
CATEGORY_COLORS = {
    "prevention": "#1b9e77",
    "detection": "#7570b3",
    "response": "#d95f02",
    "recovery": "#66a61e",
    "uncategorised": "#9e9e9e",
}


def _with_n(fig: go.Figure, groups: list[str], counts: dict[str, int]) -> None:
    """Tick labels that carry each group's n, the x values staying the groups themselves."""
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=groups,
        tickvals=groups,
        ticktext=[f"{g}<br>n={counts.get(g, 0):,}" for g in groups],
    )


def _log_axis(unit: str) -> dict:
    ticks = LOG_TICKS[unit]
    return {"type": "log", "tickvals": [v for v, _ in ticks], "ticktext": [t for _, t in ticks]}


def _groups(by: str, present) -> list[str]:
    present = [str(g) for g in dict.fromkeys(present)]
    if by == "severity":
        return [s for s in SEVERITY_ORDER if s in present] + sorted(
            set(present) - set(SEVERITY_ORDER)
        )
    return sorted(present)


def fig_log_distribution(
    values: pd.DataFrame | None,
    stats: pd.DataFrame,
    by: str,
    *,
    title: str,
    y_title: str,
    value: str = "minutes",
    n: str = "incidents",
    log: str | None = "minutes",
) -> go.Figure:
    """Boxes of `value` per `by` group with every row a dot, the median (◆) and p90 (▲) of
    `stats` (rows per group with the count `n`, min, q1, median, q3, p90, max) and n under
    each. Past MAX_POINTS rows (or `values` None) the boxes are drawn from `stats` alone,
    whiskers to the shortest and longest, so a page over 100,000 incidents sends no values.
    `log` is the unit of a log axis ('minutes' or 'days'), None for a linear one."""
    if stats.empty:
        return empty_figure(title, by.title(), y_title)
    marks = stats.assign(**{by: stats[by].astype(str)})
    groups = _groups(by, marks[by])
    floor = FLOOR_MINUTES if log else None
    fig = go.Figure()
    if values is not None and len(values) <= MAX_POINTS:
        _boxes_of_values(fig, values, by, value, groups, floor)
    else:
        _boxes_of_stats(fig, marks, by, groups, floor)
    for column, name, symbol, colour in (
        ("median", "median", "diamond", "black"),
        ("p90", "p90", "triangle-up", "#444"),
    ):
        fig.add_scatter(
            x=marks[by],
            y=marks[column].clip(lower=floor),
            mode="markers",
            name=name,
            marker={"symbol": symbol, "size": 11, "color": colour},
        )
    _with_n(fig, groups, dict(zip(marks[by], marks[n], strict=True)))
    if log:
        fig.update_yaxes(**_log_axis(log))
    return layout(fig, title, by.title(), y_title)


def _colour(by: str, group: str) -> str:
    return SEVERITY_COLORS.get(group, "#9e9e9e") if by == "severity" else "#4c78a8"


def _boxes_of_values(fig, values, by, value, groups, floor) -> None:
    data = values.assign(**{by: values[by].astype(str)})
    for group in groups:
        rows = data[data[by] == group]
        fig.add_box(
            x=rows[by].tolist(),
            y=rows[value].clip(lower=floor).tolist(),
            name=group,
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            marker={"color": _colour(by, group), "size": 5, "opacity": 0.8},
            line={"color": _colour(by, group)},
            text=plain(rows["incident_id"]).tolist() if "incident_id" in rows else None,
            hovertemplate="%{text}: %{y:.0f}<extra></extra>",
            showlegend=False,
        )


def _boxes_of_stats(fig, marks, by, groups, floor) -> None:
    for group in groups:
        row = marks[marks[by] == group].iloc[0]
        fig.add_box(
            x=[group],
            q1=[max(row["q1"], floor or row["q1"])],
            median=[max(row["median"], floor or row["median"])],
            q3=[max(row["q3"], floor or row["q3"])],
            lowerfence=[max(row["min"], floor or row["min"])],
            upperfence=[max(row["max"], floor or row["max"])],
            name=group,
            marker={"color": _colour(by, group)},
            line={"color": _colour(by, group)},
            showlegend=False,
        )


def fig_clock_distribution(values: pd.DataFrame, stats: pd.DataFrame, by: str, clock: str):
    """A response clock per quarter or severity (analytics.clock_values and clock_distribution),
    minutes on a log axis."""
    label = METRIC_LABELS.get(clock, clock)
    return fig_log_distribution(
        values,
        stats,
        by,
        title=f"{label} by {by} (log scale)",
        y_title="Time (log scale)",
    )


def fig_severity_duration(values: pd.DataFrame | None, stats: pd.DataFrame) -> go.Figure:
    """Each incident's duration (log) against its severity (analytics.clock_values of
    'duration'), the median per severity marked: does severity track impact? Past MAX_POINTS
    incidents, a box per severity from `stats` (clock_distribution by severity) instead."""
    title = "Severity against duration (log scale; ◆ median)"
    if stats.empty:
        return empty_figure(title, "Duration (log scale)", "Severity")
    marks = stats.assign(severity=severity_label(stats["severity"]))
    groups = _groups("severity", marks["severity"])
    fig = go.Figure()
    few = values is not None and len(values) <= MAX_POINTS
    for group in groups:
        colour = SEVERITY_COLORS.get(group, "#9e9e9e")
        if few:
            rows = values[severity_label(values["severity"]) == group]
            fig.add_box(
                x=rows["minutes"].clip(lower=FLOOR_MINUTES).tolist(),
                y=[group] * len(rows),
                orientation="h",
                boxpoints="all",
                jitter=0.6,
                pointpos=0,
                fillcolor="rgba(0,0,0,0)",
                line={"color": "rgba(0,0,0,0)"},
                marker={"color": colour, "size": 8, "opacity": 0.75},
                text=plain(rows["incident_id"]).tolist(),
                hovertemplate="%{text}: %{x:.0f} min<extra></extra>",
                name=group,
                showlegend=False,
            )
        else:
            row = marks[marks["severity"] == group].iloc[0]
            fig.add_box(
                y=[group],
                orientation="h",
                **{
                    key: [max(float(row[column]), FLOOR_MINUTES)]
                    for key, column in (
                        ("q1", "q1"),
                        ("median", "median"),
                        ("q3", "q3"),
                        ("lowerfence", "min"),
                        ("upperfence", "max"),
                    )
                },
                marker={"color": colour},
                line={"color": colour},
                name=group,
                showlegend=False,
            )
    fig.add_scatter(
        x=marks["median"].clip(lower=FLOOR_MINUTES),
        y=marks["severity"],
        mode="markers",
        name="median",
        marker={"symbol": "diamond", "size": 13, "color": "black"},
    )
    counts = dict(zip(marks["severity"], marks["incidents"], strict=True))
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=groups[::-1],
        tickvals=groups,
        ticktext=[f"{g} (n={counts.get(g, 0):,})" for g in groups],
    )
    fig.update_xaxes(**_log_axis("minutes"))
    fig.update_layout(height=120 + 70 * len(groups))
    return layout(fig, title, "Duration (log scale)", "Severity")


def fig_completion_by_category(df: pd.DataFrame) -> go.Figure:
    """Completion rate (done / not dropped) per quarter and category, with its 95% Wilson
    interval as an error bar (analytics.completion_by_category)."""
    title = "Actions done, by category and quarter (bars: 95% interval)"
    rated = df.dropna(subset=["completion_rate"])
    if rated.empty:
        return empty_figure(title, "Quarter", "Done")
    fig = go.Figure()
    for category, colour in CATEGORY_COLORS.items():
        rows = rated[rated["category"] == category]
        if rows.empty:
            continue
        fig.add_scatter(
            x=rows["quarter"],
            y=rows["completion_rate"],
            name=category,
            mode="lines+markers",
            marker={"color": colour, "size": 8},
            line={"color": colour},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (rows["rate_high"] - rows["completion_rate"]).tolist(),
                "arrayminus": (rows["completion_rate"] - rows["rate_low"]).tolist(),
                "thickness": 1,
            },
            customdata=rows[["done", "decided"]].to_numpy(),
            hovertemplate="%{x}: %{customdata[0]} of %{customdata[1]}<extra>%{fullData.name}"
            "</extra>",
        )
    fig.update_xaxes(type="category", categoryorder="category ascending")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return layout(fig, title, "Quarter of the incident", "Done", "Category")
