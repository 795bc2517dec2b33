"""What a generated postmortem really says: the values a correct parser must extract.

The generator knows these because it chose them before writing the document; tests compare
what ingest loads against them, and the clustering work uses `theme` as ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class TruthEvent:
    occurred_at: datetime
    """UTC, naive, as the timeline table should load it."""
    kind: str
    """One of model.TIMELINE_KINDS."""
    time_text: str
    """The time cell exactly as written."""
    event: str


@dataclass(slots=True)
class TruthAction:
    action_id: str | None
    """As written in the ID column; None for an item that only appears in the categorized lists."""
    description: str
    owner: str | None
    """Without a leading '@'; None when the cell is blank."""
    due_date: date | None
    """None when the due cell is not a calendar date ('Q1 2027', 'TBD')."""
    due_text: str | None
    status: str
    """One of model.ACTION_STATUSES."""
    category: str | None
    """Set when the categorized lists restate the action (or hold it only there)."""

    def is_overdue(self, today: date) -> bool:
        """Due before `today` and not finished: overdue depends on the day you look."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status not in ("done", "wont_do")
        )


@dataclass(slots=True)
class Truth:
    incident_id: str
    title: str
    status: str | None
    authors: list[str]
    incident_date: date
    last_updated: date | None
    severity: str | None
    duration_minutes: int | None
    duration_derived: str | None
    """True when no duration is written and it must come from the timeline (alert to restored)."""
    users_affected: int | None
    traffic_pct: float | None
    data_loss: str | None
    team: str | None
    """Only when the document states it (front matter or a **Team:** line)."""
    services: list[str]
    tags: list[str]
    root_cause_category: str | None
    """Only when the authors pinned it in front matter."""
    detection_methods: list[str]
    timeline: list[TruthEvent]
    actions: list[TruthAction]
    theme: str
    """The recurring root-cause theme (vocabulary.THEMES key): ground truth for clustering."""
    root_cause: str | None = None
    """The why marked '(Root Cause)' in the 5-whys list."""
    related: list[str] = field(default_factory=list)
    """Incident ids of earlier generated incidents this one links to."""
    quirks: tuple[str, ...] = ()
    """Names of the real-world deviations from the template this document was written with."""
    team_of_record: str = ""
    """The team the incident really belongs to, whether or not the document says so."""
    services_of_record: tuple[str, ...] = ()

    def overdue_actions(self, today: date) -> list[TruthAction]:
        return [a for a in self.actions if a.is_overdue(today)]


@dataclass(slots=True)
class GeneratedDoc:
    filename: str
    text: str
    """The whole file, BOM and CRLF included when the document has those quirks."""
    truth: Truth

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")
