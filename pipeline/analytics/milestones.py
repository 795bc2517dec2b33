"""Where an incident's milestones and duration came from, so a reviewer can check them.

The `*_at` columns, and every response time computed from them, are the earliest timeline row
of each kind. A time to restore of 19 hours is checkable only when the row behind it is in
sight: its text, its line in the file, and whether the author stated its kind, the phrase
rules read it, or the model guessed it (with what confidence).
"""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql


def milestone_rows(con, incident_id: str) -> pd.DataFrame:
    """One row per milestone column, in the order an incident passes through them: milestone
    ('Impact start', 'Detected', 'Acknowledged', 'Root cause found', 'Mitigated', 'Restored',
    'Resolved'), kind, milestone_column ('restored_at'...), occurred_at (the column; NULL when
    no timed row has that kind), and the row it came from: seq, line, time_text, event,
    decided_by ('stated' | 'rules' | 'model'), confidence (the model's, else NULL),
    how_decided (in words). Empty when no incident has that id."""
    return _sql.frame(con, "milestone_rows", incident_id=str(incident_id))


def duration_basis(con, incident_id: str) -> dict | None:
    """How the duration was obtained: {incident_id, duration_minutes, duration_derived,
    basis ('written' | 'front_matter' | 'impact_start' | 'first_alert' | None when unknown),
    starts_at, ends_at (the timeline milestones it runs between), how_obtained (in words),
    restored_hint (how to state the restore when no row was read as one, else None)};
    None when no incident has that id."""
    out = _sql.frame(con, "duration_basis", incident_id=str(incident_id))
    if out.empty:
        return None
    return {key: _sql.plain(value) for key, value in out.iloc[0].items()}
