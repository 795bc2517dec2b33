"""The records a parsed postmortem is made of.

The parser fills these (pure, no I/O); the loader turns them into the DuckDB tables of
`sql/schema.sql`. Every record that comes from a place in the document carries its 1-based
source `line`, so problems and lint findings can point at `file.md:42`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

SEVERITIES = ("P0", "P1", "P2", "P3")
STATUSES = ("DRAFT", "FINAL")
DATA_LOSS = ("None", "Partial", "Complete")
TIMELINE_KINDS = (
    "impact_start",
    "alert",
    "acknowledged",
    "root_cause",
    "mitigation",
    "restored",
    "all_clear",
    "other",
)
ACTION_STATUSES = ("todo", "in_progress", "done", "wont_do")
ACTION_CATEGORIES = ("prevention", "detection", "response", "recovery")
DETECTION_METHODS = (
    "automated_monitoring",
    "customer_report",
    "internal_user",
    "automated_test",
    "other",
)
LEARNING_KINDS = (
    "went_well",
    "could_improve",
    "got_lucky",
    "technical",
    "process",
    "cultural",
    "other",  # lessons under a generic "Lessons learned" heading, not filed under a finer kind
)

# Which incidents column holds the first timeline event of each kind.
KIND_COLUMNS = {
    "impact_start": "impact_started_at",
    "alert": "detected_at",
    "acknowledged": "acknowledged_at",
    "root_cause": "root_caused_at",
    "mitigation": "mitigated_at",
    "restored": "restored_at",
    "all_clear": "resolved_at",
}


@dataclass(slots=True)
class Problem:
    """Something the parser could not read, or read but doubts."""

    line: int | None
    """1-based line in the source file (None when the problem is about the whole file)."""
    level: str
    """'error' (the file was not loaded) or 'warning' (loaded, this field is NULL/doubtful)."""
    code: str
    """Stable machine-readable code, e.g. 'unreadable_date', 'placeholder', 'unknown_severity'."""
    message: str
    """One human sentence naming what was found and what was done about it."""


@dataclass(slots=True)
class Incident:
    """One row of `incidents` (the loader adds source_path and content_sha256)."""

    incident_id: str | None = None
    title: str | None = None
    status: str | None = None  # 'DRAFT' | 'FINAL' | None
    authors: list[str] = field(default_factory=list)
    incident_date: date | None = None
    last_updated: date | None = None
    severity: str | None = None  # 'P0'..'P3' | None
    duration_minutes: int | None = None
    duration_derived: str | None = None
    """How a duration that was not written as a field was obtained: 'prose' (told in a
    sentence, `parse.prose_duration`), 'front_matter' (the window its start and end keys
    state) or 'timeline' (impact start, else first alert, to restored); None when the duration
    was written as a field ("Duration: 4h 17m"), or there is none."""
    duration_evidence: str | None = None
    """What a written, prose or front-matter duration was read from, with its line:
    'line 12: "lasting 1 hour and 48 minutes"'. None for a timeline duration (its two rows
    are the milestone columns) and when there is no duration."""
    users_affected: int | None = None
    traffic_pct: float | None = None
    data_loss: str | None = None  # 'None' | 'Partial' | 'Complete' | None
    summary: str | None = None
    business_impact: str | None = None
    data_impact: str | None = None
    what_happened: str | None = None
    root_cause: str | None = None
    """The why marked as root cause (else the last why), else the root-cause prose."""
    detection_gap: str | None = None
    immediate_fix: str | None = None
    permanent_fix: str | None = None
    services: list[str] = field(default_factory=list)
    team: str | None = None
    tags: list[str] = field(default_factory=list)
    root_cause_category: str | None = None
    """A cause pinned by the authors (front matter `root_cause_category`); wins over clustering."""
    completeness: float | None = None
    """Share (0..1) of the template's sections really filled in."""
    cause_text: str | None = None
    """What the cause grouping reads: the why marked root cause, the other whys, the
    root-cause prose and "What happened"; without those, the summary and the narrative; then
    the front matter's categories, keywords and tags."""
    cause_source: str | None = None
    """Where `cause_text` mainly comes from: 'root_cause', 'summary', 'prose' or
    'front_matter' (None when there is no text)."""
    impact_started_at: datetime | None = None
    """The milestones (UTC, naive): the time of the timeline row chosen for each kind."""
    detected_at: datetime | None = None
    acknowledged_at: datetime | None = None
    root_caused_at: datetime | None = None
    mitigated_at: datetime | None = None
    restored_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(slots=True)
class TimelineEvent:
    seq: int
    """1-based, document order."""
    occurred_at: datetime | None
    """UTC, naive. None when the time could not be read (the row is still kept)."""
    time_text: str
    """The time exactly as written."""
    event: str
    kind: str  # one of TIMELINE_KINDS
    line: int | None = None
    kind_stated: bool = False
    """The author stated the kind (a `[restored]` tag or the template's phrase)."""
    kind_confidence: float | None = None
    """How sure the model is of the kind, 0..1 (1.0 when stated; None from the phrase rules)."""


@dataclass(slots=True)
class Action:
    action_id: str | None
    """As written in the ID column; None for an action only in the categorized lists."""
    description: str
    owner: str | None
    """Trimmed, leading '@' removed, None when blank."""
    due_date: date | None
    due_text: str | None
    status: str  # one of ACTION_STATUSES
    category: str | None  # one of ACTION_CATEGORIES | None
    line: int | None = None


@dataclass(slots=True)
class Why:
    level: int
    text: str
    is_root_cause: bool
    line: int | None = None


@dataclass(slots=True)
class Learning:
    kind: str  # one of LEARNING_KINDS
    seq: int
    text: str
    line: int | None = None


@dataclass(slots=True)
class RelatedIncident:
    reference: str
    """An incident id or URL when one could be read, else the text."""
    text: str
    line: int | None = None


@dataclass(slots=True)
class Signoff:
    role: str
    name: str | None
    signed_on: date | None
    approved: bool
    line: int | None = None


@dataclass(slots=True)
class ParsedDocument:
    """Everything read from one postmortem. `problems` holds errors and warnings."""

    incident: Incident
    timeline: list[TimelineEvent] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    detection_methods: list[str] = field(default_factory=list)
    whys: list[Why] = field(default_factory=list)
    learnings: list[Learning] = field(default_factory=list)
    related_incidents: list[RelatedIncident] = field(default_factory=list)
    signoffs: list[Signoff] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each header field the parser read (id, status, date, severity, duration,
    users, data_loss, ...), also when its value was a placeholder or unreadable. Not a table."""
    section_lines: dict[str, int] = field(default_factory=dict)
    """1-based line of the first heading of each canonical section recognised (timeline, whys,
    detection, actions, root_cause, ...; keys of `pipeline.parse.sections.SYNONYMS`). Not a table."""

    @property
    def rejected(self) -> bool:
        return any(p.level == "error" for p in self.problems)
