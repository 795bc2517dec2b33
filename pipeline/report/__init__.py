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
    quarter: str | None,
    out: str | Path | None = None,
    fmt: str = "html",
    as_of: date | None = None,
    today: date | None = None,
) -> tuple[Path, str]:
    """Build the review of `quarter` from the database and write it to `out` (atomically: a
    reader never sees half a report); (the file written, the quarter reviewed).

    Without a quarter, the last complete quarter that has incidents (as of `today`), so a
    report of an old corpus is not empty; without `out`, incident-review-QUARTER.<fmt>.
    Raises ValueError for a bad quarter or format, or when no incident has a date, and
    pipeline.db.DatabaseError for a database that cannot be read."""
    from pipeline import analytics

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if quarter is not None:
        analytics.quarter_bounds(quarter)  # a bad label fails before the database is opened
    con = analytics.connect(db_path)
    try:
        quarter = quarter or analytics.review_quarter(con, today)
        if quarter is None:
            raise ValueError("no incident has a date, so there is no quarter to review")
        review = build_review(con, quarter, as_of=as_of)
    finally:
        con.close()
    text = render_html(review) if fmt == "html" else render_markdown(review)
    out = Path(out or f"incident-review-{review.quarter}.{fmt}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out, review.quarter
