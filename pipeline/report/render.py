"""Turn a QuarterReview into HTML or Markdown through the templates beside this file.

Both environments autoescape: every postmortem text is HTML-escaped on the way out (a wiki
renders raw HTML in Markdown too), and Markdown table cells also get their pipes and line
breaks escaped by the `cell` filter. Only the plotly chart snippets, built here, are marked safe.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import plotly.offline
from markupsafe import Markup, escape
from pandas import NaT

from pipeline.analytics import MIN_INCIDENTS
from pipeline.model import SEVERITIES
from pipeline.presentation import recurrence_verdict
from pipeline.report import charts
from pipeline.report.review import QuarterReview

TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
HEADLINE_ROWS = (
    # (key in analytics.headline(), label, how to show it; the key of its change, if any)
    ("incidents", "Incidents", "count", "incidents"),
    ("p0_p1_share", "Share of P0/P1", "share", "p0_p1_share"),
    ("ttr_median", "Median time to restore", "minutes", "ttr_median"),
    ("ttr_p90", "p90 time to restore", "minutes", "ttr_p90"),
    ("customer_detected", "Detected by customers", "count", None),
    ("customer_detected_share", "Share detected by customers", "share", "customer_detected_share"),
    ("open_actions", "Open actions", "count", None),
    ("overdue_actions", "Overdue actions", "count", None),
    ("done_actions", "Done actions", "count", None),
)


def _missing(value) -> bool:
    """None, NaN, or pandas' NaT (a timestamp column's empty cell, common in real documents)."""
    if value is None or value is NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def fmt_minutes(value) -> str:
    """Minutes as people say them: '45 min', '3 h 05 min', '2 d 4 h'."""
    if _missing(value):
        return "–"
    minutes = round(float(value))
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def fmt_share(value) -> str:
    return "–" if _missing(value) else f"{float(value) * 100:.0f}%"


def fmt_count(value) -> str:
    return "–" if _missing(value) else f"{int(value)}"


def fmt_value(value, how: str) -> str:
    return {"minutes": fmt_minutes, "share": fmt_share, "count": fmt_count}[how](value)


def fmt_signed(value, how: str) -> str:
    """A difference with its sign: '+3', '-1 h 06 min', '+12 pts'."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else "+"
    if how == "share":
        return f"{sign}{abs(100 * value):.0f} pts"
    if how == "minutes":
        return sign + fmt_minutes(abs(value))
    return f"{sign}{abs(value):.0f}" if value else "0"


def fmt_change(change, how: str) -> str:
    """What a change may be called (analytics.Change): the difference and its 95% interval
    when detectable, else the verdict's words with the difference and n beside them."""
    if change is None or change.verdict == "no_data":
        return "–"
    difference = fmt_signed(change.difference, how)
    interval = (
        f"95% CI {fmt_signed(change.low, how)} to {fmt_signed(change.high, how)}"
        if change.interval
        else ""
    )
    if change.detectable:
        return f"{difference} ({interval})"
    if change.verdict == "too_few":
        return f"{change.words} ({difference}; n = {change.n_now} against {change.n_before})"
    return f"{change.words} ({difference}; {interval})"


def fmt_days(value) -> str:
    return "–" if _missing(value) else f"{float(value):.0f} d"


def fmt_date(value) -> str:
    if _missing(value):
        return "–"
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return text[:10] if text[:4].isdigit() else text


def fmt_text(value) -> str:
    return "" if _missing(value) else str(value)


def fmt_list(value) -> str:
    if isinstance(value, str):
        return value
    if value is None or not hasattr(value, "__iter__"):
        return fmt_text(value)
    return ", ".join(str(v) for v in value)


def raw_json(value) -> str:
    """The exact figure, for a data-value attribute (tests and scripts read it, not people)."""
    return json.dumps(None if _missing(value) else value, default=str)


