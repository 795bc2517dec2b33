"""Front matter: YAML (safe loading only, alias bombs refused) or TOML between +++ lines, and
the merge rules with the body."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.parse import parse_document


def codes(doc) -> list[str]:
    return [p.code for p in doc.problems]


def test_front_matter_fields_are_read() -> None:
    doc = parse_document(
        "---\nid: INC-7\ntitle: Cache stampede\nseverity: SEV2\nstatus: final\n"
        "date: 2024-05-01\nservices: [api, cache]\nteam: Platform\ntags: [cache]\n"
        "authors: [ann, '@ben']\nroot_cause_category: capacity\n---\n\n# Body title\n"
    )
    inc = doc.incident
    assert inc.incident_id == "INC-7"
    assert inc.title == "Cache stampede"
    assert inc.severity == "P2"
    assert inc.status == "FINAL"
    assert inc.incident_date == dt.date(2024, 5, 1)
    assert inc.services == ["api", "cache"]
    assert inc.team == "Platform"
    assert inc.tags == ["cache"]
    assert inc.authors == ["ann", "ben"]
    assert inc.root_cause_category == "capacity"
    assert "missing_id" not in codes(doc)


def test_incident_id_key_alias() -> None:
    assert parse_document("---\nincident_id: INC-9\n---\n# T\n").incident.incident_id == "INC-9"


def test_placeholder_in_body_takes_front_matter_value() -> None:
    doc = parse_document(
        "---\nseverity: P1\nstatus: DRAFT\ndate: 2024-02-03\n---\n# T\n\n"
        "**Status:** [DRAFT | FINAL]\n**Date:** YYYY-MM-DD\n- **Severity:** [P0 | P1 | P2 | P3]\n"
    )
    assert doc.incident.severity == "P1"
    assert doc.incident.status == "DRAFT"
    assert doc.incident.incident_date == dt.date(2024, 2, 3)
    assert codes(doc).count("placeholder") == 3
    assert "frontmatter_conflict" not in codes(doc)


def test_real_disagreement_keeps_body_and_warns_on_body_line() -> None:
    doc = parse_document("---\nseverity: P1\n---\n# T\n\n**Severity:** P3\n")
    assert doc.incident.severity == "P3"
    [p] = [p for p in doc.problems if p.code == "frontmatter_conflict"]
    assert p.line == 6 and p.level == "warning"


def test_python_tag_is_refused_and_nothing_runs(tmp_path) -> None:
    marker = tmp_path / "ran"
    doc = parse_document(f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n# T\n")
    assert doc.rejected
    assert codes(doc) == ["frontmatter_unsafe"]
    assert not marker.exists()


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    doc = parse_document("---\n" + "\n".join(lines) + "\n---\n# T\n")
    assert codes(doc) == ["frontmatter_too_large"]
    assert doc.rejected


def test_small_aliases_are_fine() -> None:
    doc = parse_document("---\nbase: &b [api]\nservices: *b\n---\n# T\n")
    assert doc.incident.services == ["api"]
    assert not doc.rejected


def test_oversized_front_matter_is_refused() -> None:
    doc = parse_document("---\nnote: '" + "x" * 70_000 + "'\n---\n# T\n")
    assert codes(doc) == ["frontmatter_too_large"]


def test_invalid_yaml_is_a_warning_and_the_body_still_loads() -> None:
    doc = parse_document("---\ntitle: [unclosed\n---\n# Real title\n\n**Incident ID:** INC-3\n")
    assert not doc.rejected
    assert "frontmatter_invalid" in codes(doc)
    assert doc.incident.incident_id == "INC-3"


def test_body_line_numbers_count_the_front_matter() -> None:
    doc = parse_document("---\nid: X\n---\n# T\n\n- **Severity:** P9\n")
    [p] = [p for p in doc.problems if p.code == "unknown_severity"]
    assert p.line == 6


def test_datetime_front_matter_date() -> None:
    doc = parse_document("---\nstart_time: 2007-12-05T10:00:00Z\n---\n# T\n")
    assert doc.incident.incident_date == dt.date(2007, 12, 5)


def test_impossible_date_in_front_matter_is_a_warning() -> None:
    doc = parse_document("---\ndate: 2026-02-30\n---\n# T\n\n**Incident ID:** INC-1\n")
    assert not doc.rejected
    assert "frontmatter_invalid" in codes(doc)
    assert doc.incident.incident_id == "INC-1"


def test_summary_from_front_matter_when_the_body_has_none() -> None:
    doc = parse_document("---\nsummary: >-\n  Disk filled\n  up.\n---\n# T\n\nProse.\n")
    assert doc.incident.summary == "Disk filled up."
    doc = parse_document(
        "---\nsummary: From front matter\n---\n# T\n\n## Summary\nFrom the body.\n"
    )
    assert doc.incident.summary == "From the body."


def test_case_and_order_differences_are_no_conflict() -> None:
    doc = parse_document(
        "---\nteam: payments\nservices: [edge, api]\nauthors: ['@ann']\n---\n# T\n\n"
        "**Team:** Payments\n**Services:** api, edge\n**Authors:** ann\n"
    )
    assert "frontmatter_conflict" not in codes(doc)
    assert doc.incident.team == "Payments"


def test_a_document_opening_with_a_rule_keeps_its_content() -> None:
    doc = parse_document(
        "---\n# Disk full\n\n**Severity:** P2\n\n---\n\n## Summary\nDisk filled up.\n"
    )
    assert doc.incident.title == "Disk full"
    assert doc.incident.severity == "P2"
    assert doc.incident.summary == "Disk filled up."
    assert not doc.rejected


def test_a_prose_block_between_rules_is_not_front_matter() -> None:
    doc = parse_document("---\nJust a note.\n---\n# Disk full\n")
    assert doc.incident.title == "Disk full"
    assert "frontmatter_invalid" in codes(doc)


FIXTURES = Path(__file__).parent / "fixtures" / "front_matter"


def test_front_matter_window_gives_date_and_duration() -> None:
    # The format of public postmortem collections: ISO 8601 start_time/end_time with Z.
    doc = parse_document((FIXTURES / "window_utc.md").read_bytes())
    inc = doc.incident
    assert inc.incident_date == dt.date(2023, 3, 7)
    assert (inc.duration_minutes, inc.duration_derived) == (206, "front_matter")
    assert inc.tags == ["cloud"]


def test_front_matter_window_with_zone_names_and_offsets() -> None:
    # 23:10 PDT is 06:10 UTC on Nov 3; 09:40+01:00 is 08:40 UTC: 150 minutes.
    inc = parse_document((FIXTURES / "window_offsets.md").read_bytes()).incident
    assert inc.incident_date == dt.date(2024, 11, 2)
    assert (inc.duration_minutes, inc.duration_derived) == (150, "front_matter")


@pytest.mark.parametrize(
    ("start_key", "end_key"), [("start", "end"), ("started_at", "resolved_at")]
)
def test_front_matter_window_key_pairs(start_key: str, end_key: str) -> None:
    doc = parse_document(
        f"---\n{start_key}: 2022-01-05T10:00:00Z\n{end_key}: 2022-01-05T10:45:00Z\n---\n# T\n"
    )
    assert (doc.incident.duration_minutes, doc.incident.duration_derived) == (45, "front_matter")


def test_written_duration_wins_over_front_matter_window() -> None:
    doc = parse_document(
        "---\nstart_time: 2022-01-05T10:00:00Z\nend_time: 2022-01-05T12:00:00Z\n---\n"
        "# T\n\n**Duration:** 90 minutes\n"
    )
    assert (doc.incident.duration_minutes, doc.incident.duration_derived) == (90, None)


def test_front_matter_window_ending_before_it_starts_gives_no_duration() -> None:
    doc = parse_document(
        "---\nstart_time: 2022-01-05T10:00:00Z\nend_time: 2022-01-04T12:00:00Z\n---\n# T\n"
    )
    assert doc.incident.duration_minutes is None
    assert "unreadable_duration" in codes(doc)


def test_front_matter_window_with_only_dates_gives_no_duration() -> None:
    doc = parse_document("---\nstart: 2022-01-05\nend: 2022-01-07\n---\n# T\n")
    assert doc.incident.incident_date == dt.date(2022, 1, 5)
    assert doc.incident.duration_minutes is None


def test_toml_front_matter_of_a_hugo_or_zola_post_is_read() -> None:
    # the head of a real post (rust-lang/blog.rust-lang.org, content/Update-on-crates.io-incident.md)
    doc = parse_document(
        '+++\npath = "2018/10/19/Update-on-crates.io-incident.html"\n'
        'title = "Update on the October 15, 2018 incident on crates.io"\n'
        'authors = ["The Crates.io Team"]\ndate = 2018-10-19\n+++\n\n'
        "On Monday, Oct 15, crates.io sustained an operational incident.\n\n"
        "## Timeline of events\n\n- 20:09 UTC: The GitHub user `cratesio` registers an account\n"
    )
    inc = doc.incident
    assert inc.title == "Update on the October 15, 2018 incident on crates.io"
    assert inc.authors == ["The Crates.io Team"]
    assert inc.incident_date == dt.date(2018, 10, 19)
    assert doc.timeline[0].line == 12  # lines count from the file's first, the +++ line
    assert doc.timeline[0].occurred_at == dt.datetime(2018, 10, 19, 20, 9)


def test_invalid_toml_front_matter_is_named_with_its_line_and_the_body_is_read() -> None:
    doc = parse_document('+++\ntitle = "x"\ndate = 2018-10-1x\n+++\n# Body title\n')
    [problem] = [p for p in doc.problems if p.code == "frontmatter_invalid"]
    assert problem.line == 3 and "not valid TOML" in problem.message
    assert doc.incident.title == "Body title"


def test_toml_that_nests_too_deeply_is_refused_not_crashed() -> None:
    doc = parse_document("+++\na = " + "[" * 5000 + "]" * 5000 + "\n+++\n# T\n")
    assert "frontmatter_too_large" in codes(doc)


def test_a_plus_line_without_its_closing_line_is_not_front_matter() -> None:
    doc = parse_document("+++\n\n## Summary\n\nThe cache fell over.\n")
    assert doc.incident.summary == "The cache fell over."
    assert "frontmatter_invalid" not in codes(doc)
