"""Recurring root causes: the clusters that keep coming back, and whether they came back after
a fix was marked done (view `cause_occurrences`); who placed each incident (pinned or found);
what of the reviewers' corrections (causes.yml) matched nothing."""

from __future__ import annotations

import pandas as pd

from pipeline.analytics import _sql
from pipeline.analytics.filters import Filters


def recurring_causes(con, f: Filters, with_incident_ids: bool = True) -> pd.DataFrame:
    """Ranked by incidents in view (then the most recent, then the label): cluster_id,
    cluster_label, incidents, first_seen, last_seen, recurred_after_fix, recurrences_after_fix
    (how many of its incidents in view are such recurrences: on a large corpus nearly every
    cluster has recurred once, the count tells them apart), pinned (how many of them the
    authors or a reviewer placed there), incident_ids (list, oldest first).

    Counts, first_seen and last_seen use only the incidents in view. recurred_after_fix is
    true when any incident of the cluster in view is flagged in view `cause_occurrences`: it
    happened after the "Last Updated" date of an earlier incident of the same cluster that
    hit one of the same services, and whose postmortem records a done prevention action (category 'prevention'; or any done action
    when that postmortem categorises none). The template has no done date per action, so the
    earlier postmortem's last update, the latest day the "done" can have been written, stands
    for it: a recurrence is only flagged when it surely came after the fix was marked done.
    A cluster is a failure mechanism, so a fix counts only for the services it was made for;
    an incident naming no service is never flagged. The earlier incident may be outside the
    filters. `with_incident_ids=False` leaves the
    incident_ids column out (the headline needs only the ranking; the lists are costly at 100k)."""
    out = _sql.frame(con, "recurring_causes", f, with_incident_ids=bool(with_incident_ids))
    return out if with_incident_ids else out.drop(columns="incident_ids")


def cause_occurrences(con, f: Filters, cluster_id: int | None = None) -> pd.DataFrame:
    """cluster_id, cluster_label, incident_id, incident_date, severity, recurred_after_fix,
    fixed_in_incident_id, fix_done_by, fixed_service (the service both hit), assignment ('pinned': the front matter's
    root_cause_category or a pin or split in causes.yml placed it; 'found': the grouping did),
    mechanism (what the model read in its cause text), what_failed (what broke that time): the
    incidents in view with a cluster, oldest first (the flag as defined in
    `recurring_causes`); only one cluster's when `cluster_id` is given."""
    return _sql.frame(
        con,
        "cause_occurrences",
        f,
        cluster_id=None if cluster_id is None else int(cluster_id),
    )


def correction_problems(con) -> pd.DataFrame:
    """source_path, line, level, code, message: the entries of the reviewers' corrections files
    (causes.yml) that matched nothing ('correction_unmatched') or could not be read
    ('corrections_invalid'), by file and line. Not filtered: they concern the file."""
    return _sql.frame(con, "correction_problems")
