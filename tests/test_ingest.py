"""The loader: every file accounted for, incremental equals full, all-or-nothing, one writer."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import TABLES, query, table_rows, template_postmortem, write_corpus
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import IngestError, ingest


def _corpus(folder: Path, n: int = 6) -> Path:
    docs = {
        f"team-{i % 2}/inc-{i:03d}.md": template_postmortem(
            f"INC-2026-03-{i + 1:02d}-001", date=f"2026-03-{i + 1:02d}", severity=f"P{i % 4}"
        )
        for i in range(n)
    }
    return write_corpus(folder, docs)


def _comparable(db: Path) -> dict[str, list[tuple]]:
    # source_files.mtime_ns differs between copies of the corpus, so compare without it.
    tables = {t: table_rows(db, t) for t in TABLES if t != "source_files"}
    tables["source_files"] = sorted(
        query(
            db,
            "SELECT source_path, content_sha256, outcome, claimed_id, incident_id FROM source_files",
        )
    )
    return tables


def test_every_file_is_loaded_or_recorded_with_its_reason(tmp_path):
    corpus = _corpus(tmp_path / "pm", 3)
    (corpus / "empty.md").write_text("")
    (corpus / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (corpus / "notes.txt").write_text("not a postmortem: wrong suffix")
    db = tmp_path / "pm.duckdb"

    summary = ingest([corpus], db, workers=1)

    assert summary.seen == 5
    assert summary.loaded == 3 and summary.rejected == 2
    outcomes = dict(
        query(db, "SELECT regexp_extract(source_path, '[^/]+$'), outcome FROM source_files")
    )
    assert outcomes["empty.md"] == "rejected" and outcomes["binary.md"] == "rejected"
    assert sum(1 for o in outcomes.values() if o.startswith("loaded")) == 3
    problems = query(
        db,
        "SELECT regexp_extract(source_path, '[^/]+$'), level, code FROM load_problems WHERE level = 'error'",
    )
    assert {p[0] for p in problems} == {"empty.md", "binary.md"}
    assert query(db, "SELECT count(*) FROM incidents")[0][0] == 3


def test_incremental_load_ends_in_the_same_tables_as_a_full_load(tmp_path):
    corpus = _corpus(tmp_path / "pm", 6)
    db = tmp_path / "incremental.duckdb"
    first = ingest([corpus], db, workers=2)
    assert first.loaded == 6

    # Edit one, remove one, add one, touch one without changing it.
    edited = corpus / "team-0" / "inc-000.md"
    edited.write_text(edited.read_text().replace("**Severity:** P0", "**Severity:** P2"))
    (corpus / "team-1" / "inc-001.md").unlink()
    (corpus / "team-1" / "inc-new.md").write_text(
        template_postmortem("INC-2026-04-01-001", date="2026-04-01")
    )
    touched = corpus / "team-0" / "inc-002.md"
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))

    second = ingest([corpus], db, workers=2)
    assert (second.loaded, second.unchanged, second.removed) == (2, 4, 1)

    full_db = tmp_path / "full.duckdb"
    ingest([corpus], full_db, full=True, workers=1)
    assert _comparable(db) == _comparable(full_db)
    assert query(db, "SELECT severity FROM incidents WHERE incident_id = 'INC-2026-03-01-001'") == [
        ("P2",)
    ]

    third = ingest([corpus], db)
    assert (third.loaded, third.unchanged) == (0, 6)
    assert _comparable(db) == _comparable(full_db)


def test_duplicate_ids_keep_both_incidents_and_name_the_first(tmp_path):
    corpus = write_corpus(
        tmp_path / "pm",
        {
            "a.md": template_postmortem("INC-1", title="First"),
            "b.md": template_postmortem("INC-1", title="Second"),
        },
    )
    db = tmp_path / "pm.duckdb"
    summary = ingest([corpus], db, workers=1)
    assert summary.problems_by_code["duplicate_id"] == 1  # the load's summary says so too
    titles = dict(query(db, "SELECT incident_id, title FROM incidents"))
    assert set(titles) == {"INC-1", "INC-1~2"}
    assert "Second" in titles["INC-1~2"]
    (message,) = query(db, "SELECT message FROM load_problems WHERE code = 'duplicate_id'")[0]
    assert str(corpus / "a.md") in message and "INC-1~2" in message

    # When the first file goes, the second takes the id back, everywhere.
    (corpus / "a.md").unlink()
    ingest([corpus], db)
    assert query(db, "SELECT incident_id FROM incidents") == [("INC-1",)]
    assert query(db, "SELECT DISTINCT incident_id FROM timeline") == [("INC-1",)]
    assert query(db, "SELECT count(*) FROM load_problems WHERE code = 'duplicate_id'") == [(0,)]


def test_a_folder_given_twice_through_a_link_is_read_once(tmp_path):
    corpus = _corpus(tmp_path / "pm", n=3)
    link = tmp_path / "pm-link"
    link.symlink_to(corpus, target_is_directory=True)
    db = tmp_path / "pm.duckdb"
    summary = ingest([corpus, link], db, workers=1)
    assert (summary.seen, summary.loaded) == (3, 3)
    assert query(db, "SELECT count(*) FROM incidents") == [(3,)]
    assert query(db, "SELECT source_path, code FROM load_problems WHERE code = 'symlink_loop'") == [
        (str(link), "symlink_loop")
    ]


def test_a_document_without_an_id_is_named_after_its_file(tmp_path):
    text = template_postmortem().replace(
        "**Incident ID:** INC-2026-03-14-001", "**Incident ID:** INC-YYYY-MM-DD-###"
    )
    corpus = write_corpus(tmp_path / "pm", {"2026-03-14-checkout.md": text})
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    assert query(db, "SELECT incident_id FROM incidents") == [("2026-03-14-checkout",)]


def test_a_second_concurrent_load_exits_with_a_clear_message(tmp_path):
    corpus = _corpus(tmp_path / "pm", 1)
    db = tmp_path / "pm.duckdb"
    with open(str(db) + ".ingest-lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(IngestError, match="another ingest is writing this database"):
            ingest([corpus], db, workers=1)
    assert not db.exists()
    ingest([corpus], db, workers=1)
    assert query(db, "SELECT count(*) FROM incidents") == [(1,)]


def test_refuses_to_overwrite_a_file_that_is_not_a_database(tmp_path):
    corpus = _corpus(tmp_path / "pm", 1)
    precious = tmp_path / "notes.duckdb"
    precious.write_text("my notes")
    with pytest.raises(IngestError, match="not a DuckDB database"):
        ingest([corpus], precious, workers=1)
    assert precious.read_text() == "my notes"


def test_a_load_killed_midway_leaves_the_previous_database_intact(tmp_path):
    corpus = _corpus(tmp_path / "pm", 4)
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    before = _comparable(db)

    big = tmp_path / "big"
    shutil.copytree(corpus, big)
    for i in range(400):
        (big / f"extra-{i:04d}.md").write_text(template_postmortem(f"INC-X-{i:04d}"))
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "ingest",
                str(big),
                "--db",
                str(db),
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        count = query(db, "SELECT count(*) FROM incidents")[0][0]
        assert count in (4, 404), "a reader must see the old or the new load, never a mix"
        if count == 4:
            assert _comparable(db) == before
    summary = ingest([big], db, workers=2)
    assert query(db, "SELECT count(*) FROM incidents") == [(404,)]
    assert summary.rejected == 0
    assert not list(tmp_path.glob(".pm.duckdb.tmp-*"))


def test_cli_reports_the_summary_and_strict_fails_on_rejects(tmp_path):
    corpus = _corpus(tmp_path / "pm", 2)
    (corpus / "empty.md").write_text("   \n")
    db = tmp_path / "pm.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "3 files seen: 2 loaded" in result.output and "1 rejected" in result.output
    strict = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--strict"])
    assert strict.exit_code == 1
    assert "0 loaded" in strict.output and "2 unchanged" in strict.output


def test_views_are_created_and_the_schema_version_recorded(tmp_path):
    corpus = _corpus(tmp_path / "pm", 1)
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        views = {
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        con.close()
    expected = {
        p.stem for p in (Path(__file__).parents[1] / "pipeline" / "sql" / "views").glob("*.sql")
    }
    assert len(views) >= len(expected) > 0
    assert version


def test_every_wild_postmortem_is_accounted_for(tmp_path, wild_corpus):
    db = tmp_path / "wild.duckdb"
    summary = ingest([wild_corpus], db, workers=2)
    files = sorted(str(p) for p in wild_corpus.glob("*.md"))
    assert summary.seen == len(files) > 50
    recorded = query(db, "SELECT source_path, outcome FROM source_files ORDER BY 1")
    assert [r[0] for r in recorded] == files
    loaded = [r for r in recorded if r[1] != "rejected"]
    assert len(loaded) == len(files), [r for r in recorded if r[1] == "rejected"]
    for path, outcome in recorded:
        if outcome == "loaded_with_warnings":
            assert (
                query(db, "SELECT count(*) FROM load_problems WHERE source_path = ?", [path])[0][0]
                > 0
            )


def test_an_edit_that_leaves_the_cause_keeps_every_cluster_row(tmp_path):
    # The clusters stand when no cause text changed; the edited incident's row must stand too.
    corpus = _corpus(tmp_path / "pm", 6)
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    edited = corpus / "team-0" / "inc-002.md"
    edited.write_text(edited.read_text() + "\n<!-- reviewed again -->\n")
    assert ingest([corpus], db, workers=1).loaded == 1
    assert query(db, "SELECT count(*) FROM root_cause_clusters") == [(6,)]
    full_db = tmp_path / "full.duckdb"
    ingest([corpus], full_db, full=True, workers=1)
    assert _comparable(db) == _comparable(full_db)


def _attach_readonly(db: Path):
    """A reader as the dashboard makes one: its own instance, the file attached read-only."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{db}' AS pm (READ_ONLY)")
    return con