def md_cell(value) -> Markup:
    """A Markdown table cell: HTML-escaped, pipes escaped, one line."""
    text = str(escape(fmt_text(value)))
    text = text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return Markup(text)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        minutes=fmt_minutes,
        signed=fmt_signed,
        share=fmt_share,
        count=fmt_count,
        day=fmt_date,
        days=fmt_days,
        text=fmt_text,
        value=fmt_value,
        join_list=fmt_list,
        cell=md_cell,
        raw=raw_json,
        words=lambda v: fmt_text(v).replace("_", " "),
        # our own words ("can't tell"), not a document's: nothing in them to escape
        recurrence=lambda row: Markup(
            recurrence_verdict(
                row["recurred_after_fix"], row["recurrences_after_fix"], row["naming_a_service"]
            )
        ),
    )
    return env


def _rows(df) -> list[dict]:
    return [] if df is None else df.to_dict(orient="records")


def _trend_table(counts) -> dict:
    """incident_counts rows laid out as a quarter x severity grid (no figure is changed)."""
    quarters = list(dict.fromkeys(counts["period"]))
    severities = list(dict.fromkeys(counts["severity"]))
    cells = {(r.period, r.severity): r.incidents for r in counts.itertuples(index=False)}
    return {"quarters": quarters, "severities": severities, "counts": cells}


def _context(review: QuarterReview) -> dict:
    by_severity = review.changes.get("by_severity", {})
    severity_rows = [
        {
            "label": s,
            "now": review.headline["by_severity"].get(s),
            "before": review.previous_headline["by_severity"].get(s),
            "change": fmt_change(by_severity.get(s), "count"),
        }
        for s in SEVERITIES
    ]
    return {
        "r": review,
        "headline_rows": [
            {
                "key": key,
                "label": label,
                "how": how,
                "now": review.headline[key],
                "before": review.previous_headline[key],
                "change": fmt_change(review.changes.get(change), how) if change else "",
            }
            for key, label, how, change in HEADLINE_ROWS
        ],
        "min_incidents": MIN_INCIDENTS,
        "severity_rows": severity_rows,
        "top_causes": review.headline["top_causes"],
        "trend": _trend_table(review.severity_trend),
        "detection": _rows(review.detection),
        "detection_labels": charts.DETECTION_LABELS,
        "customer_detected": _rows(review.customer_detected),
        "overdue": _rows(review.overdue_actions),
        "closed": _rows(review.closed_actions),
        "restore_by_quarter": _rows(review.restore_by_quarter),
        "restore_severity": _rows(review.restore_by_severity),
        "durations_by_severity": _rows(review.durations_by_severity),
        "action_ages": _rows(review.action_ages),
        "final_open": _rows(review.final_with_open_actions),
        "categories": _rows(review.completion_by_category),
        "days_to_final": _rows(review.days_to_final),
        "stale": _rows(review.stale_drafts),
        "near_misses": _rows(review.near_misses),
        "causes": _rows(review.recurring_causes),
        "incidents": _rows(review.incidents),
        "generated_on": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _chart_html(fig) -> Markup:
    # plotly.js itself is inlined once in the page head (see render_html); each chart only
    # carries its data, JSON in which plotly escapes <, > and /, so no text can end the script.
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG))


def render_html(review: QuarterReview) -> str:
    figures = []
    if not review.severity_trend.empty:
        figures.append(("trend", charts.fig_severity_trend(review.severity_trend)))
    if not review.restore_trend_values.empty:
        figures.append(
            (
                "restore",
                charts.fig_restore_by_quarter(
                    review.restore_trend_values, review.restore_by_quarter
                ),
            )
        )
    if not review.durations.empty:
        figures.append(
            (
                "durations",
                charts.fig_severity_duration(review.durations, review.durations_by_severity),
            )
        )
    if not review.detection.empty:
        figures.append(("detection", charts.fig_detection(review.detection)))
    chart = {name: _chart_html(fig) for name, fig in figures}
    # The whole plotly.js bundle, inline, once, before any chart: the file opens offline and
    # makes no request (include_plotlyjs=True would inline it in the first chart's div instead,
    # which breaks as soon as that chart is left out for want of data).
    plotly_js = Markup(plotly.offline.get_plotlyjs()) if figures else Markup("")
    return (
        _environment()
        .get_template("report.html.j2")
        .render(**_context(review), chart=chart, plotly_js=plotly_js)
    )


def render_markdown(review: QuarterReview) -> str:
    return _environment().get_template("report.md.j2").render(**_context(review))
