"""`postmortems generate` writes the corpus the Python API describes, reproducibly."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from devtools.generate import generate_corpus
from pipeline.cli import app

ARGS = ["--count", "25", "--seed", "3", "--start", "2025-01-01", "--end", "2026-11-27"]


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def test_generate_writes_the_documents_of_the_api(tmp_path):
    result = CliRunner().invoke(app, ["generate", "--out", str(tmp_path / "c"), *ARGS])
    assert result.exit_code == 0, result.output
    assert "wrote 25 postmortems" in result.output
    expected = {
        d.filename: d.data for d in generate_corpus(25, 3, date(2025, 1, 1), date(2026, 11, 27))
    }
    assert _files(tmp_path / "c") == expected


def test_same_arguments_rewrite_identical_bytes(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["generate", "--out", str(tmp_path / "a"), *ARGS]).exit_code == 0
    assert runner.invoke(app, ["generate", "--out", str(tmp_path / "b"), *ARGS]).exit_code == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert len(_files(tmp_path / "a")) == 25


def test_truth_file_has_one_line_per_document(tmp_path):
    truth = tmp_path / "truth.jsonl"
    result = CliRunner().invoke(
        app, ["generate", "--out", str(tmp_path / "c"), *ARGS, "--truth", str(truth)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in truth.read_text().splitlines()]
    assert sorted(r["filename"] for r in records) == sorted(_files(tmp_path / "c"))
    assert all(r["theme"] and r["severity"] in ("P0", "P1", "P2", "P3", None) for r in records)


def test_a_bad_date_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(
        app, ["generate", "--out", str(tmp_path / "c"), "--count", "3", "--start", "2026-13-01"]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: --start '2026-13-01' is not a date like 2026-11-27"
    ]
    assert not (tmp_path / "c").exists()


def test_start_after_end_is_refused(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--out",
            str(tmp_path / "c"),
            "--count",
            "3",
            "--start",
            "2026-02-01",
            "--end",
            "2026-01-01",
        ],
    )
    assert result.exit_code == 2
    assert "after --end" in result.output


def test_help_ends_with_an_example():
    result = CliRunner().invoke(app, ["generate", "--help"])
    assert result.exit_code == 0
    assert "Example: postmortems generate --out" in result.output
