"""The scan `postmortems ingest` starts before typer parses the command line: used only when its
guess of the paths was right, and never left behind when it was not used."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import query, template_postmortem, write_corpus
from typer.main import get_command

from pipeline import early_scan
from pipeline.cli import app
from pipeline.discover import scan_postmortems


@pytest.mark.parametrize(
    ("argv", "paths"),
    [
        (["ingest", "pm"], ["pm"]),
        (["ingest", "a", "b/", "--db", "x.duckdb", "-q"], ["a", "b/"]),
        (["ingest", "--workers", "2", "--max-file-mb", "3", "a", "--full", "--strict"], ["a"]),
        (["ingest", "--db=x.duckdb", "a"], ["a"]),
        (["ingest", "a", "--", "--odd-folder-name"], ["a", "--odd-folder-name"]),
        (["ingest", "a", "--help"], None),
        (["ingest", "--db", "x.duckdb"], None),
        (["stats", "--db", "x.duckdb"], None),
        ([], None),
    ],
)
def test_the_guess_reads_paths_as_the_command_line_does(argv, paths):
    assert early_scan.guess_ingest_paths(argv) == paths


def test_the_options_taking_a_value_are_the_ingest_commands():
    command = get_command(app).commands["ingest"]  # type: ignore[attr-defined]
    taking_a_value = {
        name
        for param in command.params
        if param.param_type_name == "option" and not param.is_flag
        for name in param.opts
    }
    assert taking_a_value == early_scan.VALUE_OPTIONS


def _corpus(folder: Path) -> Path:
    return write_corpus(
        folder, {f"inc-{i}.md": template_postmortem(f"INC-2026-01-0{i}-001") for i in range(1, 4)}
    )


def test_a_scan_started_early_is_used_for_the_same_paths_only(tmp_path):
    corpus = _corpus(tmp_path / "pm")
    early_scan.start(["ingest", str(corpus) + "/"])
    scan = early_scan.claim([corpus])
    assert scan is not None
    assert scan.result() == scan_postmortems([corpus])
    assert early_scan.claim([corpus]) is None  # claimed once

    early_scan.start(["ingest", str(corpus)])
    pid = early_scan._early[1].pid
    assert early_scan.claim([corpus, tmp_path / "other"]) is None
    assert not Path(f"/proc/{pid}").exists()  # the wrong guess's child is killed and reaped


def test_an_unclaimed_early_scan_is_stopped_when_the_program_ends(tmp_path):
    corpus = _corpus(tmp_path / "pm")
    program = textwrap.dedent(
        f"""
        import os, signal
        from pipeline import early_scan
        early_scan.start(["ingest", {str(corpus)!r}])
        pid = early_scan._early[1].pid
        os.kill(pid, signal.SIGSTOP)  # stopped, it would stay forever if nobody killed it
        print(pid, flush=True)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    pid = int(done.stdout)
    try:
        assert not Path(f"/proc/{pid}").exists()
    finally:
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)


def test_the_program_loads_through_its_early_scan(tmp_path):
    corpus = _corpus(tmp_path / "pm")
    db = tmp_path / "pm.duckdb"

    def postmortems(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "ingest", str(corpus), "--db", str(db), *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    assert "3 loaded" in postmortems("--workers", "1")
    (corpus / "inc-2.md").write_text(template_postmortem("INC-2026-01-02-001", severity="P0"))
    assert "1 loaded" in postmortems("-q")
    assert query(db, "SELECT severity FROM incidents WHERE incident_id = 'INC-2026-01-02-001'") == [
        ("P0",)
    ]


def test_ctrl_c_while_the_program_imports_says_one_line(tmp_path):
    corpus = _corpus(tmp_path / "pm")
    # Ctrl-C landing while typer is imported, made certain: an import hook raises what the
    # signal handler would raise there.
    program = textwrap.dedent(
        f"""
        import sys

        class CtrlC:
            def find_spec(self, name, path=None, target=None):
                if name == "typer":
                    raise KeyboardInterrupt
                return None

        sys.meta_path.insert(0, CtrlC())
        sys.argv = ["postmortems", "ingest", {str(corpus)!r}, "--db", {str(tmp_path / "x.duckdb")!r}]
        from pipeline.launch import main
        main()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], check=False, capture_output=True, text=True
    )
    assert done.returncode == 130
    assert done.stderr == "interrupted\n"
    assert not (tmp_path / "x.duckdb").exists()
