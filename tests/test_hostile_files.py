"""Hostile files in the corpus: each is loaded or rejected with a clear reason, through the real
loader into a real DuckDB file, and the good files beside them load exactly as they would alone.

One corpus holds every hostile file and a few good ones; it is loaded once (module fixture) and
each test reads the outcome of its file. Files too slow to share a load (a 100,000-row
timeline, a process without read permission) have their own tests.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import duckdb
import hostile
import pytest
import yaml
from conftest import REPO_ROOT, TABLES, query, template_postmortem, write_corpus
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest
from pipeline.parse import PROBLEM_CODES

GOOD = {
    f"good-{i}.md": template_postmortem(
        f"INC-2026-05-0{i + 1}-001", date=f"2026-05-0{i + 1}", severity=f"P{i}"
    )
    for i in range(3)
}
PYTHON_TAGS = [
    "python/object/apply:os.system",
    "python/object/apply:subprocess.call",
    "python/object/new:subprocess.Popen",
]

# file -> (outcome, problem code it must carry, words its message must hold)
EXPECTED = {
    "empty.md": ("rejected", "empty_file", "empty"),
    "whitespace.md": ("rejected", "empty_file", "whitespace"),
    "binary.md": ("rejected", "binary_file", "not a text document"),
    "latin1.md": ("loaded_with_warnings", "invalid_utf8", "replaced"),
    "huge-50mb.md": ("rejected", "too_large", "50.0 MB, over the 10.0 MB limit"),
    "billion-laughs.md": ("rejected", "frontmatter_too_large", "alias"),
    **{
        f"tag-{i}.md": ("rejected", "frontmatter_unsafe", "nothing was run")
        for i in range(len(PYTHON_TAGS))
    },
    "deep-nesting.md": ("loaded", None, None),
    "loop-a.md": ("rejected", "unreadable_file", "Too many levels of symbolic links"),
    "loop-b.md": ("rejected", "unreadable_file", "Too many levels of symbolic links"),
    "dangling.md": ("rejected", "unreadable_file", "No such file"),
    "proc-mem.md": ("rejected", "unreadable_file", "Input/output error"),
    "fifo.md": ("rejected", "unreadable_file", "not a regular file"),
    "zero.md": ("rejected", "unreadable_file", "not a regular file"),
    "x.md/inside.md": ("loaded", None, None),
    "zz-same-id.md": ("loaded_with_warnings", "duplicate_id", "also claimed by"),
}


def build_hostile_corpus(folder: Path, marker_dir: Path) -> Path:
    write_corpus(folder, GOOD)
    (folder / "empty.md").write_bytes(b"")
    (folder / "whitespace.md").write_text(" \n\t\r\n  \n")
    (folder / "binary.md").write_bytes(hostile.binary())
    (folder / "latin1.md").write_bytes(hostile.invalid_utf8())
    hostile.write_big_file(folder / "huge-50mb.md", 50 * hostile.MB)
    (folder / "billion-laughs.md").write_text(
        hostile.billion_laughs() + template_postmortem("INC-BOMB")
    )
    for i, tag in enumerate(PYTHON_TAGS):
        front = hostile.python_tag_front_matter(tag, marker_dir / f"executed-{i}")
        (folder / f"tag-{i}.md").write_text(front + template_postmortem(f"INC-TAG-{i}"))
    (folder / "deep-nesting.md").write_text(
        template_postmortem("INC-DEEP") + hostile.deep_nesting(5000)
    )
    # A folder symlink to its own parent, and two file symlinks pointing at each other.
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")
    (folder / "dangling.md").symlink_to(folder / "gone.md")
    # A "regular file" that even root cannot read from the start (EIO).
    (folder / "proc-mem.md").symlink_to("/proc/self/mem")
    # Files that never end or never answer: opening them would hang or fill memory.
    os.mkfifo(folder / "fifo.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    # A folder whose name looks like a postmortem: walked into, not read as a file.
    (folder / "x.md").mkdir()
    (folder / "x.md" / "inside.md").write_text(template_postmortem("INC-INSIDE-DIR-MD"))
    # Sorts after good-0.md, so good-0.md keeps the id and this one is the second claim.
    (folder / "zz-same-id.md").write_text(
        template_postmortem("INC-2026-05-01-001", title="A second postmortem claiming the id")
    )
    return folder


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """(corpus folder, database, summary, marker folder) after one load of the hostile corpus."""
    base = tmp_path_factory.mktemp("hostile")
    markers = base / "markers"
    markers.mkdir()
    corpus = build_hostile_corpus(base / "pm", markers)
    db = base / "pm.duckdb"
    summary = ingest([corpus], db, workers=2)
    return corpus, db, summary, markers


def _outcomes(db: Path, corpus: Path) -> dict[str, str]:
    rows = query(db, "SELECT source_path, outcome FROM source_files")
    return {str(Path(p).relative_to(corpus)): o for p, o in rows}


def _problems(db: Path, corpus: Path, name: str) -> list[tuple]:
    return query(
        db,
        "SELECT level, code, message FROM load_problems WHERE source_path = ? ORDER BY code",
        [str(corpus / name)],
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_is_loaded_or_rejected_with_its_reason(loaded, name):
    corpus, db, _summary, _markers = loaded
    outcome, code, words = EXPECTED[name]
    assert _outcomes(db, corpus)[name] == outcome
    problems = _problems(db, corpus, name)
    if code is None:
        assert problems == []
    else:
        matching = [p for p in problems if p[1] == code]
        assert matching, problems
        assert words in matching[0][2]
    if outcome == "rejected":
        assert any(level == "error" for level, _, _ in problems)
        assert query(
            db, "SELECT count(*) FROM incidents WHERE source_path = ?", [str(corpus / name)]
        ) == [(0,)]
    else:
        assert query(
            db, "SELECT count(*) FROM incidents WHERE source_path = ?", [str(corpus / name)]
        ) == [(1,)]


def test_every_file_found_is_recorded_and_every_problem_names_its_file(loaded):
    corpus, db, summary, _markers = loaded
    files = {**GOOD, **EXPECTED}
    assert set(_outcomes(db, corpus)) == set(files)
    assert summary.seen == len(files)
    assert summary.rejected == sum(1 for o, _, _ in EXPECTED.values() if o == "rejected")
    problems = query(db, "SELECT source_path, level, code, message FROM load_problems")
    for path, level, code, message in problems:
        assert Path(path).is_relative_to(corpus), path
        assert level in ("error", "warning") and message
        assert code in PROBLEM_CODES or code in (
            "too_large",
            "unreadable_file",
            "duplicate_id",
            "symlink_loop",
        )
    # Every rejection the summary reports (what the CLI prints) names the file and its reason.
    assert sorted(p for p, _ in summary.rejected_files) == sorted(
        str(corpus / n) for n, (o, _, _) in EXPECTED.items() if o == "rejected"
    )


def test_the_good_files_load_exactly_as_they_do_alone(loaded, tmp_path):
    corpus, db, _summary, _markers = loaded
    alone = write_corpus(tmp_path / "pm", GOOD)
    alone_db = tmp_path / "alone.duckdb"
    ingest([alone], alone_db, workers=1)

    def good_rows(database: Path, folder: Path) -> dict[str, list]:
        ids = [f"INC-2026-05-0{i + 1}-001" for i in range(3)]
        tables = {}
        # Clusters are computed over the whole corpus, so they differ by design; the rest may not.
        for table in [
            t for t in TABLES if t not in ("root_cause_clusters", "source_files", "load_problems")
        ]:
            rows = query(
                database,
                f"SELECT * EXCLUDE (incident_id), incident_id FROM {table} WHERE incident_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            )
            tables[table] = sorted(
                (tuple(str(v).replace(str(folder), "<corpus>") for v in row) for row in rows),
                key=repr,
            )
        tables["problems"] = query(
            database,
            "SELECT regexp_extract(source_path, '[^/]+$'), code FROM load_problems "
            "WHERE regexp_extract(source_path, '[^/]+$') LIKE 'good-%' ORDER BY ALL",
        )
        return tables

    hostile_side = good_rows(db, corpus)
    assert len(hostile_side["timeline"]) == 18 and len(hostile_side["actions"]) == 6
    assert hostile_side == good_rows(alone_db, alone)


def test_python_tags_in_front_matter_run_nothing(loaded, tmp_path):
    _corpus, _db, _summary, markers = loaded
    assert list(markers.iterdir()) == [], "a YAML tag in a postmortem ran a command"
    # The payloads are live: an unsafe YAML loader really runs them (proves the test can fail).
    proof = tmp_path / "proof"
    front = hostile.python_tag_front_matter("python/object/apply:os.system", proof)
    yaml.load(front.strip("-\n"), Loader=yaml.UnsafeLoader)
    assert proof.exists()


def test_a_symlink_loop_is_reported_and_read_once(loaded):
    corpus, db, _summary, _markers = loaded
    loops = query(db, "SELECT source_path, message FROM load_problems WHERE code = 'symlink_loop'")
    assert [path for path, _ in loops] == [str(corpus / "loop")]
    assert "a loop of them" in loops[0][1]
    # Nothing was read through the loop.
    assert query(
        db, "SELECT count(*) FROM source_files WHERE source_path LIKE ?", [f"{corpus}/loop/%"]
    ) == [(0,)]


def test_two_files_claiming_one_id_are_both_visible(loaded):
    corpus, db, _summary, _markers = loaded
    rows = query(
        db,
        "SELECT incident_id, title, source_path FROM incidents WHERE incident_id LIKE 'INC-2026-05-01-001%' ORDER BY 1",
    )
    assert [(r[0], Path(r[2]).name) for r in rows] == [
        ("INC-2026-05-01-001", "good-0.md"),
        ("INC-2026-05-01-001~2", "zz-same-id.md"),
    ]
    assert "second postmortem" in rows[1][1]
    ((level, _code, message),) = [
        p for p in _problems(db, corpus, "zz-same-id.md") if p[1] == "duplicate_id"
    ]
    assert level == "warning"
    assert str(corpus / "good-0.md") in message and "INC-2026-05-01-001~2" in message


def test_invalid_utf8_is_decoded_with_replacement(loaded):
    corpus, db, _summary, _markers = loaded
    (authors,) = query(db, "SELECT authors FROM incidents WHERE incident_id = 'INC-LATIN1'")[0]
    assert authors == ["Zo\ufffd Example"]
    (problem,) = [p for p in _problems(db, corpus, "latin1.md") if p[1] == "invalid_utf8"]
    assert problem[0] == "warning"


def test_a_second_load_of_the_hostile_corpus_changes_nothing_and_names_each_reject(
    loaded, tmp_path
):
    corpus, db, _summary, _markers = loaded
    copy = tmp_path / "again.duckdb"
    shutil.copyfile(db, copy)
    before = {t: query(copy, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--db", str(copy), "--workers", "1"], env={"COLUMNS": "1000"}
    )
    assert result.exit_code == 0, result.output
    # Rejected files are retried every load (the reason may have gone away); nothing else moves.
    rejected = {n: words for n, (o, _, words) in EXPECTED.items() if o == "rejected"}
    assert (
        f"0 loaded (0 with warnings), {len(GOOD) + len(EXPECTED) - len(rejected)} unchanged, {len(rejected)} rejected"
        in result.output
    )
    # The user is told which file and why, one line each.
    lines = [line for line in result.output.splitlines() if line.startswith("rejected ")]
    assert len(lines) == len(rejected)
    for name, words in rejected.items():
        (line,) = [line for line in lines if line.startswith(f"rejected {corpus / name}: ")]
        assert words in line
    after = {t: query(copy, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
    assert after == before


def test_the_size_limit_is_configurable_on_the_command_line(tmp_path):
    corpus = write_corpus(tmp_path / "pm", GOOD)
    hostile.write_big_file(corpus / "big.md", 2 * hostile.MB)
    db = tmp_path / "pm.duckdb"
    runner = CliRunner()

    wide = {"COLUMNS": "1000"}  # rich wraps at 80 columns otherwise
    limited = runner.invoke(
        app, ["ingest", str(corpus), "--db", str(db), "--max-file-mb", "1"], env=wide
    )
    assert limited.exit_code == 0, limited.output
    assert f"rejected {corpus / 'big.md'}: file is 2.0 MB, over the 1.0 MB limit" in limited.output
    assert "--max-file-mb" in limited.output
    assert query(db, "SELECT outcome FROM source_files WHERE source_path LIKE '%big.md'") == [
        ("rejected",)
    ]

    raised = runner.invoke(
        app, ["ingest", str(corpus), "--db", str(db), "--max-file-mb", "3"], env=wide
    )
    assert raised.exit_code == 0, raised.output
    assert query(db, "SELECT outcome FROM source_files WHERE source_path LIKE '%big.md'") == [
        ("loaded",)
    ]
    assert query(db, "SELECT count(*) FROM load_problems WHERE code = 'too_large'") == [(0,)]


def test_100000_row_tables_load(tmp_path):
    files = {
        "long.md": hostile.long_timeline(100_000),
        "many-actions.md": hostile.many_actions(100_000),
        "bad-times.md": hostile.unreadable_timeline(100_000),
    }
    corpus = write_corpus(tmp_path / "pm", {**GOOD, **files})
    db = tmp_path / "pm.duckdb"
    started = time.perf_counter()
    summary = ingest([corpus], db, workers=2)
    sizes = ", ".join(f"{n} {(corpus / n).stat().st_size / hostile.MB:.1f} MB" for n in files)
    print(
        f"\n100,000-row tables ({sizes}) loaded with 3 other files in {time.perf_counter() - started:.1f} s"
    )
    assert summary.rejected == 0
    timeline = "SELECT count(*), count(occurred_at), max(seq) FROM timeline WHERE incident_id = ?"
    assert query(db, timeline, ["INC-LONG-TIMELINE"]) == [(100_000, 100_000, 100_000)]
    assert query(
        db, "SELECT event FROM timeline WHERE incident_id = 'INC-LONG-TIMELINE' AND seq = 100000"
    ) == [("Event number 99999",)]
    assert query(
        db,
        "SELECT count(*), count(DISTINCT action_id) FROM actions WHERE incident_id = 'INC-MANY-ACTIONS'",
    ) == [(100_000, 100_000)]
    # Every row whose time cannot be read is kept, and has its own warning in load_problems.
    ((rows, timed, _),) = query(db, timeline, ["INC-BAD-TIMES"])
    assert rows == 100_000
    warnings = query(
        db,
        "SELECT count(*) FROM load_problems WHERE code = 'unreadable_time' AND source_path = ?",
        [str(corpus / "bad-times.md")],
    )
    assert warnings == [(rows - timed,)] and rows - timed > 50_000
    assert query(db, "SELECT count(*) FROM incidents") == [(6,)]


def test_a_file_name_that_is_not_utf8_does_not_stop_the_load(tmp_path):
    # A bug this test keeps fixed: the load aborted with a UnicodeEncodeError.
    corpus = write_corpus(tmp_path / "pm", GOOD)
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.md"), "wb") as handle:
        handle.write(template_postmortem("INC-LATIN1-NAME").encode())
    db = tmp_path / "pm.duckdb"
    summary = ingest([corpus], db, workers=1)
    assert (summary.seen, summary.loaded, summary.rejected) == (4, 4, 0)
    recorded = f"{corpus}/caf\\xe9.md"  # the bad byte written out, so the path is valid text
    assert query(
        db, "SELECT outcome, incident_id FROM source_files WHERE source_path = ?", [recorded]
    ) == [("loaded_with_warnings", "INC-LATIN1-NAME")]
    assert query(db, "SELECT level FROM load_problems WHERE source_path = ?", [recorded]) == [
        ("warning",)
    ]
    assert query(db, "SELECT count(*) FROM incidents WHERE incident_id LIKE 'INC-2026-05-%'") == [
        (3,)
    ]
    # The escaped name is stable: the next load sees the file unchanged.
    again = ingest([corpus], db, workers=1)
    assert (again.loaded, again.unchanged) == (0, 4)


# CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: what lets root read a chmod-000 file.
_DAC_CAPABILITIES = (1, 2)
_PR_CAPBSET_DROP = 24
_NOBODY = 65534
_SKIP = 97  # exit status of a child that could not drop its rights


def _drop_file_permission_override() -> None:
    """In the child before exec: root without the right to ignore file permissions. Dropping
    the two capabilities from the bounding set keeps uid 0 but makes a chmod-000 file
    unreadable, as it is for any ordinary user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(_SKIP)


