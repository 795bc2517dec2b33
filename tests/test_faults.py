"""Faults during a load: SIGKILL/SIGTERM at random points (parsing and writing), Ctrl-C, a
full disk, two loads at once, and a dashboard serving while a load replaces its database. Each
time the database is either the previous load or the new one, whole and readable, and the next
run completes.

The loads are the real CLI in a subprocess (`python -m pipeline ingest`), killed from the test.
Kill delays come from a seeded random generator, so a failure replays the same way. The lead's
test_ingest.py already kills a one-worker load three times; these add two workers (the main
process killed, its pool left behind), kills aimed at the write phase, and signals to the whole
process group as a terminal sends them.
"""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import (
    REPO_ROOT,
    TABLES,
    query,
    running_dashboard,
    table_rows,
    template_postmortem,
    write_corpus,
)

from pipeline.ingest import ingest

NEW_FILES = 1500  # about a second of parsing and one of writing here: room to aim a signal
SEED = 20260314
CHROMIUM = "/usr/bin/chromium"


def _doc(i: int, **kw) -> str:
    return template_postmortem(
        f"INC-2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}-{i:03d}",
        date=f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        severity=f"P{i % 4}",
        **kw,
    )


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """A corpus folder in its "after" state, the database of its "before" state (10 files), and
    the database the load from before to after must end in (made in-process, undisturbed)."""
    base = tmp_path_factory.mktemp("faults")
    corpus = write_corpus(base / "pm", {f"team-{i % 3}/inc-{i:03d}.md": _doc(i) for i in range(10)})
    before = base / "before.duckdb"
    ingest([corpus], before, workers=1)
    # Edit one, remove one, add many: an incremental load with every kind of change.
    (corpus / "team-0" / "inc-000.md").write_text(_doc(0, duration="3 hours"))
    (corpus / "team-1" / "inc-001.md").unlink()
    write_corpus(corpus / "new", {f"inc-{i:04d}.md": _doc(i) for i in range(100, 100 + NEW_FILES)})
    after = base / "after.duckdb"
    shutil.copyfile(before, after)
    summary = ingest([corpus], after, workers=2)
    assert (summary.loaded, summary.unchanged, summary.removed) == (NEW_FILES + 1, 8, 1)
    return corpus, snapshot(before), snapshot(after), before


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (meta's load time aside): reading it proves the file is whole."""
    return {table: table_rows(db, table) for table in TABLES}


def _start_load(corpus: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--workers",
            "2",
            *extra,
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        start_new_session=True,  # its own process group, as a shell job would be
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def _temp_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.tmp-*"))


def _wait_for_write_phase(proc: subprocess.Popen, db: Path) -> bool:
    """Wait until the load starts writing its new database file; False if it ended first."""
    while proc.poll() is None:
        if _temp_files(db):
            return True
        time.sleep(0.002)
    return False


def _wait_for_workers(proc: subprocess.Popen) -> None:
    """Wait until the load has started its pool of parser processes."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    while proc.poll() is None:
        try:
            if len(children.read_text().split()) >= 2:
                return
        except OSError:
            return  # the process is gone
        time.sleep(0.005)


def _kill_main_only(proc: subprocess.Popen, sig: signal.Signals = signal.SIGKILL) -> None:
    # Only the main process, as the OOM killer would: its pool workers must not keep the lock.
    proc.send_signal(sig)
    proc.communicate(timeout=60)


def _assert_old_or_new(db: Path, before: dict, after: dict) -> str:
    state = snapshot(db)
    assert state in (before, after), "the database must be the previous load or the new one"
    return "old" if state == before else "new"


def _undisturbed_load_seconds(corpus: Path, db: Path, before_db: Path) -> float:
    """How long the CLI load takes here, start to exit: the span the kills are spread over."""
    shutil.copyfile(before_db, db)
    started = time.monotonic()
    code, _out, err = _finish(_start_load(corpus, db))
    assert code == 0, err
    return time.monotonic() - started


def test_sigkill_at_random_points_leaves_the_previous_database(states, tmp_path):
    corpus, before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    span = _undisturbed_load_seconds(corpus, db, before_db)
    rng = random.Random(SEED)
    seen = []
    # Every load starts from the previous database, and where the killed one left off: its
    # orphaned workers, its lock file, any half-written temporary file. It must start (not
    # refuse) and leave the database whole.
    kills = 0
    for _attempt in range(12):
        if kills == 6:
            break
        shutil.copyfile(before_db, db)
        started = time.monotonic()
        proc = _start_load(corpus, db)
        time.sleep(rng.uniform(0.05, 0.8) * span)
        if proc.poll() is not None:
            code, _out, err = _finish(proc)
            assert code == 0, err
            seen.append("finished first")
            span = min(span, time.monotonic() - started)  # the machine got faster: aim earlier
            continue
        # SIGTERM too: no handler, so it ends the process as abruptly (a `kill PID`).
        sig = signal.SIGTERM if kills % 3 == 2 else signal.SIGKILL
        _kill_main_only(proc, sig)
        kills += 1
        seen.append(f"{sig.name}: {_assert_old_or_new(db, before, after)}")
    assert kills == 6, seen
    code, _out, err = _finish(_start_load(corpus, db))
    assert code == 0, err
    assert snapshot(db) == after
    assert _temp_files(db) == []
    print(f"\nSIGKILL/SIGTERM at random points of a {span:.1f} s load: database afterwards {seen}")


def test_sigkill_during_the_write_phase_leaves_the_previous_database(states, tmp_path):
    corpus, before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    rng = random.Random(SEED + 1)
    kills_while_writing = 0
    seen = []
    for _ in range(3):
        shutil.copyfile(before_db, db)
        proc = _start_load(corpus, db)
        assert _wait_for_write_phase(proc, db), f"the load ended before writing: {_finish(proc)}"
        time.sleep(rng.uniform(0.0, 0.3))
        kills_while_writing += proc.poll() is None
        _kill_main_only(proc)
        seen.append(_assert_old_or_new(db, before, after))
    code, _out, err = _finish(_start_load(corpus, db))
    assert code == 0, err
    assert snapshot(db) == after
    assert _temp_files(db) == []  # the killed loads' half-written files were cleared
    print(f"\nSIGKILL while writing: database afterwards {seen}")
    assert kills_while_writing >= 1


def test_ctrl_c_exits_130_with_a_message_and_leaves_the_database(states, tmp_path):
    corpus, before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    rng = random.Random(SEED + 2)
    for phase in ("parsing", "writing"):
        shutil.copyfile(before_db, db)
        proc = _start_load(corpus, db)
        if phase == "parsing":
            _wait_for_workers(proc)
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            assert _wait_for_write_phase(proc, db)
            time.sleep(rng.uniform(0.0, 0.5))
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
        code, _out, err = _finish(proc)
        if code == 0:  # the load finished first; it must then be complete
            assert snapshot(db) == after
            continue
        assert code == 130, err
        assert f"interrupted; {db} is unchanged" in err
        assert snapshot(db) == before
        assert _temp_files(db) == []
    code, _out, err = _finish(_start_load(corpus, db))
    assert code == 0, err
    assert snapshot(db) == after


def test_ctrl_c_during_parsing_prints_one_line_and_no_traceback(states, tmp_path):
    corpus, _before, _after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    proc = _start_load(corpus, db)
    _wait_for_workers(proc)
    time.sleep(0.3)  # into the parsing
    os.killpg(proc.pid, signal.SIGINT)
    code, _out, err = _finish(proc)
    assert code == 130
    assert err.strip() == f"interrupted; {db} is unchanged"


def test_a_second_load_while_one_runs_exits_2_with_a_clear_message(states, tmp_path):
    corpus, _before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    first = _start_load(corpus, db)
    lock = Path(str(db) + ".ingest-lock")
    # Wait until the first load holds the lock (it writes its pid into the lock file).
    while first.poll() is None and not (
        lock.exists() and lock.read_text().strip() == str(first.pid)
    ):
        time.sleep(0.01)
    assert first.poll() is None
    code, out, err = _finish(_start_load(corpus, db))
    assert code == 2
    assert out == ""
    assert err.strip() == (
        f"error: {db}: another ingest is writing this database (pid {first.pid}); "
        "try again when it has finished"
    )
    assert _finish(first)[0] == 0
    assert snapshot(db) == after


def test_two_loads_started_at_once_leave_one_complete_database(states, tmp_path):
    corpus, _before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    loads = [_start_load(corpus, db), _start_load(corpus, db)]
    results = [_finish(p) for p in loads]
    assert sorted(code for code, _, _ in results) == [0, 2], [err for _, _, err in results]
    (loser,) = [err for code, _, err in results if code == 2]
    assert "another ingest is writing this database" in loser
    assert snapshot(db) == after
    assert _temp_files(db) == []


def _comparable(db: Path) -> dict[str, list[str]]:
    # mtimes differ between a file's versions, so source_files is compared without them.
    tables = {t: [repr(r) for r in table_rows(db, t)] for t in TABLES if t != "source_files"}
    tables["source_files"] = sorted(
        repr(r)
        for r in query(
            db,
            "SELECT source_path, content_sha256, size_bytes, outcome, claimed_id, incident_id "
            "FROM source_files",
        )
    )
    return tables


def test_files_changing_during_loads_converge_to_a_full_load(tmp_path):
    corpus = write_corpus(tmp_path / "pm", {f"inc-{i:04d}.md": _doc(i) for i in range(600)})
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=2)
    rng = random.Random(SEED + 3)
    stop = threading.Event()

    def churn() -> None:
        # Edit, delete and add files while the loads run (a git pull, an editor saving).
        added = 0
        while not stop.is_set():
            i = rng.randrange(600)
            path = corpus / f"inc-{i:04d}.md"
            roll = rng.random()
            if roll < 0.3:
                path.unlink(missing_ok=True)
            elif roll < 0.7:
                path.write_text(_doc(i, duration=f"{rng.randint(1, 9)} hours"))
            else:
                (corpus / f"new-{added}.md").write_text(_doc(5000 + added))
                added += 1
            time.sleep(0.001)

    churner = threading.Thread(target=churn)
    churner.start()
    try:
        for _ in range(3):
            ingest([corpus], db, workers=2)  # a file may vanish under it: recorded, not fatal
    finally:
        stop.set()
        churner.join()
    # Once the folder is still, one more load ends exactly where a fresh full load does.
    ingest([corpus], db, workers=2)
    full = tmp_path / "full.duckdb"
    ingest([corpus], full, full=True, workers=2)
    assert _comparable(db) == _comparable(full)


def _full_disk_after(limit: int):
    """In the child before exec: any write that grows a file past `limit` bytes fails with EFBIG
    (File too large), as a full disk fails a write with ENOSPC, instead of killing the process."""

    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def _load_on_a_full_disk(corpus: Path, db: Path, limit: int) -> tuple[int, str, str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--workers",
            "2",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        preexec_fn=_full_disk_after(limit),
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


# The disk fills while the previous database is copied, or while the new one is checkpointed.
FULL_DISK_POINTS = {"copying": 0.5, "writing": 1.05}


@pytest.mark.parametrize("point", list(FULL_DISK_POINTS))
def test_a_full_disk_during_the_write_leaves_the_previous_database(states, tmp_path, point):
    corpus, before, after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    code, _out, _err = _load_on_a_full_disk(
        corpus, db, int(db.stat().st_size * FULL_DISK_POINTS[point])
    )
    assert code != 0
    assert snapshot(db) == before
    assert _temp_files(db) == []
    # With room again, the next load completes.
    code, _out, err = _finish(_start_load(corpus, db))
    assert code == 0, err
    assert snapshot(db) == after


@pytest.mark.parametrize("point", list(FULL_DISK_POINTS))
def test_a_full_disk_is_one_line_and_leaves_the_database(states, tmp_path, point):
    # A bug this test keeps fixed: a 40-line traceback and exit 1.
    corpus, _before, _after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    code, out, err = _load_on_a_full_disk(
        corpus, db, int(db.stat().st_size * FULL_DISK_POINTS[point])
    )
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("error: cannot write ") and "File too large" in line
    assert line.endswith(f"{db} is unchanged")


# ---------------------------------------------------------------------------------------------
# Operator mistakes: the command line points somewhere wrong.


def _cli_load(paths: list[str], db: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", *paths, "--db", db, "--workers", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("where", ["read-only folder", "under a file", "empty"])
def test_a_db_path_that_cannot_be_written_is_one_line(tmp_path, where):
    # A bug this test keeps fixed: a traceback.
    corpus = write_corpus(tmp_path / "pm", {"a.md": _doc(1)})
    db = {
        "read-only folder": "/sys/pm.duckdb",  # sysfs refuses new files, even to root
        "under a file": str(corpus / "a.md" / "pm.duckdb"),
        "empty": "",
    }[where]
    code, _out, err = _cli_load([str(corpus)], db)
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert (corpus / "a.md").read_text() == _doc(1)


def test_a_mistyped_corpus_path_changes_nothing(tmp_path):
    # A bug this test keeps fixed: every incident dropped, exit 0.
    corpus = write_corpus(tmp_path / "pm", {"a.md": _doc(1), "b.md": _doc(2)})
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    before = snapshot(db)
    code, _out, err = _cli_load([str(tmp_path / "pmm")], str(db))
    assert snapshot(db) == before, "a typo in the path dropped the incidents"
    assert code == 2
    assert "pmm" in err and "no such file or folder" in err


# ---------------------------------------------------------------------------------------------
# The dashboard while a load replaces its database.


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode(errors="replace")
    except OSError as exc:
        return -1, str(exc)


@pytest.fixture
def dashboard(states, tmp_path):
    """(url, db) of the real `postmortems dashboard` serving a copy of the "before" database."""
    _corpus, _before, _after, before_db = states
    db = tmp_path / "pm.duckdb"
    shutil.copyfile(before_db, db)
    with running_dashboard(db, tmp_path / "dashboard.log") as url:
        yield url, db


def _incidents_tile(page, url: str) -> str:
    """The overview's "Incidents" figure over all time, as the browser shows it."""
    page.goto(f"{url}/?period=all")
    page.wait_for_function(
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
        " === 'notRunning' && document.querySelector('[data-testid=stMetric]') !== null",
        timeout=60_000,
    )
    label = page.locator("[data-testid=stMetricLabel]", has_text=re.compile(r"^\s*Incidents\s*$"))
    tile = page.locator("[data-testid=stMetric]", has=label).first
    return tile.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_the_dashboard_keeps_serving_while_a_load_replaces_its_database(states, dashboard):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed; run `make browser`")
    from playwright.sync_api import sync_playwright

    corpus, _before, after, _before_db = states
    url, db = dashboard
    n_before = query(db, "SELECT count(*) FROM incidents")[0][0]
    n_after = len(after["incidents"])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            # A session is open on the old file (its connection is cached) when the load starts.
            assert _incidents_tile(page, url) == str(n_before)

            polls: list[tuple[int, str]] = []
            stop = threading.Event()

            def poll() -> None:
                while not stop.is_set():
                    polls.append(_get(f"{url}/_stcore/health"))
                    time.sleep(0.05)

            poller = threading.Thread(target=poll)
            poller.start()
            try:
                # First a load killed while writing: the page keeps the old figure.
                killed = _start_load(corpus, db)
                assert _wait_for_write_phase(killed, db)
                _kill_main_only(killed)
                assert _incidents_tile(page, url) == str(n_before)
                # Then a load that completes and replaces the file under the running server.
                code, _out, err = _finish(_start_load(corpus, db))
            finally:
                stop.set()
                poller.join()
            assert code == 0, err
            assert snapshot(db) == after
            assert len(polls) >= 10, "the loads were too quick to poll during them"
            assert [p for p in polls if p != (200, "ok")] == []

            # The same tab, reloaded: the new database, without restarting the server.
            assert _incidents_tile(page, url) == str(n_after)
        finally:
            browser.close()
    print(
        f"\ndashboard: {len(polls)} health polls during a killed load and a full one, all 200; "
        f"incidents {n_before} -> {n_after}"
    )


def test_ctrl_c_while_reading_the_previous_stamps_stops_the_query_cleanly(tmp_path):
    """A load reads the previous load's stamps in a thread; Ctrl-C while it waits for them once
    left the query running, so closing its cursor failed with a DuckDB traceback."""
    import duckdb

    from pipeline.previous_load import TargetError, read_recorded

    db = tmp_path / "stamps.duckdb"
    with duckdb.connect(str(db)) as con:
        # Enough rows that the query is still running when Ctrl-C arrives.
        con.execute(
            "CREATE TABLE source_files AS SELECT "
            "'/a/long/folder/of/postmortems/incident-' || i || '.md' AS source_path, "
            "i AS size_bytes, i * 1000 AS mtime_ns, 'loaded' AS outcome FROM range(3000000) t(i)"
        )
    con = duckdb.connect(str(db), read_only=True)
    main = threading.main_thread().ident
    wait = read_recorded(con)
    sent = threading.Event()

    def ctrl_c_once_waiting():
        # Sent when the main thread is seen blocked in the wait, not after a fixed time.
        while not sent.is_set():
            frame = sys._current_frames().get(main)
            while frame is not None and not frame.f_code.co_filename.endswith("previous_load.py"):
                frame = frame.f_back
            if frame is not None and frame.f_code.co_name == "wait":
                signal.pthread_kill(main, signal.SIGINT)
                sent.set()
            time.sleep(0.001)

    threading.Thread(target=ctrl_c_once_waiting, daemon=True).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            wait()
    finally:
        sent.set()
    with pytest.raises(TargetError, match="cannot read source_files"):
        wait()  # as the load's clean-up calls it again: the query was stopped, not finished
    con.close()  # nothing still runs on the connection
