"""Response: how long incidents take to detect, acknowledge, mitigate and restore, as
distributions with their n, and whether severity tracks how long an incident lasts."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, distributions, filters, periods, tiles, ui
from pipeline import analytics
from pipeline.presentation import METRIC_LABELS

f = filters.current()
st.title("Response")
st.caption(
    "Incident durations are heavy-tailed: a few incidents last a hundred times longer than "
    "most. So each time is drawn as a distribution on a log scale, every incident a dot, with "
    "the median (◆), the p90 (▲) and n, the incidents that have the figure. Per quarter, "
    "the three quarters before the period are drawn too; per severity, the period alone."
)

clock = st.columns([1, 2])[0].selectbox(
    "Measure",
    list(analytics.CLOCKS),
    index=analytics.CLOCKS.index("time_to_restore"),
    format_func=lambda c: METRIC_LABELS.get(c, c),
    key="response_clock",
    help="Time to detect runs from the impact to the first alert; the others from the first alert.",
)
name = METRIC_LABELS[clock].lower()
trend = filters.trend(f)
columns = ["incident_id", "severity", "quarter", "minutes"]
quarters = data.query(analytics.clock_distribution, trend, clock, by="quarter")
if quarters.empty:
    ui.empty_state(
        f"No incident in view has a {name}.",
        "It needs both ends in the timeline. Widen the period or clear a filter in the sidebar.",
    )
else:
    severities = data.query(analytics.clock_distribution, f, clock, by="severity")
    by_quarter, by_severity = (
        data.points(
            analytics.clock_values,
            filters_,
            clock,
            limit=charts.MAX_POINTS,
            count=int(stats["incidents"].sum()),
            columns=columns,
        )
        for filters_, stats in ((trend, quarters), (f, severities))
    )
    left, right = st.columns(2)
    left.plotly_chart(
        distributions.fig_clock_distribution(by_quarter, quarters, "quarter", clock),
        key="response_by_quarter",
    )
    right.plotly_chart(
        distributions.fig_clock_distribution(by_severity, severities, "severity", clock),
        key="response_by_severity",
    )
    previous = analytics.previous_filters(f)
    if previous is not None:
        change = data.query(analytics.clock_change, f, previous, clock)
        delta, words = tiles.describe(change, "minutes")
        st.markdown(
            f"**Median {name}, {filters.period_words()}, against "
            f"{periods.describe(previous.since, previous.until)}:** "
            + (f"{delta} ({words})" if delta else words or "nothing to compare")
        )
    figures = {
        "incidents": "n",
        "median": st.column_config.NumberColumn("Median", format="%.0f"),
        "median_low": st.column_config.NumberColumn("Median, 95% from", format="%.0f"),
        "median_high": st.column_config.NumberColumn("to", format="%.0f"),
        "p90": st.column_config.NumberColumn("p90", format="%.0f"),
        "max": st.column_config.NumberColumn("Longest", format="%.0f"),
    }
    with st.expander("The figures (minutes)"):
        for table, by in ((quarters, "quarter"), (severities, "severity")):
            ui.table(
                table,
                column_config={by: by.title(), **figures},
                column_order=[by, *figures],
            )

st.subheader("Severity against duration")
durations = data.query(analytics.clock_distribution, f, "duration", by="severity")
if durations.empty:
    ui.empty_state("No incident in view has a duration.")
else:
    st.plotly_chart(
        distributions.fig_severity_duration(
            data.points(
                analytics.clock_values,
                f,
                "duration",
                limit=charts.MAX_POINTS,
                count=int(durations["incidents"].sum()),
                columns=["incident_id", "severity", "minutes"],
            ),
            durations,
        ),
        key="response_severity_duration",
    )
    st.caption(
        "Each dot is an incident (past 3,000 of them, a box per severity: the middle half, "
        "whiskers to the shortest and longest). If severity tracked impact, P0 would sit to "
        "the right of P3; across 10,000 public incidents (the VOID report) it does not."
    )