def _become_nobody() -> None:
    try:
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)
    except OSError:
        os._exit(_SKIP)


def _others_can_read(path: Path) -> bool:
    """Whether a user with no special rights (`nobody`) can reach `path` and list it."""
    try:
        folders = [path, *path.parents]
        return path.stat().st_mode & stat.S_IROTH != 0 and all(
            folder.stat().st_mode & stat.S_IXOTH for folder in folders
        )
    except OSError:
        return False


def _linked_copy(source: Path, target: Path) -> Path:
    """`source`'s tree at `target`, its files hard-linked (no data copied), readable by all."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError as exc:  # another file system: no links across it
            pytest.skip(f"{source} is out of nobody's reach and cannot be linked near it ({exc})")

    shutil.copytree(source, target, copy_function=link, symlinks=True)
    for folder, _, _ in os.walk(target):
        os.chmod(folder, 0o755)
    return target


def _loader_command_as(how: str, reachable: Path) -> tuple[list[str], object]:
    """(command prefix that runs `postmortems`, preexec_fn) for a load without root's rights.

    As `nobody` the venv's interpreter may be out of reach (under /root), so the system
    interpreter of the same version runs the CLI with the venv's packages on its path. A
    checkout or venv `nobody` cannot read (a clone under a 0700 folder) is hard-linked into
    `reachable` first."""
    if how == "root without DAC override":
        return [sys.executable, "-m", "pipeline"], _drop_file_permission_override
    system_python = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    if not os.path.exists(system_python):
        pytest.skip(f"no {system_python} to run the loader as nobody")
    code, packages = REPO_ROOT, Path(sysconfig.get_paths()["purelib"]).resolve()
    if not _others_can_read(code / "pipeline"):
        code = reachable / "code"
        _linked_copy(REPO_ROOT / "pipeline", code / "pipeline")
    if not _others_can_read(packages):
        packages = _linked_copy(packages, reachable / "site-packages")
    bootstrap = (
        f"import sys; sys.path[:0] = [{str(code)!r}, {str(packages)!r}]; "
        "sys.argv[0] = 'postmortems'; from pipeline.launch import main; main()"
    )
    return [system_python, "-c", bootstrap], _become_nobody


@pytest.fixture
def nobody_can_reach():
    """A folder under /tmp that `nobody` can enter (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="pm-robustness-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(
    os.geteuid() != 0, reason="as a normal user chmod 000 is enough; this test covers root"
)
@pytest.mark.parametrize("how", ["nobody", "root without DAC override"])
def test_a_file_the_loader_may_not_read_is_rejected_with_the_reason(nobody_can_reach, how):
    corpus = write_corpus(nobody_can_reach / "pm", GOOD)
    (corpus / "secret.md").write_text(template_postmortem("INC-SECRET"))
    (corpus / "secret.md").chmod(0o000)
    out = nobody_can_reach / "out"
    out.mkdir()
    out.chmod(0o777)  # writable whoever the load runs as
    db = out / "pm.duckdb"
    command, drop_rights = _loader_command_as(how, nobody_can_reach)
    result = subprocess.run(
        [*command, "ingest", str(corpus), "--db", str(db), "--workers", "1"],
        preexec_fn=drop_rights,
        cwd="/tmp",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(out), "COLUMNS": "1000"},
        timeout=120,
        check=False,
    )
    if result.returncode == _SKIP:
        pytest.skip(f"cannot run the load as {how} here")
    assert result.returncode == 0, result.stderr
    assert f"rejected {corpus / 'secret.md'}: cannot read file: Permission denied" in result.stderr
    assert "4 files seen: 3 loaded" in result.stdout and "1 rejected" in result.stdout
    assert query(db, "SELECT outcome FROM source_files WHERE source_path LIKE '%secret.md'") == [
        ("rejected",)
    ]
    assert query(
        db, "SELECT code, message FROM load_problems WHERE source_path LIKE '%secret.md'"
    ) == [("unreadable_file", "cannot read file: Permission denied")]
    assert query(db, "SELECT count(*) FROM incidents") == [(3,)]


