"""The Streamlit dashboard (`app.py` and its pages in `app_pages/`)."""

from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
PAGE_FILES = {
    "overview": "app_pages/overview.py",
    "severity": "app_pages/severity.py",
    "response": "app_pages/response.py",
    "detection": "app_pages/detection.py",
    "actions": "app_pages/actions.py",
    "postmortems": "app_pages/postmortems.py",
    "causes": "app_pages/causes.py",
    "explorer": "app_pages/explorer.py",
}
"""Each page's script, as AppTest switches to it (the tests and the bench's page timings)."""
