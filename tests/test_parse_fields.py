"""Header fields as people write them: severity, status, duration, users, data loss."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_document


def field_doc(label: str, value: str):
    return parse_document(f"# T\n\n**Incident ID:** INC-1\n- **{label}:** {value}\n")


def codes(doc) -> list[str]:
    return [p.code for p in doc.problems]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("P1", "P1"), ("**P1**", "P1"), ("`P2`", "P2"), ("SEV1", "P1"), ("Sev-2", "P2"),
        ("Sev 1", "P1"), ("P0 (critical)", "P0"), ("Critical", "P0"), ("**Critical** - all down", "P0"),
        ("Major (High Impact, Service Degradation)", "P1"), ("High", "P1"), ("Medium", "P2"),
        ("Low", "P3"), ("Minor", "P3"), ("SEV-1 and SEV-2", "P1"),
    ],
)  # fmt: skip
def test_severity(written: str, expected: str) -> None:
    doc = field_doc("Severity", written)
    assert doc.incident.severity == expected
    assert "unknown_severity" not in codes(doc)


@pytest.mark.parametrize("written", ["Bad", "P7", "None critical"])
def test_unknown_severity_is_null_with_warning(written: str) -> None:
    doc = field_doc("Severity", written)
    assert doc.incident.severity is None
    [p] = [p for p in doc.problems if p.code == "unknown_severity"]
    assert p.line == 4


@pytest.mark.parametrize(
    ("written", "expected"),
    [("Final", "FINAL"), ("FINAL (reviewed 2024-03-01)", "FINAL"), ("Draft", "DRAFT"),
     ("Complete, action items in progress", "FINAL"), ("Resolved", "FINAL"),
     ("In progress", "DRAFT")],
)  # fmt: skip
def test_status(written: str, expected: str) -> None:
    assert field_doc("Status", written).incident.status == expected


def test_unknown_status() -> None:
    doc = field_doc("Status", "Pineapple")
    assert doc.incident.status is None
    assert "unknown_status" in codes(doc)


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("4 hours 17 minutes", 257), ("2h 45m", 165), ("approx. 6 hours", 360), ("35 min", 35),
     ("1 day 3 hours", 1620), ("~24h40m", 1480), ("15h", 900), ("3h 45m", 225),
     ("5 hours 26 minutes (10:45 - 16:11 UTC)", 326), ("1 hour and 48 minutes", 108)],
)  # fmt: skip
def test_duration(written: str, minutes: int) -> None:
    doc = field_doc("Duration", written)
    assert doc.incident.duration_minutes == minutes
    assert doc.incident.duration_derived is None


def test_unreadable_duration() -> None:
    doc = field_doc("Duration", "a while")
    assert doc.incident.duration_minutes is None
    assert "unreadable_duration" in codes(doc)


@pytest.mark.parametrize(
    ("written", "users", "pct"),
    [("~1.2M users / 15% of traffic", 1_200_000, 15.0), ("3,000,000 users", 3_000_000, None),
     ("about 400 customers", 400, None), ("unknown", None, None), ("12k users", 12_000, None),
     ("40% of traffic", None, 40.0)],
)  # fmt: skip
def test_users_affected(written: str, users: int | None, pct: float | None) -> None:
    doc = field_doc("Users Affected", written)
    assert (doc.incident.users_affected, doc.incident.traffic_pct) == (users, pct)
    assert "unreadable_users" not in codes(doc)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("None", "None"), ("Partial", "Partial"), ("Complete", "Complete"),
     ("Partial - some uploads lost", "Partial")],
)  # fmt: skip
def test_data_loss(written: str, expected: str) -> None:
    assert field_doc("Data Loss", written).incident.data_loss == expected


def test_unknown_data_loss() -> None:
    doc = field_doc("Data Loss", "maybe")
    assert doc.incident.data_loss is None
    assert "unknown_data_loss" in codes(doc)


@pytest.mark.parametrize(
    ("label", "placeholder"),
    [("Severity", "[P0 | P1 | P2 | P3]"), ("Status", "[DRAFT | FINAL]"),
     ("Duration", "X hours Y minutes"), ("Users Affected", "N users / X% of traffic"),
     ("Date", "YYYY-MM-DD"), ("Data Loss", "[None | Partial | Complete]")],
)  # fmt: skip
def test_placeholders_are_null_with_a_warning(label: str, placeholder: str) -> None:
    doc = field_doc(label, placeholder)
    inc = doc.incident
    assert (inc.severity, inc.status, inc.duration_minutes, inc.users_affected, inc.traffic_pct,
            inc.incident_date, inc.data_loss) == (None,) * 7  # fmt: skip
    [p] = [p for p in doc.problems if p.code == "placeholder"]
    assert p.line == 4


def test_placeholder_incident_id() -> None:
    doc = parse_document("# T\n\n**Incident ID:** INC-YYYY-MM-DD-###\n")
    assert doc.incident.incident_id is None
    assert {"placeholder", "missing_id"} <= set(codes(doc))


def test_authors_handles_and_lists() -> None:
    doc = parse_document("# T\n\n**Author(s):** Alice Martin, @bob and Carol\n")
    assert doc.incident.authors == ["Alice Martin", "bob", "Carol"]


def test_dates_in_several_formats() -> None:
    import datetime as dt

    for written, expected in [("2021-11-30", dt.date(2021, 11, 30)), ("Nov 30, 2021", dt.date(2021, 11, 30)),
                              ("7th September, 2022.", dt.date(2022, 9, 7)),
                              ("Wednesday 20th September 2023, 14:32 UTC", dt.date(2023, 9, 20)),
                              ("03/10/2021 (and 29/09/2021)", dt.date(2021, 10, 3)),
                              ("2025-Feb-07", dt.date(2025, 2, 7))]:  # fmt: skip
        assert field_doc("Date", written).incident.incident_date == expected, written


def test_authors_partly_left_as_placeholder() -> None:
    doc = parse_document("# T\n\n**Authors**: ocervello, <add name here>\n")
    assert doc.incident.authors == ["ocervello"]
    assert [p.line for p in doc.problems if p.code == "placeholder"] == [3]


def test_authors_as_space_separated_handles() -> None:
    doc = parse_document("# T\n\n- Authors: @fastfadingviolets @dasanchez\n")
    assert doc.incident.authors == ["fastfadingviolets", "dasanchez"]


def test_authors_as_reference_links() -> None:
    doc = parse_document("# T\n\nCreated By: [Katharine Berry]  \nLast Modified: 2019-02-05\n")
    assert doc.incident.authors == ["Katharine Berry"]
    assert str(doc.incident.last_updated) == "2019-02-05"


@pytest.mark.parametrize(("written", "minutes"), [("1h30", 90), ("1:30", 90), ("0h 37m", 37)])
def test_duration_short_forms(written: str, minutes: int) -> None:
    assert field_doc("Duration", written).incident.duration_minutes == minutes


@pytest.mark.parametrize(("written", "expected"), [("2", "P2"), ("S1", "P1"), ("**0**", "P0")])
def test_bare_severity_levels(written: str, expected: str) -> None:
    assert field_doc("Severity", written).incident.severity == expected


def test_data_loss_yes_is_not_a_guess() -> None:
    doc = field_doc("Data Loss", "Yes")
    assert doc.incident.data_loss is None
    assert "unknown_data_loss" in codes(doc)


@pytest.mark.parametrize(
    "stray", ["Date:", "Incident:", "Severity:", "Severity: see below", "Status:"]
)
def test_an_empty_or_unreadable_label_does_not_hide_the_real_one(stray: str) -> None:
    doc = parse_document(
        f"# Incident Postmortem: Checkout API returned 503s\n{stray}\n\n"
        "**Incident ID:** INC-2026-03-14-001\n**Status:** FINAL\n**Date:** 2026-03-14\n"
        "- **Severity:** P1\n"
    )
    inc = doc.incident
    assert (inc.incident_id, inc.status, str(inc.incident_date), inc.severity) == (
        "INC-2026-03-14-001", "FINAL", "2026-03-14", "P1"
    )  # fmt: skip


def test_a_name_is_not_an_incident_id() -> None:
    doc = parse_document("# T\n\nIncident: checkout outage\n")
    assert doc.incident.incident_id is None


def test_a_table_cells_line_breaks_are_spaces() -> None:
    from pipeline.parse.text import clean_inline

    assert clean_inline("RUST-MAIN<br>RUST-STABLE<br/>STDARCH <BR /> done") == (
        "RUST-MAIN RUST-STABLE STDARCH done"
    )
