"""The checks only lint makes, on what the parser read (a ParsedDocument) and where it read it.

Levels follow one rule: what is still *unfilled* (a placeholder, a missing field, an empty
timeline, no owner) is an error in a FINAL postmortem and a warning in a DRAFT one; what is
*wrong* whatever the status (an unknown severity spelling, front matter contradicting the
body) is an error; judgement calls (blame wording, an overdue action) are warnings. A document
whose status is unknown is held to the FINAL standard: nothing says it is a draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pipeline.lint.blame import find_blame
from pipeline.lint.findings import ERROR, WARNING
from pipeline.lint.locate import DocumentMap
from pipeline.model import ParsedDocument
from pipeline.parse.dates import DateHint, parse_stamp

# Parser problem codes that mean "wrong whatever the status".
ALWAYS_ERRORS = frozenset({"unknown_severity", "unknown_status", "frontmatter_conflict"})
# Parser problem codes that mean "still unfilled".
UNFILLED = frozenset({"placeholder", "missing_id"})
# The header fields lint requires, and the parser codes that already say what is wrong with one.
REQUIRED_FIELDS = {  # field -> (code, what, how to fix)
    "date": ("missing_date", "incident date", "write '**Date:** YYYY-MM-DD' under the title"),
    "severity": ("missing_severity", "severity", "write '**Severity:** P0..P3' under User Impact"),
    "status": ("missing_status", "status", "write '**Status:** DRAFT' or '**Status:** FINAL'"),
}
# The front matter keys the parser reads each required field from (pipeline/parse/document.py).
FRONT_MATTER_KEYS = {
    "date": ("date", "incident_date", "start_time"),
    "severity": ("severity", "sev"),
    "status": ("status",),
}
OPEN_STATUSES = ("todo", "in_progress")

# A check yields (line or None, level, code, message); None means "the whole file" (line 1).
Raw = tuple[int | None, str, str, str]


class Levels:
    def __init__(self, doc: ParsedDocument) -> None:
        self.is_draft = doc.incident.status == "DRAFT"

    @property
    def unfilled(self) -> str:
        return WARNING if self.is_draft else ERROR


def from_problems(doc: ParsedDocument, where: DocumentMap, levels: Levels) -> Iterator[Raw]:
    """The parser's own problems, with lint's levels: one set of rules for lint and ingest."""
    date_line = where.field_line("date")
    id_line = where.field_line("id")
    lines_with_problems = {p.line for p in doc.problems if p.code != "missing_id"}
    for p in doc.problems:
        if p.code == "missing_id" and id_line is not None and id_line in lines_with_problems:
            continue  # the id line is there but a placeholder: that finding says it better
        if _is_unticked_detection(p):
            continue  # reported as no_detection_method by `detection`
        if p.level == ERROR or p.code in ALWAYS_ERRORS:
            level = ERROR
        elif p.code in UNFILLED:
            level = levels.unfilled
        elif p.code == "unreadable_date" and p.line is not None and p.line == date_line:
            level = levels.unfilled  # the incident date itself, not a sign-off or due date
        else:
            level = WARNING
        yield p.line, level, p.code, p.message


def required_fields(doc: ParsedDocument, where: DocumentMap, levels: Levels) -> Iterator[Raw]:
    values = {
        "date": doc.incident.incident_date,
        "severity": doc.incident.severity,
        "status": doc.incident.status,
    }
    lines_with_problems = {p.line for p in doc.problems if p.line is not None}
    for name, (code, what, how) in REQUIRED_FIELDS.items():
        line = where.field_line(name)
        written = line is not None or any(
            k in where.front_matter_keys for k in FRONT_MATTER_KEYS[name]
        )
        if values[name] is not None and written:
            continue
        if values[name] is not None:
            # The parser guessed it (the date from the title or the file name): say so.
            yield (
                None,
                levels.unfilled,
                code,
                (
                    f"No {what} field (the parser guessed {values[name]} from the title or the "
                    f"file name): {how}."
                ),
            )
            continue
        if line is not None and line in lines_with_problems:
            continue  # the parser already said what is wrong on that line (placeholder, spelling)
        yield line, levels.unfilled, code, f"No {what}: {how}."


def timeline(doc: ParsedDocument, where: DocumentMap, levels: Levels) -> Iterator[Raw]:
    section = where.section_line("timeline")
    timed = [e for e in doc.timeline if e.occurred_at is not None]
    if not timed:
        what = "has no rows with a readable time" if doc.timeline else "is missing or empty"
        yield (
            section,
            levels.unfilled,
            "no_timeline",
            (
                f"The incident timeline {what}: add '| HH:MM | event |' rows so response times "
                "can be measured."
            ),
        )
        return
    if not any(e.kind == "restored" and e.occurred_at is not None for e in doc.timeline):
        yield (
            section or timed[0].line,
            levels.unfilled,
            "no_restored_event",
            (
                "No timeline row was read as the service being restored, so time to restore "
                "can't be computed: start the row that records it with [restored] (or the "
                "template's 'Service restored'), or add that row."
            ),
        )
    # The parser already moved a bare time that goes back by more than its rollover (23:40 ->
    # 00:15) to the next day; a time still earlier than the one before reads as a typo.
    incident_date = doc.incident.incident_date
    hint = DateHint(incident_date=incident_date, year=incident_date.year if incident_date else None)
    previous = None
    for event in timed:
        if previous is not None and event.occurred_at < previous.occurred_at:
            stamp = parse_stamp(event.time_text, hint)  # the parser's reading of the cell
            if stamp is None or stamp.date is None:
                yield (
                    event.line,
                    levels.unfilled,
                    "timeline_backwards",
                    (
                        f"{event.time_text!r} is earlier than {previous.time_text!r} on the row "
                        "before and has no date: a typo, or add the date if it is the next day."
                    ),
                )
        previous = event


def actions(
    doc: ParsedDocument, where: DocumentMap, levels: Levels, as_of: date | None
) -> Iterator[Raw]:
    section = where.section_line("actions")
    for a in doc.actions:
        if a.status not in OPEN_STATUSES:
            continue
        line = a.line or section
        name = _action_name(a)
        # An item only in the categorized lists has no owner or due column to fill in.
        where_to = (
            "; add it to the Action Items table with an owner and a due date"
            if a.action_id is None
            else ""
        )
        if not a.owner:
            yield (
                line,
                levels.unfilled,
                "action_no_owner",
                f"Action {name} has no owner{where_to}.",
            )
        if a.due_date is None:
            written = f" ({a.due_text!r} is not a date)" if a.due_text else ""
            yield (
                line,
                levels.unfilled,
                "action_no_due_date",
                f"Action {name} has no due date{written}{where_to or '; write YYYY-MM-DD'}.",
            )
        elif as_of is not None and a.due_date < as_of:
            days = (as_of - a.due_date).days
            yield (
                line,
                WARNING,
                "action_overdue",
                (
                    f"Action {name} was due {a.due_date.isoformat()} ({days} days before "
                    f"{as_of.isoformat()}) and is still {a.status.replace('_', ' ')}."
                ),
            )


def _action_name(a) -> str:
    text = a.description if len(a.description) <= 50 else a.description[:47] + "..."
    return f"{a.action_id} {text!r}" if a.action_id else repr(text)


def whys(doc: ParsedDocument, where: DocumentMap, levels: Levels) -> Iterator[Raw]:
    if not doc.whys:
        line = where.section_line("whys") or where.section_line("root_cause")
        yield (
            line,
            levels.unfilled,
            "root_cause_not_in_whys",
            (
                "The 5 Whys are empty: walk from the symptom to the root cause and mark the last "
                "why '(Root Cause)'."
            ),
        )
    elif not any(w.is_root_cause for w in doc.whys):
        yield (
            doc.whys[-1].line,
            WARNING,
            "root_cause_not_in_whys",
            "No why is marked '(Root Cause)'; the last one is taken as the root cause.",
        )


def _is_unticked_detection(p) -> bool:
    # The parser files "boxes but none ticked" as a placeholder; lint names it more precisely.
    return p.code == "placeholder" and p.message.startswith("No detection method")


def detection(doc: ParsedDocument, where: DocumentMap, levels: Levels) -> Iterator[Raw]:
    if not doc.detection_methods:
        boxes = next((p.line for p in doc.problems if _is_unticked_detection(p)), None)
        yield (
            boxes or where.section_line("detection"),
            levels.unfilled,
            "no_detection_method",
            "No detection method is ticked under 'How Was It Detected?': tick one with [x].",
        )


def blame(doc: ParsedDocument, where: DocumentMap) -> Iterator[Raw]:
    people = list(doc.incident.authors)
    people += [a.owner for a in doc.actions if a.owner]
    people += [s.name for s in doc.signoffs if s.name]
    texts = [(w.text, w.line, f"why #{w.level}") for w in doc.whys]
    # The template explains the root cause under "What Happened?"; documents without whys
    # carry it as root-cause prose.
    for prose in (doc.incident.what_happened, doc.incident.root_cause):
        if prose and all(prose != w.text for w in doc.whys) and prose not in [t for t, *_ in texts]:
            texts.append((prose, None, "the root cause"))
    for text, line, what in texts:
        for hit in find_blame(text, people):
            at = line or where.find(hit.phrase, after=where.section_line("root_cause"))
            yield (
                at,
                WARNING,
                "blame_language",
                f"{what.capitalize()} says {hit.phrase!r}, which {hit.advice}.",
            )
