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
    how_decided (in words; where the model overruled the phrase rules it says what they had
    read: 'model, confidence 0.52, overruling the phrase rules' restored'). Empty when no
    incident has that id."""
    rows = _sql.frame(con, "milestone_rows", incident_id=str(incident_id))
    if rows.empty:
        return rows
    from pipeline.parse.kinds import classify_event

    # The rules are deterministic, so what they read in the row is read again here rather
    # than stored: only the few milestone rows of one incident are asked.
    overruled = [
        classify_event(event) if decided == "model" and isinstance(event, str) else "other"
        for decided, event in zip(rows["decided_by"], rows["event"], strict=True)
    ]
    rows["how_decided"] = [
        f"{how}, overruling the phrase rules' {rule.replace('_', ' ')}"
        if rule not in ("other", kind)
        else how
        for how, rule, kind in zip(rows["how_decided"], overruled, rows["kind"], strict=True)
    ]
    return rows


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
