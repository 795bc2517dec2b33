"""`postmortems causes` with the reviewers' corrections, and `--explain INCIDENT`, run for real
on a database ingested from the six documents of tests/fixtures/dashboard/corpus with
tests/fixtures/dashboard/corrections/causes.yml beside them (line 5 pins INC-2026-09-30-004 to
the configuration changes, line 6 pins an incident that was never loaded)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import query
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "dashboard"
PINNED, FOUND = "INC-2026-09-30-004", "INC-2026-04-10-005"
UNMATCHED = "pin: no loaded incident has the id 'INC-2026-99-99-999'"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli_causes")
    corpus = folder / "postmortems"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copy(FIXTURES / "corrections" / "causes.yml", corpus / "causes.yml")
    db = folder / "pm.duckdb"
    summary = ingest([corpus], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (6, 0), summary
    return db, (corpus / "causes.yml").resolve()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_causes_marks_pinned_and_found_and_warns_of_unmatched_entries(corrected):
    db, causes_yml = corrected
    result = run("causes", "--db", str(db))
    assert result.exit_code == 0, result.output
    # The ranking counts the pinned incidents of each cause.
    ranked = re.findall(r"│ (\d) +│ ([A-Z][\w ]+?) +│ (\d) +│ (\d) +│", result.stdout)
    assert ranked == [
        ("1", "Expired certificate or credential", "3", "0"),
        ("2", "Configuration change", "2", "1"),
        ("3", "Capacity or limit reached", "1", "0"),
    ]
    # What failed each time, for the causes of several incidents, newest first: a group a
    # reviewer may split.
    members = re.findall(
        r"│ (\d) +│ (INC-[\d-]+) +│ [\d-]+ +│ (pinned|found) +│ (.+?) +│", result.stdout
    )
    assert members == [
        ("1", "INC-2026-09-21-003", "found", "Certificate ownership is still unclear."),
        ("1", "INC-2026-07-14-001", "found", "Certificate expiry is not monitored."),
        ("1", FOUND, "found", "Nobody owned the certificate inventory."),
        ("2", PINNED, "pinned", "Nobody reviewed the script."),
        ("2", "INC-2026-05-20-006", "found", "Schema changes have no review step."),
    ]
    assert result.stderr == f"warning: {causes_yml}:6: {UNMATCHED}\n"


def test_causes_json_carries_each_assignment_and_stays_parseable(corrected):
    db, causes_yml = corrected
    result = run("causes", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    causes = json.loads(result.stdout)
    config = next(c for c in causes if c["cluster_label"] == "Configuration change")
    assert (config["incidents"], config["pinned"]) == (2, 1)
    assert [(m["incident_id"], m["assignment"]) for m in config["members"]] == [
        ("INC-2026-05-20-006", "found"),
        (PINNED, "pinned"),
    ]
    # The same as the table: what the database holds.
    stored = dict(query(db, "select incident_id, assignment from root_cause_clusters"))
    every = {m["incident_id"]: m["assignment"] for c in causes for m in c["members"]}
    assert every == stored
    assert result.stderr == f"warning: {causes_yml}:6: {UNMATCHED}\n"


def test_explain_a_found_incident_gives_mechanism_confidence_and_words(corrected):
    db, _ = corrected
    result = run("causes", "--db", str(db), "--explain", FOUND)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{FOUND}: Checkout API TLS certificate expired"
    assert lines[1] == "Group: Expired certificate or credential (3 incidents, 0 pinned)"
    assert "Assignment: found: the mechanism model placed it" in lines
    # The confidence is the one the grouping recorded at ingest.
    ((similarity,),) = query(
        db, "select similarity from root_cause_clusters where incident_id = ?", [FOUND]
    )
    assert (
        "Mechanism the model reads: Expired certificate or credential (expiry), "
        f"confidence {similarity:.2f} (the grouping follows it from 0.30)"
    ) in lines
    start = lines.index("Words that pushed it there (weight):")
    words = [re.match(r"  \+(\d\.\d{3})  (.+)$", line).groups() for line in lines[start + 1 :]]
    weights = [float(w) for w, _ in words]
    assert len(words) == 6 and weights == sorted(weights, reverse=True) and weights[-1] > 0
    assert {"certificat", "expir"} <= {w for _, w in words}


def test_explain_a_pinned_incident_names_the_line_that_pinned_it(corrected):
    db, causes_yml = corrected
    result = run("causes", "--db", str(db), "--explain", PINNED)
    assert result.exit_code == 0, result.output
    assert (
        f"Assignment: pinned by {causes_yml}:5 (pin: {PINNED}: config_change)"
        in result.stdout.splitlines()
    )
    assert "Mechanism the model reads (the pin overrides it): " in result.stdout
    as_json = json.loads(
        run("causes", "--db", str(db), "--explain", PINNED, "--format", "json").stdout
    )
    assert as_json["stage"] == "pinned"
    assert as_json["pinned_by"] == {
        "source": "causes.yml",
        "path": str(causes_yml),
        "line": 5,
        "entry": f"pin: {PINNED}: config_change",
        "target": "config_change",
    }
    assert as_json["cluster_label"] == "Configuration change"


def test_explain_an_unknown_incident_is_one_line_and_exit_2(corrected):
    db, _ = corrected
    result = run("causes", "--db", str(db), "--explain", "INC-0000")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: no incident 'INC-0000' in {db}; `postmortems causes` lists them"
    ]


def test_explain_an_incident_without_a_cause(tmp_path):
    corpus = tmp_path / "postmortems"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "---\nincident_id: INC-2026-10-02-008\ntitle: Brief note\n---\n\n# Brief note\n"
    )
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, full=True, workers=1)
    result = run("causes", "--db", str(db), "--explain", "INC-2026-10-02-008")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "INC-2026-10-02-008: Brief note",
        "In no cause group: it has no cause text (no root cause, summary or prose to read).",
    ]


def test_help_shows_an_explain_example():
    result = run("causes", "--help")
    assert result.exit_code == 0
    assert "--explain" in result.stdout
    assert "Example: postmortems causes --explain INC-2026-03-14-001" in result.stdout
