"""What lint reports: a `Finding` per problem, and the table of codes lint adds to the parser's.

A finding's code is either one of the parser's problem codes (`pipeline.parse.problems`, passed
through so lint and ingest name a problem the same way) or one of `LINT_CODES` below, checks only
lint makes. Codes are a stable contract (CI configs and editors match on them): add, never rename.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"

LINT_CODES: dict[str, str] = {
    "not_found": "A path given on the command line does not exist or cannot be read.",
    "unreadable_file": "The file could not be read: permissions, a dangling link, or not a regular file (a FIFO, a device), which is never opened.",
    "too_large": "The file is over the size limit ingest applies (10 MB); not read.",
    "missing_date": "No readable incident date.",
    "missing_severity": "No severity (P0..P3).",
    "missing_status": "No document status (DRAFT or FINAL).",
    "no_timeline": "The postmortem has no timeline with a readable time.",
    "no_restored_event": "No timed row was read as 'restored' (tag it [restored]), so time to restore is unknown.",
    "timeline_backwards": "An undated timeline time is earlier than the one before it (a likely typo).",
    "action_no_owner": "An open action item has no owner.",
    "action_no_due_date": "An open action item has no calendar due date.",
    "action_overdue": "An open action item is past its due date (only with --as-of).",
    "root_cause_not_in_whys": "The 5 Whys are empty, or none of them is marked as the root cause.",
    "no_detection_method": "No detection method is ticked.",
    "blame_language": "The root cause or the whys blame a person rather than the system.",
    "corrections_invalid": "An entry of the reviewers' causes.yml cannot be applied (not YAML, an unknown key, a wrong shape); ingest would skip it.",
}


@dataclass(slots=True, frozen=True)
class Finding:
    path: str
    line: int
    """1-based; findings about the whole file point at line 1."""
    level: str
    """'error' (lint exits 1) or 'warning'."""
    code: str
    message: str

    def as_text(self) -> str:
        """The `file:line: level code message` line editors and CI annotations read."""
        return f"{self.path}:{self.line}: {self.level} {self.code} {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)