def test_a_later_load_rewrites_the_file_it_replaced_instead_of_copying(tmp_path):
    corpus = _corpus(tmp_path / "pm", 4)
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    first = db.stat().st_ino
    for n in range(2):
        (corpus / "team-0" / "inc-000.md").write_text(
            template_postmortem("INC-2026-03-01-001", title=f"Edit {n}")
        )
        ingest([corpus], db, workers=1)
    # The second incremental load wrote into the file of the first generation (kept as a
    # spare), bringing it up to date block by block, rather than copying the database.
    assert db.stat().st_ino == first
    assert query(db, "SELECT title FROM incidents WHERE incident_id = 'INC-2026-03-01-001'") == [
        ("Edit 1",)
    ]
    full_db = tmp_path / "full.duckdb"
    ingest([corpus], full_db, full=True, workers=1)
    assert _comparable(db) == _comparable(full_db)
    assert not list(tmp_path.glob(".pm.duckdb.tmp-*"))


def test_a_load_never_writes_a_file_a_reader_still_has_open(tmp_path):
    corpus = _corpus(tmp_path / "pm", 4)
    db = tmp_path / "pm.duckdb"
    edited = corpus / "team-0" / "inc-000.md"

    def load(title: str) -> None:
        edited.write_text(template_postmortem("INC-2026-03-01-001", title=title))
        ingest([corpus], db, workers=1)

    load("Generation 1")
    load("Generation 2")
    expected = table_rows(db, "incidents")
    reader = _attach_readonly(db)  # a dashboard session on generation 2
    try:
        load("Generation 3")  # generation 2 becomes a spare, still open here
        load("Generation 4")  # may patch generation 1, never generation 2
        load("Generation 5")
        # Read only now, so nothing comes from the reader's cache: all from its file.
        rows = reader.execute("SELECT * FROM pm.incidents").fetchall()
        assert sorted(rows, key=repr) == expected
    finally:
        reader.close()
    assert query(db, "SELECT title FROM incidents WHERE incident_id = 'INC-2026-03-01-001'") == [
        ("Generation 5",)
    ]


