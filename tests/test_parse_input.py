"""Raw input: bytes vs text, BOM, NUL/binary, invalid UTF-8, empty files, CRLF, never raising."""

from __future__ import annotations

from pipeline.parse import PROBLEM_CODES, parse_document
from pipeline.parse.problems import ERROR_CODES

DOC = "# Disk full\n\n**Incident ID:** INC-1\n**Severity:** P2\n"


def codes(doc) -> list[str]:
    return [p.code for p in doc.problems]


def test_bytes_with_bom_parse_like_text() -> None:
    doc = parse_document(b"\xef\xbb\xbf" + DOC.encode())
    assert doc.incident.incident_id == "INC-1"
    assert doc.incident.title == "Disk full"
    assert not doc.rejected


def test_text_with_bom() -> None:
    assert parse_document("\ufeff" + DOC).incident.title == "Disk full"


def test_crlf_line_endings_keep_line_numbers() -> None:
    doc = parse_document(DOC.replace("\n", "\r\n").encode())
    assert doc.incident.severity == "P2"
    assert doc.field_lines["severity"] == 4


def test_nul_bytes_are_binary() -> None:
    doc = parse_document(b"# Title\x00\x00\x01")
    assert codes(doc) == ["binary_file"]
    assert doc.rejected


def test_mostly_control_bytes_are_binary() -> None:
    doc = parse_document(bytes(range(1, 9)) * 50)
    assert codes(doc) == ["binary_file"]


def test_invalid_utf8_is_replaced_with_a_warning_on_its_line() -> None:
    doc = parse_document(b"# Caf\xe9 outage\n\n**Incident ID:** INC-2\n")
    assert doc.incident.title == "Caf\ufffd outage"
    assert doc.incident.incident_id == "INC-2"
    [p] = [p for p in doc.problems if p.code == "invalid_utf8"]
    assert (p.level, p.line) == ("warning", 1)


def test_empty_and_whitespace_only_files_are_rejected() -> None:
    for data in (b"", b"   \n\t\n", "", "\ufeff\n"):
        doc = parse_document(data)
        assert codes(doc) == ["empty_file"], data
        assert doc.rejected


def test_no_incident_id_gives_none_and_a_warning() -> None:
    doc = parse_document("# Something broke\n\nIt broke.\n")
    assert doc.incident.incident_id is None
    [p] = [p for p in doc.problems if p.code == "missing_id"]
    assert p.level == "warning" and p.line == 1


def test_never_raises_on_unexpected_input() -> None:
    doc = parse_document(12345)  # type: ignore[arg-type]  # not text at all
    assert codes(doc) == ["parser_crash"]
    assert "AttributeError" in doc.problems[0].message or "TypeError" in doc.problems[0].message


def test_every_code_is_described_and_errors_are_known_codes() -> None:
    assert ERROR_CODES <= set(PROBLEM_CODES)
    assert all(PROBLEM_CODES[c].strip() for c in PROBLEM_CODES)


def test_utf16_with_bom_is_read_with_a_warning() -> None:
    doc = parse_document("\ufeff# Disk full\n\n**Incident ID:** INC-5\n".encode("utf-16"))
    assert doc.incident.incident_id == "INC-5"
    assert [p.code for p in doc.problems] == ["not_utf8"]


def test_incident_id_at_the_start_of_the_title() -> None:
    doc = parse_document("# INC-2024-0042: Checkout outage\n\nText.\n")
    assert doc.incident.incident_id == "INC-2024-0042"
    assert "missing_id" not in codes(doc)
