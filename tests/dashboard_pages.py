"""Opening the real Streamlit app in AppTest, shared by the dashboard test modules."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import APP
from dashboard import PAGE_FILES as PAGES


def open_page(monkeypatch, db: Path, page: str, **params: str | list[str]) -> AppTest:
    """Run the app on `page` with the URL query `params`, as a browser opening that link."""
    monkeypatch.setenv("POSTMORTEMS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str):
    """The one tile labelled `label`."""
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, f"{len(found)} tiles {label!r}; tiles: {[m.label for m in at.metric]}"
    return found[0]


def tile_words(at: AppTest, label: str) -> str:
    """The words under a tile (the caption drawn right after its metric), or ''."""
    for column in at.columns:
        if label in [m.label for m in column.metric]:
            return " ".join(c.value for c in column.caption)
    return ""
