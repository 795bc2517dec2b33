"""Server time to render each dashboard page, for `make bench`.

Each page is run by Streamlit's AppTest (the app's own script, in this process, no browser)
over all time, with empty caches (what the first visitor after an ingest waits for) or warm
(what everyone else waits for). `make bench` takes them through `bench_entries()`.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from dashboard import APP, PAGE_FILES

PAGES = {**PAGE_FILES, "explorer_incident": PAGE_FILES["explorer"]}
"""Every page, and the explorer once more showing one incident."""


def _first_incident(db_path: Path) -> str | None:
    from pipeline.db import open_readonly

    con = open_readonly(db_path)
    try:
        row = con.execute(
            "select incident_id from incidents order by incident_date desc nulls last limit 1"
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def render_page(
    db_path: str | Path, page: str, *, warm: bool = False, timeout: float = 300
) -> float:
    """Seconds of server time to render one page (a key of PAGES) over `db_path`, all time.

    Cold by default: Streamlit's caches are cleared first, so the time includes the analytics
    queries. `warm=True` times a second run instead (cache hits). Raises RuntimeError naming
    the page when it shows an exception.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.data import DB_ENV

    db_path = Path(db_path).resolve()
    _first_incident(db_path)  # raises DatabaseError rather than timing the "cannot read" page
    # AppTest runs outside a server; Streamlit warns about that on every call.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    previous = os.environ.get(DB_ENV)
    os.environ[DB_ENV] = str(db_path)
    try:
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        # The navigation needs one run before switching pages; make it a cheap one (a day
        # with no incidents), then widen the period to all time for the timed run.
        at.query_params.update({"period": "custom", "from": "1900-01-01", "to": "1900-01-01"})
        if page == "explorer_incident":
            at.query_params["incident"] = _first_incident(db_path) or ""
        at.run()
        at.session_state["filter_period"] = "all"
        st.cache_data.clear()
        st.cache_resource.clear()
        started = time.perf_counter()
        at.switch_page(PAGES[page]).run()
        if warm:
            started = time.perf_counter()
            at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"page {page}: {at.exception[0].value}")
        return seconds
    finally:
        if previous is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = previous


def page_timings(db_path: str | Path, *, warm: bool = False) -> dict[str, float]:
    """{page: seconds} for every page, as `render_page` measures them."""
    return {page: render_page(db_path, page, warm=warm) for page in PAGES}


def bench_entries() -> list[tuple[str, Callable[[Path], float]]]:
    """(name, function(db_path)) pairs in the shape `pipeline.bench.PAGE_TIMINGS` takes."""
    return [(f"dashboard {page}", functools.partial(render_page, page=page)) for page in PAGES]


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(page_timings(sys.argv[1], warm="--warm" in sys.argv), indent=2))
