"""postmortems lint: one fixture per finding (code, level and the line it points at), the
DRAFT/FINAL levels, exit codes and the JSON format. Fixtures are in tests/fixtures/lint/; each is
the clean template document with one thing changed, so each finding is checked in isolation.

The expected line is found in the fixture by the text the finding is about, independently of
the parser (which finds it by its own rules)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT

from pipeline.lint import LINT_CODES, lint_document, lint_paths
from pipeline.lint.blame import find_blame
from pipeline.parse.problems import PROBLEM_CODES

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
POSTMORTEMS = [sys.executable, "-m", "pipeline"]


def line_of(name: str, text: str) -> int:
    """1-based line of the only line of fixture `name` that contains `text`."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    hits = [n for n, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, f"{text!r} is on lines {hits} of {name}, expected exactly one"
    return hits[0]


def findings(name: str, as_of: date | None = None) -> list[tuple[int, str, str]]:
    data = (FIXTURES / name).read_bytes()
    return [(f.line, f.level, f.code) for f in lint_document(data, name, as_of=as_of)]


def test_the_clean_fixture_has_no_findings():
    assert findings("clean.md") == []


# (fixture, text on the line the finding points at (None: the whole file, line 1), level, code)
ONE_FINDING = [
    ("placeholder_final.md", "**Severity:** [P0 | P1 | P2 | P3]", "error", "placeholder"),
    ("placeholder_draft.md", "**Severity:** [P0 | P1 | P2 | P3]", "warning", "placeholder"),
    ("missing_id.md", None, "error", "missing_id"),
    ("missing_severity.md", None, "error", "missing_severity"),
    ("missing_status.md", None, "error", "missing_status"),
    ("unknown_severity.md", "**Severity:** P5", "error", "unknown_severity"),
    ("unknown_status.md", "**Status:** Archived", "error", "unknown_status"),
    ("timeline_backwards.md", "| 14:15 | Mitigation applied |", "error", "timeline_backwards"),
    ("no_timeline.md", "## Incident Timeline", "error", "no_timeline"),
    ("no_restored_event.md", "## Incident Timeline", "error", "no_restored_event"),
    (
        "action_no_owner.md",
        "| Alert 14 days before certificate expiry |  |",
        "error",
        "action_no_owner",
    ),
    ("action_no_due_date.md", "| bob | TBD |", "error", "action_no_due_date"),
    ("root_cause_not_in_whys.md", "### Why Did It Happen?", "error", "root_cause_not_in_whys"),
    ("root_cause_unmarked.md", "5. **Why?**", "warning", "root_cause_not_in_whys"),
    ("frontmatter_conflict.md", "**Severity:** P1", "error", "frontmatter_conflict"),
    ("no_detection_method.md", "- [ ] Automated monitoring", "error", "no_detection_method"),
]


@pytest.mark.parametrize(
    ("name", "text", "level", "code"), ONE_FINDING, ids=[c[0] for c in ONE_FINDING]
)
def test_each_fixture_gives_its_finding_on_its_line(name, text, level, code):
    line = 1 if text is None else line_of(name, text)
    assert findings(name) == [(line, level, code)]


def test_missing_date_is_an_error_on_line_1():
    # Without a date the undated timeline times cannot be placed either; those follow from it.
    got = findings("missing_date.md")
    assert (1, "error", "missing_date") in got
    assert {code for _, _, code in got} <= {"missing_date", "no_timeline", "undated_time"}


def test_a_date_guessed_from_the_file_name_is_still_missing_from_the_document(tmp_path):
    # The parser takes the date from a dated file name (so ingest can place the incident), but
    # the postmortem itself still lacks the field.
    path = tmp_path / "2026-03-14-checkout.md"
    path.write_bytes((FIXTURES / "missing_date.md").read_bytes())
    got = [(f.line, f.level, f.code) for f in lint_document(path.read_bytes(), str(path))]
    assert got == [(1, "error", "missing_date")]


def test_a_time_crossing_midnight_is_not_backwards():
    # 23:45 then 00:10: the parser reads it as the next day, so lint does too.
    text = (FIXTURES / "timeline_midnight.md").read_text()
    assert "| 23:45 | Incident acknowledged |\n| 00:10 |" in text
    assert findings("timeline_midnight.md") == []


def test_overdue_actions_only_with_as_of():
    line = line_of(
        "action_overdue.md", "| Alert 14 days before certificate expiry | bob | 2026-05-01 |"
    )
    assert findings("action_overdue.md") == []
    # due 2026-05-01, still TODO: overdue from the day after; due on the day itself is not
    assert findings("action_overdue.md", as_of=date(2026, 5, 1)) == []
    assert findings("action_overdue.md", as_of=date(2026, 5, 2)) == [
        (line, "warning", "action_overdue")
    ]
    # the DONE action 1 (due 2026-04-01) is never overdue
    assert all(
        code != "action_overdue" or ln == line
        for ln, _, code in findings("action_overdue.md", as_of=date(2027, 1, 1))
    )