def test_a_db_path_naming_another_duckdb_database_is_refused(tmp_path):
    # A bug this test keeps fixed: the other database was replaced without a word.
    corpus = write_corpus(tmp_path / "pm", GOOD)
    precious = tmp_path / "accounts.duckdb"
    con = duckdb.connect(str(precious))
    con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'Ada')")
    con.close()
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--db", str(precious)], env={"COLUMNS": "1000"}
    )
    assert query(precious, "SELECT * FROM customers") == [(1, "Ada")]
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output


def _memory_capped(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return preexec


@pytest.mark.parametrize("name", ["fifo.md", "zero.md"])
def test_lint_does_not_open_what_is_not_a_regular_file(tmp_path, name):
    # A bug this test keeps fixed: lint blocked on the FIFO and read /dev/zero for ever.
    corpus = write_corpus(tmp_path / "pm", GOOD)
    if name == "fifo.md":
        os.mkfifo(corpus / name)
    else:
        (corpus / name).symlink_to("/dev/zero")
    # A timeout (the fifo would block for ever) and 1 GB of memory (/dev/zero never ends).
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "lint", str(corpus)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        preexec_fn=_memory_capped(1024 * hostile.MB),
        timeout=8,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert f"{name}:" in result.stdout + result.stderr
    assert "not a regular file" in result.stdout + result.stderr


def test_lint_reports_every_hostile_file_and_finishes(loaded):
    corpus, _db, _summary, markers = loaded
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "lint", str(corpus)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "1000"},
        preexec_fn=_memory_capped(1024 * hostile.MB),
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # errors found, not a crash
    assert "Traceback" not in result.stderr
    findings = result.stdout.splitlines()
    for name, (outcome, _code, _words) in EXPECTED.items():
        if outcome == "rejected":
            assert [f for f in findings if f"{name}:" in f and " error " in f], name
    assert list(markers.iterdir()) == []
