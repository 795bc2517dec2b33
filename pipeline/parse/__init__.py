"""Parse one Markdown postmortem into a `pipeline.model.ParsedDocument`.

    from pipeline.parse import parse_document
    doc = parse_document(path.read_bytes(), source_path=str(path))

Pure (no I/O) and total: it never raises. Anything unexpected becomes an error Problem
'parser_crash' naming the exception, so one odd file cannot stop a load. Problem codes are
listed in `pipeline.parse.problems.PROBLEM_CODES`.

How it reads (one module per job):
    decode        bytes -> text: BOM, NUL/binary, invalid UTF-8, empty, CRLF
    front_matter  YAML via python-frontmatter's safe loader; alias bombs and size capped
    blocks        one-pass line scanner (headings incl. Setext, fences, tables, lists, ...)
    sections      headings -> canonical sections by a synonym table, whatever their level
    metadata      "**Label:** value", "- Label: value", "## Label: value", key/value tables
    fields        severity, status, duration, users, data loss (mapping decisions inside)
    dates         dates, clocks, zones; DD-MM vs MM-DD settled by the document
    document      the field rules in their declared order (FIELD_RULES): header_rules, body_rules
    timeline      rows from tables, bullets, per-event headings, day lines; rollover; UTC
    kinds         event wording -> kind (ordered keyword table)
    actions       action tables, bullets, categorized lists and their matching rules
    whys, learnings, checklists (detection, related, sign-offs), prose, completeness

Rules worth knowing: a template placeholder is never a value (NULL + 'placeholder'); a body
value beats the front matter (a disagreement warns 'frontmatter_conflict'); SEVn -> Pn,
Critical -> P0, Major/High -> P1, Medium -> P2, Minor/Low -> P3; Complete/Resolved -> FINAL;
due dates that are not a calendar day ("Q1 2022", "TBD") keep due_text, due_date NULL; a
missing duration is derived from the first alert to the first 'restored' event.
"""

from __future__ import annotations

from pipeline.model import Incident, ParsedDocument
from pipeline.parse.problems import ERROR_CODES, PROBLEM_CODES, ProblemLog

__all__ = ["ERROR_CODES", "PROBLEM_CODES", "parse_document"]


def parse_document(data: str | bytes, source_path: str = "<string>") -> ParsedDocument:
    """Read one postmortem (text or raw bytes); errors and warnings are in `.problems`."""
    log = ProblemLog()
    try:
        from pipeline.parse.decode import decode
        from pipeline.parse.document import parse_text

        text = decode(data, log)
        if text is None:
            return ParsedDocument(incident=Incident(), problems=log.problems)
        return parse_text(text, source_path, log)
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise
        # warnings gathered before the crash stay: they may explain it
        log.add("parser_crash", f"The parser crashed on this file: {type(exc).__name__}: {exc}")
        return ParsedDocument(incident=Incident(), problems=log.problems)
