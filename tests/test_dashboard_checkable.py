"""Checkable and correctable (issues 11 and 12), run by Streamlit's AppTest over databases made
by the real ingest:

- the incident explorer shows, for every milestone column, the timeline row it came from (its
  text and line) and how its kind was decided, and how the duration was obtained;
- the Root causes page marks each incident 'pinned' or 'found', shows what failed each time,
  and lists the entries of causes.yml that matched nothing, with file and line.

Corpora: tests/fixtures/dashboard/milestones (three documents, described where they are used)
and the six documents of tests/fixtures/dashboard/corpus with the reviewers' file
tests/fixtures/dashboard/corrections/causes.yml beside them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import dashboard_pages
import pytest
from conftest import query
from streamlit.testing.v1 import AppTest

from pipeline.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "dashboard"
MILESTONES = FIXTURES / "milestones"
CORPUS = FIXTURES / "corpus"
CAUSES_YML = FIXTURES / "corrections" / "causes.yml"


@pytest.fixture(scope="module")
def milestones_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("milestones") / "pm.duckdb"
    summary = ingest([MILESTONES], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (3, 0), summary
    return db


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> tuple[Path, Path]:
    """(database, causes.yml) of the dashboard corpus with the reviewers' corrections."""
    folder = tmp_path_factory.mktemp("corrected")
    corpus = folder / "postmortems"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(CAUSES_YML, corpus / "causes.yml")
    db = folder / "pm.duckdb"
    summary = ingest([corpus], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (6, 0), summary
    return db, (corpus / "causes.yml").resolve()


def open_page(monkeypatch, db: Path, page: str, **params: str) -> AppTest:
    return dashboard_pages.open_page(monkeypatch, db, page, **{"period": "all", **params})


def table(at: AppTest, column: str):
    found = [frame.value for frame in at.dataframe if column in frame.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def unescaped(markdown: str) -> str:
    """Markdown as the reader sees it (document text reaches it backslash-escaped)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def markdown_text(at: AppTest) -> list[str]:
    return [unescaped(m.value).replace("**", "") for m in at.markdown]


# ---------------------------------------------------------------------------------------------
# Incident explorer: every milestone with its row


def test_explorer_shows_each_milestone_with_its_row_line_and_how_its_kind_was_decided(
    monkeypatch, milestones_db
):
    # INC-2026-03-02-011: no written duration. Its timeline (lines 21-28): an error-rate climb
    # (impact start, phrase rules), two alerts at 10:02 (the first in document order is the
    # milestone's row), "Incident acknowledged" (the template's phrase: stated), a node pool
    # rollover (no rule reads it: the model does), the bug found (rules), "[restored] ..."
    # (the tag: stated), "All-clear declared" (stated).
    at = open_page(monkeypatch, milestones_db, "explorer", incident="INC-2026-03-02-011")
    rows = table(at, "how_decided")
    (confidence,) = query(
        milestones_db,
        "select kind_confidence from timeline where incident_id = ? and line = 25",
        ["INC-2026-03-02-011"],
    )[0]
    got = [
        (r.milestone, str(r.occurred_at)[11:16], int(r.line), r.row, r.how_decided)
        for r in rows.itertuples()
    ]
    assert got == [
        ("Impact start", "09:58", 21, "09:58 | Checkout error rate climbs above 5%", "phrase rules"),
        ("Detected", "10:02", 22, "10:02 | PagerDuty pages the on-call engineer", "phrase rules"),
        ("Acknowledged", "10:05", 24, "10:05 | Incident acknowledged", "stated by the author"),
        ("Root cause found", "10:40", 26, "10:40 | We found the bug in the connection pool",
         "phrase rules"),
        ("Mitigated", "10:20", 25, "10:20 | Started the node pool rollover to larger hosts",
         f"model, confidence {confidence:.2f}"),
        ("Restored", "11:15", 27, "11:15 | [restored] Checkout back for everyone",
         "stated by the author"),
        ("Resolved", "11:30", 28, "11:30 | All-clear declared", "stated by the author"),
    ]  # fmt: skip
    assert 0.6 <= confidence < 1.0, "the model decides only when sure enough"
    # The rows really are those lines of the file.
    lines = (MILESTONES / "INC-2026-03-02-011.md").read_text().splitlines()
    for r in rows.itertuples():
        assert r.row.split(" | ", 1)[1] in lines[int(r.line) - 1]
    # The duration was not written: impact start 09:58 to restored 11:15, 77 minutes.
    duration = "1 h 17 min, from the timeline: impact start (2026-03-02 09:58 UTC) to restored"
    assert any(m.startswith(f"Duration: {duration} (2026-03-02 11:15 UTC)") for m in
               markdown_text(at))  # fmt: skip
    [tile] = [m for m in at.metric if m.label == "Duration"]
    assert tile.value == "1 h 17 min" and "impact start" in tile.proto.help
    assert not at.warning, "a restored row was read: nothing to suggest"


def test_explorer_says_how_to_state_a_restore_the_timeline_lacks(monkeypatch, milestones_db):
    # INC-2026-03-09-012: a written duration (45 minutes) and no row that reads as restored.
    at = open_page(monkeypatch, milestones_db, "explorer", incident="INC-2026-03-09-012")
    rows = table(at, "how_decided").set_index("milestone")
    assert rows.loc["Restored", "row"] == "no timed row was read as this"
    assert rows.loc["Mitigated", "row"] == "14:30 | Cache flushed by hand"
    assert int(rows.loc["Mitigated", "line"]) == 23
    [line] = [
        n
        for n, text in enumerate((MILESTONES / "INC-2026-03-09-012.md").read_text().splitlines(), 1)
        if "**Duration:**" in text
    ]
    assert (
        f'Duration: 45 min, written in the document (line {line}: "Duration: 45 minutes").'
        in markdown_text(at)
    )
    [hint] = [unescaped(w.value) for w in at.warning]
    assert "No timeline row was read as restored" in hint
    assert "start the row that records it with [restored]" in hint


def test_explorer_names_the_front_matter_window_as_the_duration(monkeypatch, milestones_db):
    # INC-2026-03-07-013: front matter start_time 21:41Z, end_time 01:07Z the next day, and no
    # timeline: every milestone is unread, the duration is the window (206 minutes).
    at = open_page(monkeypatch, milestones_db, "explorer", incident="INC-2026-03-07-013")
    rows = table(at, "how_decided")
    assert list(rows["row"]) == ["no timed row was read as this"] * 7
    assert (
        "Duration: 3 h 26 min, from the front matter's incident window (start_time "
        "2026-03-07 21:41:00+00:00, end_time 2026-03-08 01:07:00+00:00)." in markdown_text(at)
    )


# ---------------------------------------------------------------------------------------------
# Root causes: pinned or found, what failed, the corrections that matched nothing


def test_root_causes_page_marks_pinned_and_found_and_lists_unmatched_entries(
    monkeypatch, corrected
):
    db, causes_yml = corrected
    at = open_page(monkeypatch, db, "causes")
    # causes.yml line 6 pins an incident that was never loaded.
    [warning] = [unescaped(w.value) for w in at.warning]
    assert warning.startswith("1 entry of the reviewers' corrections (causes.yml) changed nothing")
    problems = table(at, "file")
    assert [(r.file, int(r.line), r.message) for r in problems.itertuples()] == [
        (str(causes_yml), 6, "pin: no loaded incident has the id 'INC-2026-99-99-999'")
    ]
    # Line 5 pins the ops script of 004 to the configuration changes, beside 006 (found).
    box = at.selectbox(key="causes_cluster")
    [config] = [n for n, label in enumerate(box.options) if label.startswith("Configuration")]
    box.select_index(config).run()
    members = table(at, "what_failed")
    assert [(r.incident_id, r.assignment, r.what_failed) for r in members.itertuples()] == [
        ("INC-2026-09-30-004", "pinned", "Nobody reviewed the script."),
        ("INC-2026-05-20-006", "found", "Schema changes have no review step."),
    ]
    assert any("2 incidents (1 pinned)" in m for m in markdown_text(at))


def test_explorer_says_who_placed_an_incident_and_why(monkeypatch, corrected):
    db, causes_yml = corrected
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-09-30-004")
    assert any(
        m.startswith("Root-cause cluster: Configuration change (pinned)") for m in markdown_text(at)
    )
    [why] = [t.value for t in at.get("text") if t.value.startswith("Group:")]
    assert f"Assignment: pinned by {causes_yml}:5 (pin: INC-2026-09-30-004: config_change)" in why
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-04-10-005")
    assert "Root-cause cluster: Expired certificate or credential (found)" in " ".join(
        markdown_text(at)
    )
    [why] = [t.value for t in at.get("text") if t.value.startswith("Group:")]
    assert "Assignment: found: the mechanism model placed it" in why
    assert "Mechanism the model reads: Expired certificate or credential (expiry)" in why