READER = """
import sys, duckdb
con = duckdb.connect(":memory:")
con.execute(f"ATTACH '{sys.argv[1]}' AS pm (READ_ONLY)")
print("attached", flush=True)
sys.stdin.readline()
print(sorted(con.execute("SELECT incident_id, title FROM pm.incidents").fetchall()), flush=True)
"""


def test_a_load_never_writes_a_file_another_process_reads(tmp_path):
    # As the dashboard does: another process holds an old generation open, read-only.
    corpus = _corpus(tmp_path / "pm", 3)
    db = tmp_path / "pm.duckdb"
    edited = corpus / "team-0" / "inc-000.md"

    def load(title: str) -> None:
        edited.write_text(template_postmortem("INC-2026-03-01-001", title=title))
        ingest([corpus], db, workers=1)

    load("Generation 1")
    load("Generation 2")
    expected = sorted(query(db, "SELECT incident_id, title FROM incidents"))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "attached"
        for n in (3, 4, 5):
            load(f"Generation {n}")
        out, _ = reader.communicate("read\n", timeout=60)
    finally:
        reader.kill()
        reader.wait()
    assert out.strip() == repr(expected)


def test_a_spare_that_is_the_database_itself_is_forgotten(tmp_path):
    # A load killed between keeping the old file as a spare and renaming the new one over it
    # leaves the database under two names; the next load must not write through the second.
    from pipeline import generations

    corpus = _corpus(tmp_path / "pm", 2)
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    before = _comparable(db)
    os.link(db, tmp_path / ".pm.duckdb.spare-1-1")
    generations.remove_leftovers(db)
    assert not (tmp_path / ".pm.duckdb.spare-1-1").exists()
    assert _comparable(db) == before


