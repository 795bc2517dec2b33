"""Every problem code the parser can report, in one place.

The README lists these and the linter reuses them, so a code is a stable contract: add new
codes here, never rename one. `ERROR_CODES` are the codes that reject a file (level 'error');
every other code is a warning, reported with the 1-based line it concerns.
"""

from __future__ import annotations

from pipeline.model import Problem

PROBLEM_CODES: dict[str, str] = {
    # errors: the file is not loaded
    "parser_crash": "The parser hit an unexpected exception; the message names it.",
    "binary_file": "The file holds NUL bytes or is mostly not text.",
    "empty_file": "The file is empty or only whitespace.",
    "frontmatter_unsafe": "The YAML front matter uses a tag safe loading refuses (e.g. !!python/object).",
    "frontmatter_too_large": "The YAML front matter is too big or its aliases expand past the limit.",
    # warnings: the file is loaded, the field concerned is NULL or doubtful
    "invalid_utf8": "The file is not valid UTF-8; undecodable bytes were replaced.",
    "not_utf8": "The file is UTF-16 (with a byte-order mark), not UTF-8; it was read as UTF-16.",
    "frontmatter_invalid": "The YAML front matter could not be read (or is not a mapping); it was ignored.",
    "frontmatter_conflict": "Front matter and body disagree on a field; the body value was kept.",
    "missing_id": "No incident id was found; the loader derives one from the file name.",
    "placeholder": "A template placeholder was left in; the field is NULL / the row was skipped.",
    "unknown_severity": "The severity could not be mapped to P0..P3; it is NULL.",
    "unknown_status": "The document status could not be mapped to DRAFT/FINAL; it is NULL.",
    "unreadable_date": "A date could not be read; it is NULL.",
    "ambiguous_date": "A numeric date reads both as day-month and month-day; the choice is explained.",
    "unreadable_duration": "The duration could not be read; it is NULL.",
    "unreadable_users": "The users-affected figure could not be read; it is NULL.",
    "unknown_data_loss": "The data-loss value is not None/Partial/Complete; it is NULL.",
    "unreadable_time": "A timeline time could not be read; the row is kept with occurred_at NULL.",
    "undated_time": "A timeline time has no date to sit on; the row is kept with occurred_at NULL.",
    "missing_time": "A timeline row gives a date only, or no time at all; kept with occurred_at NULL.",
    "relative_time": "A timeline time is relative (e.g. '+6.5 hrs') to an event that has no time.",
    "unknown_timezone": "A time zone name is not known; the time was read as UTC.",
    "unknown_action_status": "An action status is not recognised; it was read as 'todo'.",
    "unknown_learning_kind": "Lessons not filed under a known heading; stored with kind 'other'.",
}

ERROR_CODES = frozenset(
    {"parser_crash", "binary_file", "empty_file", "frontmatter_unsafe", "frontmatter_too_large"}
)


class ProblemLog:
    """Collects problems for one document; refuses codes that are not in PROBLEM_CODES."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, line: int | None = None) -> None:
        if code not in PROBLEM_CODES:
            raise KeyError(f"unknown problem code {code!r}; add it to PROBLEM_CODES")
        level = "error" if code in ERROR_CODES else "warning"
        if level == "warning" and line is None:
            line = 1  # every warning points somewhere; whole-file ones at the first line
        self.problems.append(Problem(line=line, level=level, code=code, message=message))
