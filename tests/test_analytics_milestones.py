"""analytics.milestone_rows and analytics.duration_basis on a real DuckDB file ingested from
postmortems written here (conftest.template_postmortem), so every value is known by
construction: which row each milestone column came from, and how the duration was obtained."""

from __future__ import annotations

import pytest
from conftest import template_postmortem, write_corpus

from pipeline import analytics
from pipeline.ingest import ingest

TIED = "INC-2026-05-04-021"
FIRST_ALERT = "INC-2026-05-05-022"
PROSE = "INC-2026-05-06-023"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("milestones")
    write_corpus(
        folder / "postmortems",
        {
            # Two rows read as mitigation at 10:20, and one earlier at 10:10 written later in
            # the table: the column is 10:10, and its row is that later entry.
            f"{TIED}.md": template_postmortem(
                TIED,
                date="2026-05-04",
                timeline=[
                    ("10:00", "First alert triggered"),
                    ("10:20", "Rolled back the deploy"),
                    ("10:20", "Mitigation applied: traffic drained"),
                    ("10:10", "Restarted the workers"),
                    ("10:40", "Service restored"),
                ],
            ),
            # No written duration and no impact start: first alert to restored.
            f"{FIRST_ALERT}.md": template_postmortem(
                FIRST_ALERT,
                date="2026-05-05",
                duration="TO REMOVE",
                timeline=[
                    ("08:00", "First alert triggered"),
                    ("09:30", "Service restored"),
                ],
            ).replace("- **Duration:** TO REMOVE\n", ""),
            # No duration field; the summary says how long it lasted.
            f"{PROSE}.md": template_postmortem(PROSE, date="2026-05-06", duration="TO REMOVE")
            .replace("- **Duration:** TO REMOVE\n", "")
            .replace("Checkout requests failed for an hour", "Checkout was down for 45 minutes"),
        },
    )
    db = folder / "pm.duckdb"
    summary = ingest([folder / "postmortems"], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (3, 0), summary
    connection = analytics.connect(db)
    yield connection
    connection.close()


def test_the_earliest_row_of_a_kind_is_the_milestone_row(con):
    rows = analytics.milestone_rows(con, TIED).set_index("milestone")
    assert list(rows.index) == [
        "Impact start", "Detected", "Acknowledged", "Root cause found", "Mitigated", "Restored",
        "Resolved",
    ]  # fmt: skip
    mitigated = rows.loc["Mitigated"]
    assert str(mitigated["occurred_at"]) == "2026-05-04 10:10:00"
    assert (mitigated["seq"], mitigated["event"], mitigated["decided_by"]) == (
        4,
        "Restarted the workers",
        "rules",
    )
    timeline = analytics.incident_detail(con, TIED)["timeline"].set_index("seq")
    assert mitigated["line"] == timeline.loc[4, "line"]
    assert rows.loc["Detected", "how_decided"] == "stated by the author"
    assert rows["event"].isna().sum() == 4  # impact start, acknowledged, root cause, resolved


def test_duration_from_first_alert_when_no_impact_start(con):
    basis = analytics.duration_basis(con, FIRST_ALERT)
    assert (basis["duration_minutes"], basis["duration_derived"], basis["basis"]) == (
        90,
        "timeline",
        "first_alert",
    )
    assert basis["how_obtained"] == (
        "from the timeline: first alert (2026-05-05 08:00 UTC) to restored (2026-05-05 09:30 "
        "UTC); no row was read as impact start"
    )
    assert basis["restored_hint"] is None
    written = analytics.duration_basis(con, TIED)
    assert (written["basis"], written["duration_minutes"]) == ("written", 65)
    assert written["how_obtained"].startswith("written in the document (line ")
    assert written["how_obtained"].endswith(': "Duration: 1 hour 5 minutes")')


def test_duration_told_in_the_prose_quotes_its_words(con):
    basis = analytics.duration_basis(con, PROSE)
    assert (basis["duration_minutes"], basis["duration_derived"], basis["basis"]) == (
        45,
        "prose",
        "prose",
    )
    line = next(
        n
        for n, text in enumerate(template_postmortem(PROSE).splitlines(), 1)
        if text.startswith("Checkout requests failed")
    )
    assert basis["how_obtained"] == (
        f'told in the document\'s prose (line {line}: "down for 45 minutes")'
    )


def test_an_unknown_incident_has_no_rows(con):
    assert analytics.milestone_rows(con, "INC-0000").empty
    assert analytics.duration_basis(con, "INC-0000") is None
    assert analytics.explain_cause(con, "INC-0000") is None


def test_detail_carries_the_milestones(con):
    detail = analytics.incident_detail(con, FIRST_ALERT)
    assert list(detail["milestones"]["milestone_column"]) == [
        "impact_started_at", "detected_at", "acknowledged_at", "root_caused_at",
        "mitigated_at", "restored_at", "resolved_at",
    ]  # fmt: skip
    assert detail["duration"]["basis"] == "first_alert"


def test_the_milestone_query_binds_the_id_as_a_value(con):
    hostile = "x' or '1'='1"
    assert analytics.milestone_rows(con, hostile).empty


def test_a_milestone_the_model_took_from_the_rules_says_so(tmp_path):
    """MoJ's 2023-06-06 report ends its key events with a bare "Resolved": the phrase rules read
    a restore, the model (learned from real reports, where such a line closes the incident)
    an all-clear. The explorer's reason names both, so the overrule can be checked."""
    from pathlib import Path

    wild = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
    [doc] = wild.glob("ministryofjustice__cloud-platform__2023-06-06-*.md")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / doc.name).write_bytes(doc.read_bytes())
    db = tmp_path / "moj.duckdb"
    ingest([folder], db)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        [incident_id] = con.execute("select incident_id from incidents").fetchone()
        rows = analytics.milestone_rows(con, incident_id).set_index("milestone")
    resolved = rows.loc["Resolved"]
    assert (resolved["event"], resolved["decided_by"]) == ("Resolved", "model")
    assert resolved["how_decided"] == (
        f"model, confidence {resolved['confidence']:.2f}, overruling the phrase rules' restored"
    )
    # a row the rules read and the model let stand says only that
    assert rows.loc["Detected", "how_decided"] in ("phrase rules", "stated by the author")