def test_blame_language_in_whys_and_root_cause_is_a_warning_with_advice():
    got = lint_document((FIXTURES / "blame_language.md").read_bytes(), "b.md")
    blame = [f for f in got if f.code == "blame_language"]
    assert {(f.line, f.level) for f in blame} == {
        (line_of("blame_language.md", "Bob forgot to renew it: human error."), "warning"),
        (line_of("blame_language.md", "the on-call engineer failed to check"), "warning"),
    }
    phrases = " ".join(f.message for f in blame)
    assert "'human error'" in phrases and "'Bob forgot'" in phrases
    assert "'the on-call engineer failed to'" in phrases
    assert all("system" in f.message or "guard" in f.message for f in blame)
    assert [f for f in got if f.code != "blame_language"] == []


def test_systemic_wording_is_not_blame():
    # "The renewal job failed to run" names a system; "Alice restored" names a person doing
    # the fix, not causing the incident.
    assert findings("blame_free.md") == []


def test_a_draft_gets_warnings_for_what_is_unfilled():
    got = findings("draft_unfilled.md")
    assert got == [
        (line_of("draft_unfilled.md", "## Incident Timeline"), "warning", "no_timeline"),
        (
            line_of("draft_unfilled.md", "| Alert 14 days before certificate expiry |  |"),
            "warning",
            "action_no_owner",
        ),
    ]


def test_the_template_itself_fails_with_placeholder_errors():
    template = Path(__file__).resolve().parents[2] / "shared" / "TEMPLATE.md"
    if not template.is_file():
        pytest.skip(f"template not found at {template}")
    got = lint_document(template.read_bytes(), "TEMPLATE.md")
    text = template.read_text().split("\n")
    severity_line = next(n for n, line in enumerate(text, 1) if line.startswith("- **Severity:**"))
    assert (severity_line, "error", "placeholder") in [(f.line, f.level, f.code) for f in got]


def test_every_code_is_documented():
    got = {
        f.code
        for name in os.listdir(FIXTURES)
        for f in lint_document((FIXTURES / name).read_bytes(), name, as_of=date(2030, 1, 1))
    }
    assert got <= set(LINT_CODES) | set(PROBLEM_CODES)
    assert not set(LINT_CODES) & set(PROBLEM_CODES), "a lint code must not shadow a parser code"


def test_lint_never_crashes_on_the_wild_corpus(wild_corpus):
    run = lint_paths([wild_corpus])
    assert run.files >= 50
    assert all(f.line >= 1 and f.level in ("error", "warning") for f in run.findings)
    assert not [f for f in run.findings if f.code == "parser_crash"]


# ---------------------------------------------------------------------------------------------
# The command


def run_lint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*POSTMORTEMS, "lint", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_exit_0_when_clean_or_only_warnings():
    clean = run_lint(str(FIXTURES / "clean.md"))
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == ""
    warned = run_lint(str(FIXTURES / "placeholder_draft.md"))
    assert warned.returncode == 0
    assert "warning placeholder" in warned.stdout


def test_exit_1_on_any_error_and_text_lines_editors_read():
    result = run_lint(str(FIXTURES / "clean.md"), str(FIXTURES / "unknown_severity.md"))
    assert result.returncode == 1
    line = line_of("unknown_severity.md", "**Severity:** P5")
    path = os.path.relpath(FIXTURES / "unknown_severity.md")
    assert result.stdout.splitlines() == [
        f"{path}:{line}: error unknown_severity The severity 'P5' could not be read; left NULL."
    ]
    assert "2 files checked: 1 error, 0 warnings" in result.stderr


def test_folders_are_walked_and_paths_shown_relative(tmp_path):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "a.md").write_bytes((FIXTURES / "missing_status.md").read_bytes())
    (folder / "notes.txt").write_text("not a postmortem")
    result = run_lint("postmortems", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        os.path.join("postmortems", "a.md") + ":1: error missing_status "
    )


def test_json_format():
    result = run_lint(
        "--format",
        "json",
        "--as-of",
        "2026-06-01",
        str(FIXTURES / "action_no_due_date.md"),
        str(FIXTURES / "clean.md"),
    )
    assert result.returncode == 1
    out = json.loads(result.stdout)
    line = line_of("action_no_due_date.md", "| bob | TBD |")
    overdue = line_of("clean.md", "| bob | 2026-05-01 |")
    assert out["files"] == 2 and out["errors"] == 1 and out["warnings"] == 1
    assert [(f["path"], f["line"], f["level"], f["code"]) for f in out["findings"]] == [
        (os.path.relpath(FIXTURES / "action_no_due_date.md"), line, "error", "action_no_due_date"),
        (os.path.relpath(FIXTURES / "clean.md"), overdue, "warning", "action_overdue"),
    ]
    assert "'TBD' is not a date" in out["findings"][0]["message"]


