"""The quarterly review: `build_review` gathers a quarter's figures from pipeline.analytics,
`render_html` / `render_markdown` lay them out through the templates in `templates/`.

The HTML is one self-contained file (plotly.js inline, system fonts, no link or source outside
the file), so it can be mailed, archived and opened offline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.report.render import render_html, render_markdown
from pipeline.report.review import QuarterReview, build_review, default_as_of

FORMATS = ("html", "md")

__all__ = [
    "FORMATS",
    "QuarterReview",
    "build_review",
    "default_as_of",
    "render_html",
    "render_markdown",
    "write_report",
]


def write_report(
    db_path: str | Path,
    quarter: str,
    out: str | Path,
    fmt: str = "html",
    as_of: date | None = None,
) -> Path:
    """Build the review of `quarter` from the database and write it to `out` (atomically: a
    reader never sees half a report). Raises ValueError for a bad quarter or format and
    pipeline.db.DatabaseError for a database that cannot be read."""
    from pipeline import analytics

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    analytics.quarter_bounds(quarter)  # a bad label fails before the database is opened
    con = analytics.connect(db_path)
    try:
        review = build_review(con, quarter, as_of=as_of)
    finally:
        con.close()
    text = render_html(review) if fmt == "html" else render_markdown(review)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out