@pytest.mark.parametrize(
    ("option", "value"), [("--workers", "-1"), ("--max-file-mb", "-1"), ("--max-file-mb", "0")]
)
def test_an_option_out_of_range_is_refused_before_anything_is_read(tmp_path, option, value):
    corpus = _corpus(tmp_path / "pm", n=1)
    db = tmp_path / "pm.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), option, value])
    assert result.exit_code == 2 and option in result.output
    assert not db.exists()


def test_a_re_run_names_the_files_it_read_again_and_found_gone(tmp_path):
    corpus = _corpus(tmp_path / "pm", n=4)
    db = tmp_path / "pm.duckdb"
    first = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert first.exit_code == 0 and "loaded: " not in first.output  # a first load names none
    edited, deleted = sorted(corpus.glob("*/*.md"))[:2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    deleted.unlink()
    again = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert again.exit_code == 0, again.output
    lines = again.output.splitlines()
    assert f"loaded: {edited}" in lines and f"gone: {deleted}" in lines


def test_a_load_that_drops_every_incident_says_so(tmp_path):
    first, other = _corpus(tmp_path / "a", n=3), _corpus(tmp_path / "b", n=2)
    db = tmp_path / "pm.duckdb"
    assert CliRunner().invoke(app, ["ingest", str(first), "--db", str(db)]).exit_code == 0
    # another folder into the same database: the three incidents go, and the load says why
    result = CliRunner().invoke(app, ["ingest", str(other), "--db", str(db)])
    assert result.exit_code == 0 and "3 removed" in result.output
    assert "note: every incident the database held before (3) is gone" in result.output
    # a file deleted from the folder the database mirrors is an ordinary change: no note
    next(other.glob("*/*.md")).unlink()
    (other / "team-0" / "inc-new.md").write_text(template_postmortem("INC-9"), encoding="utf-8")
    again = CliRunner().invoke(app, ["ingest", str(other), str(first), "--db", str(db)])
    assert again.exit_code == 0 and "note:" not in again.output, again.output