def test_a_missing_path_is_an_error_and_a_bad_option_exit_2(tmp_path):
    missing = run_lint(str(tmp_path / "nope.md"))
    assert missing.returncode == 1
    assert missing.stdout.startswith(f"{tmp_path / 'nope.md'}:1: error not_found ")
    bad = run_lint("--as-of", "30/09/2026", str(FIXTURES / "clean.md"))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "error: --as-of '30/09/2026' is not a date; expected YYYY-MM-DD, e.g. 2026-07-01"
    ]
    assert "Traceback" not in bad.stderr


# ---------------------------------------------------------------------------------------------
# pre-commit hook and documentation


def test_pre_commit_hook_runs_lint_on_markdown_files():
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "postmortem-lint")
    assert hook["entry"] == "postmortems lint"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("postmortems/2026-07-02.md") and files.search("pm/a.markdown")
    assert not files.search("README.txt") and not files.search("a.md.bak")
    assert files.search("postmortems/causes.yml") and not files.search("ci/config.yml")


def test_pre_commit_style_call_with_file_names_exits_on_errors_only():
    # pre-commit calls `entry [args] file1 file2 ...`: warnings pass, errors block.
    ok = run_lint(str(FIXTURES / "clean.md"), str(FIXTURES / "root_cause_unmarked.md"))
    assert ok.returncode == 0
    blocked = run_lint(str(FIXTURES / "clean.md"), str(FIXTURES / "missing_severity.md"))
    assert blocked.returncode == 1


def test_every_lint_code_is_documented():
    docs = (REPO_ROOT / "docs" / "lint-and-ci.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)` \|", docs, re.MULTILINE))
    assert documented >= set(LINT_CODES)
    assert documented <= set(LINT_CODES) | set(PROBLEM_CODES)


@pytest.mark.parametrize(
    ("content", "line", "code"),
    [
        (b"", 1, "empty_file"),
        (b"# Postmortem\x00\x01", 1, "binary_file"),
        (b"---\nx: !!python/object/apply:os.system ['true']\n---\n# Hi\n", 2, "frontmatter_unsafe"),
    ],
    ids=["empty", "binary", "unsafe-yaml"],
)
def test_files_ingest_would_reject_are_errors(tmp_path, content, line, code):
    path = tmp_path / "pm.md"
    path.write_bytes(content)
    got = [(f.line, f.level, f.code) for f in lint_document(path.read_bytes(), str(path))]
    assert got == [(line, "error", code)]


@pytest.mark.parametrize(
    "text",
    [
        "Human error during a manual failover.",
        "The operator was careless with the flag.",
        "Someone should have known the disk was nearly full.",
        "The on-call engineer failed to check the dashboard.",
        "because Bob ran the migration on the primary",
        "It was Priya's mistake.",
        "because @jdoe pushed straight to main",
        "Carol forgot to renew the certificate.",  # Carol is named in the document
    ],
)
def test_blame_wording_is_found(text):
    assert find_blame(text, people=["Carol Example"])


@pytest.mark.parametrize(
    "text",
    [
        "The deploy failed to roll back because the health check timed out.",
        "Redis ran out of memory because Kafka consumers lagged.",
        "Alice restored the service from the runbook.",
        "We first blamed the CDN, but the origin was returning 503s.",
        "The runbook did not cover a full disk; no alert fired before 95%.",
    ],
)
def test_systemic_sentences_are_not_blame(text):
    assert find_blame(text, people=["Alice Example"]) == []


def test_a_restored_tag_satisfies_the_restore_check():
    # The convention lint suggests: the author states the milestone, and it always counts.
    source = (FIXTURES / "no_restored_event.md").read_text(encoding="utf-8")
    codes = {f.code for f in lint_document(source, "no_restored_event.md")}
    assert "no_restored_event" in codes
    tagged = source.replace("| 14:50 | Mitigation applied |", "| 14:50 | [restored] flags back |")
    codes = {f.code for f in lint_document(tagged, "no_restored_event.md")}
    assert "no_restored_event" not in codes


def test_the_reviewers_causes_yml_is_checked_with_its_lines(tmp_path):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "clean.md").write_bytes((FIXTURES / "clean.md").read_bytes())
    (folder / "causes.yml").write_text(
        "pin:\n  INC-2026-01-01-001: dns\nsplitt:\n  - INC-2026-01-02-001\n", encoding="utf-8"
    )
    result = run_lint(str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        (
            "postmortems/causes.yml:3: error corrections_invalid unknown section 'splitt'; "
            "the sections are pin, split, merge, rename"
        )
    ]
    assert "2 files checked: 1 error, 0 warnings" in result.stderr
    # Named on its own (as pre-commit does for a changed file) it is read as corrections,
    # not as a postmortem missing its date and severity.
    named = run_lint("postmortems/causes.yml", cwd=tmp_path)
    assert [line.split()[2] for line in named.stdout.splitlines()] == ["corrections_invalid"]
    (folder / "causes.yml").write_text("pin:\n  INC-2026-01-01-001: dns\n", encoding="utf-8")
    assert run_lint(str(folder), cwd=tmp_path).returncode == 0
