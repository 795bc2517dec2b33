"""5 Whys and the root cause, detection checkboxes, learnings, related incidents, sign-offs,
prose sections and completeness."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.parse import parse_document
from pipeline.parse.completeness import MAIN_SECTIONS, filled_sections


def doc_of(body: str):
    return parse_document("# T\n\n**Incident ID:** INC-1\n\n" + body)


def test_whys_with_marked_root_cause() -> None:
    doc = doc_of(
        "## Why Did It Happen?\n*5 Whys Analysis*\n\n1. **Why?** Disk filled up.\n"
        "2. **Why?** (Root Cause) Logs were never rotated.\n3. **Why?** Nobody owned logrotate.\n"
    )
    assert [(w.level, w.text, w.is_root_cause) for w in doc.whys] == [
        (1, "Disk filled up.", False),
        (2, "Logs were never rotated.", True),
        (3, "Nobody owned logrotate.", False),
    ]
    assert doc.incident.root_cause == "Logs were never rotated."


def test_root_cause_falls_back_to_last_why_then_prose() -> None:
    doc = doc_of("## 5 Whys\n1. **Why?** A\n2. **Why?** B\n3. **Why?** \n")
    assert doc.incident.root_cause == "B"
    assert [p.code for p in doc.problems].count("placeholder") == 1
    doc = doc_of("## Root Causes\nAn expired certificate on the webhook.\n")
    assert doc.incident.root_cause == "An expired certificate on the webhook."
    assert doc.whys == []


def test_root_cause_label_paragraph() -> None:
    doc = doc_of("**Root Causes**: Cascading failure after a driver change.\n")
    assert doc.incident.root_cause == "Cascading failure after a driver change."


@pytest.mark.parametrize(
    ("boxes", "methods"),
    [
        ("- [x] Automated monitoring\n- [ ] Customer report\n", ["automated_monitoring"]),
        ("- [X] Customer report\n- [x] Internal user\n", ["customer_report", "internal_user"]),
        ("- ✅ Automated test\n- [ ] Internal user\n", ["automated_test"]),
        ("- [✅] Internal user\n", ["internal_user"]),
        ("- [x] Other: a partner emailed us\n", ["other"]),
    ],
)
def test_detection_checkboxes(boxes: str, methods: list[str]) -> None:
    assert doc_of("## Detection\n\n### How Was It Detected?\n" + boxes).detection_methods == methods


def test_no_box_ticked() -> None:
    doc = doc_of("### How Was It Detected?\n- [ ] Automated monitoring\n- [ ] Customer report\n")
    assert doc.detection_methods == []
    assert [p.line for p in doc.problems if p.code == "placeholder"] == [6]


def test_learnings_of_every_kind() -> None:
    doc = doc_of(
        "## Response\n### What Went Well\n1. Paging worked.\n2. \n### What Could Be Improved\n"
        "- Runbooks.\n### Where We Got Lucky\n1. Low traffic.\n\n## Lessons Learned\n"
        "### Technical Lessons\n1. Rotate logs.\n### Process Lessons\n1. Review configs.\n"
        "### Cultural Lessons\n1. Ask early.\n"
    )
    assert [(x.kind, x.seq, x.text) for x in doc.learnings] == [
        ("went_well", 1, "Paging worked."),
        ("could_improve", 1, "Runbooks."),
        ("got_lucky", 1, "Low traffic."),
        ("technical", 1, "Rotate logs."),
        ("process", 1, "Review configs."),
        ("cultural", 1, "Ask early."),
    ]


def test_emoji_and_plain_label_lessons() -> None:
    doc = doc_of(
        "## Lessons learnt\n\n- ✅ Alerts fired fast\n- ❌ No runbook\n- Keep backups warm\n\n"
        "What Went Well:\n- Team responded\n\nWhat Went Wrong:\n- Slow rollback\n"
    )
    assert [(x.kind, x.text) for x in doc.learnings] == [
        ("went_well", "Alerts fired fast"),
        ("could_improve", "No runbook"),
        ("other", "Keep backups warm"),
        ("went_well", "Team responded"),
        ("could_improve", "Slow rollback"),
    ]


def test_heading_with_inline_value() -> None:
    doc = doc_of("### Where we got lucky: We didn't, really.\n")
    assert [(x.kind, x.text) for x in doc.learnings] == [("got_lucky", "We didn't, really.")]


def test_related_incidents() -> None:
    doc = doc_of(
        "## Related Incidents\n\n- INC-2024-01-02-001 (same disk)\n"
        "- https://status.example.com/incidents/42\n- *Link to related incidents if any*\n"
    )
    assert [(r.reference, r.line) for r in doc.related_incidents] == [
        ("INC-2024-01-02-001", 7),
        ("https://status.example.com/incidents/42", 8),
    ]


def test_signoffs() -> None:
    doc = doc_of(
        "## Sign-Off\n\n| Role | Name | Date | Approved |\n|---|---|---|---|\n"
        "| Author | Ann | 2024-03-20 | [x] |\n| Reviewer | Ben | | [ ] |\n| Lead | | | [ ] |\n"
    )
    assert [(s.role, s.name, s.signed_on, s.approved) for s in doc.signoffs] == [
        ("Author", "Ann", dt.date(2024, 3, 20), True),
        ("Reviewer", "Ben", None, False),
    ]


def test_prose_placeholders_are_null_with_warning() -> None:
    doc = doc_of(
        "## Executive Summary\n\n*A brief (2-3 sentence) summary of the incident.*\n\n"
        "### Business Impact\n- *Describe any business/financial impact*\n"
    )
    assert doc.incident.summary is None
    assert doc.incident.business_impact is None
    assert [p.line for p in doc.problems if p.code == "placeholder"] == [7, 10]


def test_completeness_counts_real_sections() -> None:
    doc = doc_of("## Summary\nDisk full.\n\n## Timeline\n- 2024-01-01 10:00 alert fired\n")
    filled = filled_sections(doc)
    assert set(filled) == set(MAIN_SECTIONS)
    assert [k for k, v in filled.items() if v] == ["summary", "timeline"]
    assert doc.incident.completeness == 0.2


def test_template_footer_after_a_rule_is_not_a_related_incident() -> None:
    doc = doc_of(
        "## Related Incidents\n\n- None\n\n---\n\n*Template Version: 1.0.0 | Last Updated: 2026-01-13*\n"
    )
    assert doc.related_incidents == []


def test_one_word_label_inside_an_item_does_not_switch_the_kind() -> None:
    doc = doc_of(
        "## What didn’t go well\n\n- Process: no standard update process\n- System: no auth\n"
    )
    assert [(x.kind, x.text) for x in doc.learnings] == [
        ("could_improve", "Process: no standard update process"),
        ("could_improve", "System: no auth"),
    ]


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ("1. **Why?** Disk full.", "Disk full."),
        ("1. Why? Disk full.", "Disk full."),
        ("1. **Why**: Disk full.", "Disk full."),
        ("1. Why 1: Disk full.", "Disk full."),
        (
            "1. Why did the API fail? Because the disk was full.",
            "Why did the API fail? Because the disk was full.",
        ),
    ],
)
def test_why_markers_are_stripped_but_questions_kept(item: str, text: str) -> None:
    assert [w.text for w in doc_of(f"## 5 Whys\n{item}\n").whys] == [text]


def test_every_learning_kind_is_a_model_kind() -> None:
    from pipeline.model import LEARNING_KINDS
    from pipeline.parse.learnings import KEY_TO_KIND

    assert set(KEY_TO_KIND.values()) <= set(LEARNING_KINDS)


def test_root_cause_falls_back_to_what_happened_under_root_cause() -> None:
    doc = doc_of("## Root Cause\n\n### What Happened?\nA zero rate limit was pushed.\n")
    assert doc.incident.root_cause == "A zero rate limit was pushed."
    doc = doc_of("## What happened\nWe pushed a config.\n")
    assert doc.incident.root_cause is None
