"""`postmortems overdue`, `stats` and `causes` run for real on a database ingested from the
analytics fixture corpus (tests/fixtures/analytics; the figures are worked out by hand in
tests/test_analytics.py, whose docstring lists the corpus)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "analytics"
AS_OF = "2026-06-15"
C, D, E, F, G = (
    "INC-2026-02-14-003",
    "INC-2026-04-02-004",
    "INC-2026-04-20-005",
    "INC-2026-05-05-006",
    "INC-2026-05-20-007",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli_analytics")
    corpus = folder / "postmortems"
    shutil.copytree(FIXTURES, corpus)
    path = folder / "postmortems.duckdb"
    summary = ingest([corpus], path, workers=1)
    assert summary.loaded == 10 and summary.rejected == 0, summary
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# ---------------------------------------------------------------------------------------------
# overdue


def test_overdue_csv_most_urgent_first_and_exit_3(db):
    result = run("overdue", "--db", str(db), "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 3
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # P0/P1 first (D1 45 days, G1 5), then by days overdue: C1 106, E1 36, F2 14
    assert [
        (r["incident_id"], r["severity"], r["owner"], r["due_date"], r["days_overdue"])
        for r in rows
    ] == [
        (D, "P0", "alice", "2026-05-01", "45"),
        (G, "P1", "gina", "2026-06-10", "5"),
        (C, "P2", "carol", "2026-03-01", "106"),
        (E, "P3", "frank", "2026-05-10", "36"),
        (F, "P2", "bob", "2026-06-01", "14"),
    ]


def test_overdue_json_with_owner_and_team(db):
    result = run(
        "overdue", "--db", str(db), "--as-of", AS_OF, "--owner", "@carol", "--format", "json"
    )
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [(d["incident_id"], d["action_id"], d["days_overdue"]) for d in data] == [(C, "1", 106)]
    result = run(
        "overdue", "--db", str(db), "--as-of", AS_OF, "--team", "search", "--format", "json"
    )
    assert [d["incident_id"] for d in json.loads(result.stdout)] == [G, E]


def test_overdue_table_lists_incident_owner_and_days(db):
    result = run("overdue", "--db", str(db), "--as-of", AS_OF)
    assert result.exit_code == 3
    assert "5 overdue action(s) as of 2026-06-15" in result.stdout
    line_of_d = next(line for line in result.stdout.splitlines() if D in line)
    for cell in ("P0", "alice", "2026-05-01", "45"):
        assert cell in line_of_d


def test_overdue_none_is_exit_0(db):
    result = run("overdue", "--db", str(db), "--as-of", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert "No overdue actions as of 2026-01-01" in result.stdout
    result = run("overdue", "--db", str(db), "--as-of", "2026-01-01", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    # due 2026-06-15 is not overdue on that day; the won't-do D3 (due 04-20) never is
    result = run("overdue", "--db", str(db), "--as-of", AS_OF, "--owner", "dave")
    assert result.exit_code == 0
    result = run("overdue", "--db", str(db), "--as-of", AS_OF, "--owner", "erin")
    assert result.exit_code == 0


def test_overdue_injection_looking_owner_is_just_an_owner(db):
    result = run(
        "overdue",
        "--db",
        str(db),
        "--as-of",
        AS_OF,
        "--owner",
        "'; DROP TABLE actions; --",
        "--team",
        "x' OR '1'='1",
    )
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from actions").fetchone() == (14,)
    con.close()


# ---------------------------------------------------------------------------------------------
# stats


def test_stats_json_headline(db):
    result = run("stats", "--db", str(db), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    h = json.loads(result.stdout)
    assert h["incidents"] == 10
    assert h["by_severity"] == {"P0": 1, "P1": 2, "P2": 4, "P3": 3}
    assert h["p0_p1_share"] == pytest.approx(0.3)
    # restore minutes 30,40,60,60,80,90,120,150: median 70, p90 129
    assert (h["ttr_median"], h["ttr_p90"]) == (70.0, 129.0)
    assert (h["open_actions"], h["overdue_actions"]) == (9, 5)
    assert h["top_causes"][0] == {"cause": "Expired certificate or credential", "incidents": 3}


def test_stats_period_and_drafts(db):
    q2 = ["--since", "2026-04-01", "--until", "2026-06-30", "--as-of", AS_OF, "--format", "json"]
    h = json.loads(run("stats", "--db", str(db), *q2).stdout)
    # D E F G; restore D80 F120 G40 -> median 80, p90 at 1.8 -> 80 + 0.8*40 = 112
    assert (h["incidents"], h["ttr_median"], h["ttr_p90"]) == (4, 80.0, 112.0)
    assert h["since"] == "2026-04-01" and h["until"] == "2026-06-30"
    same = json.loads(
        run(
            "stats", "--db", str(db), "--quarter", "2026Q2", "--as-of", AS_OF, "--format", "json"
        ).stdout
    )
    assert same == h
    no_drafts = json.loads(run("stats", "--db", str(db), *q2, "--no-drafts").stdout)
    # without E: 3 incidents, open D1 D2 F2 G1 = 4, overdue D1 F2 G1 = 3
    assert (no_drafts["incidents"], no_drafts["open_actions"], no_drafts["overdue_actions"]) == (
        3,
        4,
        3,
    )


def test_stats_json_carries_n_and_the_interval_of_each_figure(db):
    q2 = ["--quarter", "2026Q2", "--as-of", AS_OF, "--format", "json"]
    h = json.loads(run("stats", "--db", str(db), *q2).stdout)
    # D E F G: 2 of 4 P0/P1 -> Wilson (0.1500, 0.8500); restore 40, 80, 120 -> n 3, the
    # order-statistic interval of so few is their whole range
    share = h["intervals"]["p0_p1_share"]
    assert (share["n"], round(share["low"], 4), round(share["high"], 4)) == (4, 0.15, 0.85)
    assert h["intervals"]["ttr_median"] == {
        "n": 3,
        "low": 40.0,
        "high": 120.0,
        "method": "order statistics",
    }
    # a quarter is compared with the one before: 2026Q1, A B C
    assert (h["previous"]["since"], h["previous"]["incidents"]) == ("2026-01-01", 3)
    incidents = h["changes"]["incidents"]
    assert (incidents["now"], incidents["before"], incidents["n_now"], incidents["n_before"]) == (
        4,
        3,
        4,
        3,
    )
    assert incidents["words"] == "too few incidents to tell"
    assert h["changes"]["ttr_median"]["difference"] == 5.0  # 80 against 75
    assert h["changes"]["by_severity"]["P0"]["verdict"] == "too_few"
    # an open-ended period has nothing to compare with
    everything = json.loads(
        run("stats", "--db", str(db), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert "changes" not in everything and everything["intervals"]["incidents"]["n"] == 10


def test_stats_table(db):
    result = run("stats", "--db", str(db), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "Incidents",
        "30.0%",
        "70 min",
        "129 min",
        "Expired certificate or credential (3)",
    ):
        assert text in out


# ---------------------------------------------------------------------------------------------
# causes


def test_causes_json_ranked(db):
    result = run("causes", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(c["cluster_label"], c["incidents"], c["recurred_after_fix"]) for c in data] == [
        ("Expired certificate or credential", 3, True),
        ("Database", 2, True),
        ("Configuration change", 2, False),
        ("Network or routing", 1, False),
        ("Capacity or limit reached", 1, False),
        ("DNS", 1, False),
    ]
    assert data[0]["first_seen"] == "2026-01-10" and data[0]["last_seen"] == "2026-04-02"
    # each member says whether it came back after a fix, and after whose, on which service
    recurred = [
        (m["incident_id"], m["fixed_in_incident_id"], m["fixed_service"])
        for m in data[0]["members"]
        if m["recurred_after_fix"]
    ]
    assert recurred == [("INC-2026-04-02-004", "INC-2026-01-10-001", "checkout-api")]


def test_causes_since_and_table(db):
    result = run("causes", "--db", str(db), "--since", "2026-07-01", "--format", "json")
    # from Jul 1: failover H J (2), network I (1)
    assert [(c["cluster_label"], c["incidents"]) for c in json.loads(result.stdout)] == [
        ("Database", 2),
        ("Network or routing", 1),
    ]
    table = run("causes", "--db", str(db), "--since", "2026-07-01")
    assert table.exit_code == 0
    assert "Database" in table.stdout and "YES" in table.stdout
    assert "Expired certificate or credential" not in table.stdout


def test_causes_pinned_by_the_front_matter(db):
    # Every document of this corpus names its root_cause_category: all are pinned, none found.
    data = json.loads(run("causes", "--db", str(db), "--format", "json").stdout)
    assert [(c["incidents"], c["pinned"]) for c in data] == [
        (3, 3),
        (2, 2),
        (2, 2),
        (1, 1),
        (1, 1),
        (1, 1),
    ]
    assert {m["assignment"] for c in data for m in c["members"]} == {"pinned"}
    result = run("causes", "--db", str(db), "--explain", C)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Group: DNS (1 incident, 1 pinned)"
    assert "Assignment: pinned by the front matter (root_cause_category: dns)" in lines


# ---------------------------------------------------------------------------------------------
# Bad input: one line, exit 2, no traceback


@pytest.mark.parametrize("command", ["overdue", "stats", "causes"])
def test_missing_database_is_one_line(tmp_path, command):
    missing = tmp_path / "nope.duckdb"
    one_line_error(run(command, "--db", str(missing)), "no such database", "postmortems ingest")


@pytest.mark.parametrize("command", ["overdue", "stats", "causes"])
def test_not_a_duckdb_file_is_one_line(tmp_path, command):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database\n")
    # Not "run: postmortems ingest PATH --db junk": ingest refuses to overwrite what is there.
    one_line_error(
        run(command, "--db", str(junk)), "not a readable DuckDB database", "point --db at"
    )


def test_older_schema_is_one_line(tmp_path):
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create table meta (key varchar, value varchar)")
    con.execute("insert into meta values ('schema_version', '0')")
    con.close()
    one_line_error(run("stats", "--db", str(old)), "--full")


@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--as-of", "15/06/2026"],
        ["stats", "--since", "2026-13-01"],
        ["stats", "--until", "yesterday"],
        ["causes", "--since", "'; DROP TABLE incidents; --"],
    ],
)
def test_bad_date_is_one_line(db, args):
    one_line_error(run(args[0], "--db", str(db), *args[1:]), "not a date", args[1])


def test_bad_format_and_quarter_are_one_line(db):
    one_line_error(run("overdue", "--db", str(db), "--format", "xml"), "--format")
    one_line_error(run("stats", "--db", str(db), "--quarter", "2026Q5"), "--quarter")


@pytest.mark.parametrize("command", ["overdue", "stats", "causes"])
def test_help_ends_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Example: postmortems {command}" in result.stdout


def test_the_installed_command_exits_3_when_overdue(db):
    # the real console entry point, in its own process, as a scheduled job would run it
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "overdue",
            "--db",
            str(db),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert len(json.loads(result.stdout)) == 5
