"""Server time to render each dashboard page, for `make bench`.

Each page is run by Streamlit's AppTest (the app's own script, in this process, no browser)
over all time, first with empty caches (what the first visitor after an ingest waits for),
then again (what everyone else waits for).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
PAGES = {
    "overview": "app_pages/overview.py",
    "severity": "app_pages/severity.py",
    "detection": "app_pages/detection.py",
    "actions": "app_pages/actions.py",
    "causes": "app_pages/causes.py",
    "explorer": "app_pages/explorer.py",
    "explorer_incident": "app_pages/explorer.py",
}


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


def page_timings(db_path: str | Path, *, warm: bool = False, timeout: float = 300) -> dict[str, float]:
    """Seconds of server time to render each page over `db_path` (all time, no other filter).

    Cold by default: Streamlit's caches are cleared before each page, so the time includes
    the analytics queries. `warm=True` times a second run of the page instead (cache hits).
    Raises RuntimeError naming the page when a page shows an exception.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.data import DB_ENV

    db_path = Path(db_path).resolve()
    incident = _first_incident(db_path)
    # AppTest runs outside a server; Streamlit warns about that on every call.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    previous = os.environ.get(DB_ENV)
    os.environ[DB_ENV] = str(db_path)
    timings: dict[str, float] = {}
    try:
        for name, script in PAGES.items():
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(str(APP), default_timeout=timeout)
            at.query_params["period"] = "all"
            if name == "explorer_incident" and incident:
                at.query_params["incident"] = incident
            started = time.perf_counter()
            at.run()
            if name != "overview":
                # Navigation needs one run; time only the page, from cold caches.
                st.cache_data.clear()
                started = time.perf_counter()
                at.switch_page(script).run()
            if warm:
                started = time.perf_counter()
                at.run()
            timings[name] = time.perf_counter() - started
            if at.exception:
                raise RuntimeError(f"page {name}: {at.exception[0].value}")
    finally:
        if previous is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = previous
    return timings


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(page_timings(sys.argv[1], warm="--warm" in sys.argv), indent=2))
