"""Headings (ATX at any level, Setext, renamed, numbered, reordered), code fences, and the
ways metadata is written (bold labels with the colon in or out, bullets, one H2 per field)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.parse import parse_document
from pipeline.parse.blocks import scan_blocks
from pipeline.parse.sections import build_sections, classify_heading


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Timeline", "timeline"),
        ("Incident Timeline", "timeline"),
        ("Timeline (all times PST ) Saturday Oct 30th 2021", "timeline"),
        ("Response timeline", "timeline"),  # conda-forge's security incident report
        ("Follow-up timeline (times in BST)", "timeline"),  # not "follow up" actions
        ("Follow-up actions", "actions"),
        ("Remediation timeline", "actions"),  # when the fixes land: not the incident's rows
        ("Action item timeline", "actions"),
        ("Fix rollout timeline", None),
        ("Action items", "actions"),
        ("Corrective actions", "actions"),
        ("Corrective and Preventative Measures", "actions"),
        ("Remediation", "actions"),
        ("Issue Summary", "summary"),
        ("1. Incident Summary", "summary"),
        ("Root Cause Analysis", "root_cause"),
        ("Contributing Factors", "root_cause"),
        ("Lessons learnt", "lessons"),
        ("8. Lessons Learned", "lessons"),
        ("What went well & where did we get lucky", "went_well"),
        ("What went wrong", "could_improve"),
        ("Where we got lucky", "got_lucky"),
        ("Sign-Off", "signoff"),
        ("Some custom section", None),
    ],
)
def test_heading_synonyms(title: str, key: str | None) -> None:
    assert classify_heading(title, None)[0] == key


def test_heading_key_depends_on_parent() -> None:
    assert classify_heading("Detection", "categorized_actions")[0] == "category"
    assert classify_heading("Process", "lessons")[0] == "process_lessons"
    assert classify_heading("Process", None)[0] is None


def test_fenced_hash_lines_are_not_headings() -> None:
    text = "# Title\n\n```bash\n# Timeline\nls\n```\n\n~~~\n## Action Items\n~~~\n"
    kinds = [(b.kind, b.line) for b in scan_blocks(text)]
    assert kinds == [("heading", 1), ("code", 3), ("code", 8)]


def test_day_and_time_headings_at_the_timelines_own_level_stay_in_the_timeline() -> None:
    # 2i2c's report template: "## Timeline", then "## May 12" and one "### HH:MM" per row
    doc = parse_document(
        b"# Hub outage\n\n**Date:** 2025-05-12\n\n## Timeline\n\n_All times in UTC_\n\n"
        b"## May 12\n\n### 20:15\n\nTicket opened about slow servers\n\n"
        b"### 20:57\nFirst engineer acknowledges the issue\n\n"
        b"## May 13\n\n### 01:10\n\nServers start in under a minute again\n\n"
        b"## 01:30\n\nAll-clear posted\n\n"  # a row heading one level up, as datahub's
        b"## Action items\n\n- Add a start-time alert\n"
    )
    assert [(e.occurred_at, e.event) for e in doc.timeline] == [
        (dt.datetime(2025, 5, 12, 20, 15), "Ticket opened about slow servers"),
        (dt.datetime(2025, 5, 12, 20, 57), "First engineer acknowledges the issue"),
        (dt.datetime(2025, 5, 13, 1, 10), "Servers start in under a minute again"),
        (dt.datetime(2025, 5, 13, 1, 30), "All-clear posted"),
    ]
    assert [a.description for a in doc.actions] == ["Add a start-time alert"]


def test_setext_headings() -> None:
    text = "Big title\n=========\n\nTimeline\n--------\n\n- 10:00 alert fired\n"
    root = build_sections(scan_blocks(text))
    [top] = root.children
    assert (top.title, top.level) == ("Big title", 1)
    assert (top.children[0].key, top.children[0].level) == ("timeline", 2)


def test_any_heading_level_reordered_and_missing_sections() -> None:
    doc = parse_document(
        "# Outage\n\n**Date:** 2024-01-02\n\n#### Action items\n- Add alerts\n\n"
        "### Timeline\n- 10:00 alert fired\n- 10:30 service restored\n"
    )
    assert [a.description for a in doc.actions] == ["Add alerts"]
    assert [e.kind for e in doc.timeline] == ["alert", "restored"]
    assert doc.incident.summary is None


def test_extra_custom_sections_do_not_leak_into_known_ones() -> None:
    doc = parse_document(
        "# T\n\n## Summary\nShort.\n\n## Q&A\nWhy? Because.\n\n## Root Cause\nA bad cert.\n"
    )
    assert doc.incident.summary == "Short."
    assert doc.incident.root_cause == "A bad cert."


@pytest.mark.parametrize(
    "line",
    [
        "**Severity:** P1",
        "**Severity**: P1",
        "- **Severity:** P1",
        "- Severity: P1",
        "* Severity: P1",
        "## Severity: P1",
        "__Severity__: P1",
    ],
)
def test_metadata_label_forms(line: str) -> None:
    doc = parse_document(f"# T\n\n{line}\n")
    assert doc.incident.severity == "P1"
    assert doc.field_lines["severity"] == 3


def test_one_h2_per_field() -> None:
    doc = parse_document(
        "# Title: \n### Certificate expired\n\n## Owner: @aronasorman\n## Date: 2018-08-22\n"
    )
    assert doc.incident.title == "Certificate expired"
    assert doc.incident.authors == ["aronasorman"]
    assert doc.incident.incident_date == dt.date(2018, 8, 22)


def test_html_entities_and_escapes_in_values() -> None:
    doc = parse_document("# T\n\n**Duration:**&#x20;\\~30 hours\n")
    assert doc.incident.duration_minutes == 30 * 60


def test_section_lines_for_lint() -> None:
    doc = parse_document("# T\n\n## Timeline\n\n## Action Items\n")
    assert doc.section_lines == {"timeline": 3, "actions": 5}


def test_key_value_impact_table() -> None:
    doc = parse_document(
        "# T\n\n## Impact\n\n| Customers Impacted | Customer Data Loss | Incident Duration |\n"
        "|---|---|---|\n| 1,200 | None | 3h 45m |\n"
    )
    assert doc.incident.users_affected == 1200
    assert doc.incident.data_loss == "None"
    assert doc.incident.duration_minutes == 225


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Incident Postmortem: Disk full\n", "Disk full"),
        ("# Incident Postmortem\n\n## Summary\nx\n", None),
        ("# 2021-06-03: Database Full\n\n## Summary\nx\n", "2021-06-03: Database Full"),
        ("## Owner: @a\n## Involved:\n\n# Overview\nx\n\n# Notes to the owner\n- [x] y\n", None),
        ("# Title: \n### Buildkite builds failing\n", "Buildkite builds failing"),
        ("---\ntitle: From front matter\n---\n# Summary\nx\n", "From front matter"),
    ],
)
def test_title(text: str, title: str | None) -> None:
    assert parse_document(text).incident.title == title


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("The module __init__.py and **bold** and snake_case_name failed",
         "The module __init__.py and bold and snake_case_name failed"),
        ("window.__xss = 1", "window.__xss = 1"),
        ("an _em_ and __strong__ word", "an em and strong word"),
        ("C:\\Users\\ann and \\~30 hours", "C:\\Users\\ann and ~30 hours"),
    ],
)  # fmt: skip
def test_inline_markup_removed_but_text_kept(written: str, plain: str) -> None:
    doc = parse_document(f"# T\n\n## Summary\n\n{written}\n")
    assert doc.incident.summary == plain
