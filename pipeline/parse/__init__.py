"""Parse one Markdown postmortem into a `pipeline.model.ParsedDocument`.

    from pipeline.parse import parse_document
    doc = parse_document(path.read_bytes(), source_path=str(path))

Pure (no I/O) and total: it never raises. Anything unexpected becomes an error Problem
'parser_crash' naming the exception, so one odd file cannot stop a load. Problem codes are
listed in `pipeline.parse.problems.PROBLEM_CODES`.
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
