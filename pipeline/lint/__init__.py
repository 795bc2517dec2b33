"""`postmortems lint`: check postmortems before they are merged.

Lint runs the parser (`pipeline.parse.parse_document`), so one set of rules decides what a
field means for lint and ingest alike: the parser's problems become findings, and the checks
in `checks.py` add what only a linter asks for (required fields, an empty timeline, an action
without owner, blame wording...). Each finding points at a line: `file:line: level code message`.

    from pipeline.lint import lint_paths
    run = lint_paths(["postmortems/"], as_of=date(2026, 9, 30))
    run.errors, [f.as_text() for f in run.findings]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.lint import checks
from pipeline.lint.findings import ERROR, LINT_CODES, WARNING, Finding
from pipeline.lint.locate import map_document

__all__ = ["ERROR", "LINT_CODES", "WARNING", "Finding", "LintRun", "lint_document", "lint_paths"]


@dataclass
class LintRun:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level == WARNING)

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict() for f in self.findings],
        }


def lint_document(
    data: str | bytes, path: str = "<string>", *, as_of: date | None = None
) -> list[Finding]:
    """Every finding for one document, by line. `as_of` turns on the overdue-action check."""
    from pipeline.parse import parse_document

    doc = parse_document(data, path)
    raw: list[checks.Raw] = []
    levels = checks.Levels(doc)
    if doc.rejected:
        raw.extend((p.line, ERROR, p.code, p.message) for p in doc.problems if p.level == ERROR)
    else:
        where = map_document(data, doc)
        raw.extend(checks.from_problems(doc, where, levels))
        raw.extend(checks.required_fields(doc, where, levels))
        raw.extend(checks.timeline(doc, where, levels))
        raw.extend(checks.actions(doc, where, levels, as_of))
        raw.extend(checks.whys(doc, where, levels))
        raw.extend(checks.detection(doc, where, levels))
        raw.extend(checks.blame(doc, where))
    seen: set[tuple] = set()
    findings: list[Finding] = []
    for line, level, code, message in raw:
        finding = Finding(path, line or 1, level, code, message)
        key = (finding.line, finding.code, finding.message)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    findings.sort(key=lambda f: (f.line, f.level != ERROR, f.code))
    return findings


def display_path(path: str) -> str:
    """Relative to the working folder when inside it (what editors and CI annotations expect)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def lint_paths(paths: list[str | Path], *, as_of: date | None = None) -> LintRun:
    """Lint every postmortem under the given files and folders (*.md, *.markdown), and the
    reviewers' causes.yml at the root of a folder or named as a file."""
    from pipeline.clusters.corrections import read_corrections
    from pipeline.corrections_file import FILE_NAMES, find_corrections, read_corrections_file
    from pipeline.discover import find_postmortems
    from pipeline.source_file import read_source

    named = [p for p in paths if Path(p).name in FILE_NAMES and Path(p).is_file()]
    files, skipped = find_postmortems([p for p in paths if p not in named])
    corrections = find_corrections(paths) + [read_corrections_file(p) for p in named]
    run = LintRun(files=len(files) + len(corrections))
    for corrections_file in corrections:
        # The reviewers' file is checked as ingest reads it; whether its entries match any
        # incident needs the database (`postmortems causes` says).
        for path, line, code, message in read_corrections(corrections_file).problems:
            run.findings.append(Finding(display_path(path), line or 1, ERROR, code, message))
    for s in skipped:
        message = s.message.removeprefix(f"{s.path}: ")
        run.findings.append(Finding(display_path(s.path), 1, ERROR, "not_found", message))
    for path in files:
        shown = display_path(path)
        # The loader's reading rules: no FIFO or device is opened, no file over the size limit.
        read = read_source(path)
        if read.data is None:
            run.findings.append(
                Finding(
                    shown, 1, ERROR, read.code or "not_found", read.reason or "cannot read the file"
                )
            )
            continue
        run.findings.extend(lint_document(read.data, shown, as_of=as_of))
    return run
