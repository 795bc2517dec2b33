"""Every metric, defined once. The dashboard, the CLI and the report call these functions.

Each function takes an open DuckDB connection (`connect`) and a `Filters`, and returns a pandas
DataFrame (or a dict) with the columns named in its docstring. One module per subject, matching
the SQL views of `pipeline/sql/views/*.sql` (created by ingest, readable from a DuckDB shell):

    filters, periods    Filters, the filter choices, the quarter a review opens on, opening
                        the database; quarter arithmetic
    incidents           incident_facts: the list, counts per period, repeats, links, one incident
    milestones          where one incident's milestone times and duration came from
    response            response_times, response_clocks: detect / acknowledge / root cause /
                        mitigate / restore, duration, as distributions
    detection           incident_detection, detection_hits: methods, customers, time to detect
    actions             action_facts, actions_as_of(d): overdue, completion, closed, missing;
                        follow-through (open action ages, FINAL with open actions, by category)
    causes              cause_occurrences: recurring root causes, recurrence after a fix,
                        pinned or found, the corrections (causes.yml) that matched nothing
    cause_explanation   why one incident's cause is in its group (pin, mechanism, words)
    hygiene             the postmortems themselves: days to FINAL, stale drafts, near misses
    headline            the headline figures of a period, from the figures above
    comparison          a period against the one before: each change with its interval
    uncertainty         the intervals (bootstrap, Wilson, Newcombe, Poisson) and the verdicts

Each figure is one file of `pipeline/sql/figures/`, in the layered shape of the views (the
incidents in view first, the figure after, named CTEs ending in `select * from final`). How
they compute, everywhere:

- Filters reach SQL as bound parameters of the table macro `incidents_in_view(...)`, never
  formatted into the text; the few choices that vary a query (the grouping, the period) are
  checked against fixed allow-lists and bound as values too.
- Percentiles are DuckDB's `quantile_cont`: linear interpolation between the two nearest
  ranks, position (n - 1) * q over the sorted values (numpy's default 'linear', Excel's
  PERCENTILE.INC). So the median of an even count is the mean of the two middle values, and
  p90 of [10, 20, 30, 40] is 37. Distributions are reported as count, median, p90 and max,
  never as a mean: incident durations are heavily right-skewed.
- All times and durations are minutes; days are whole calendar days.
- Quarters are labelled '2026Q3', months '2026-07' (`periods`); an unknown date or severity
  is grouped as 'unknown'. Severities are ordered as `pipeline.model.SEVERITIES`.
- `as_of` (for overdue) defaults to today; an action due on `as_of` itself is not overdue.
- A change between two periods is called one only when its 95% interval leaves out zero and
  both periods have at least 20 incidents behind the figure (`uncertainty`); otherwise it is
  "no detectable change" or "too few incidents to tell".
"""

from __future__ import annotations

from pipeline.analytics.actions import (
    NO_OWNER,
    NO_TEAM,
    UNCATEGORISED,
    action_completion,
    action_summary,
    actions_missing_owner_or_due,
    closed_actions,
    completion_by_category,
    final_with_open_actions,
    open_action_age_summary,
    open_action_ages,
    overdue_actions,
)
from pipeline.analytics.cause_explanation import explain_cause, explanation_lines
from pipeline.analytics.causes import cause_occurrences, correction_problems, recurring_causes
from pipeline.analytics.comparison import changes_as_dicts, compare_periods, previous_filters
from pipeline.analytics.detection import (
    customer_detected,
    detection_gaps,
    detection_share,
    time_to_detect,
)
from pipeline.analytics.filters import (
    Filters,
    connect,
    filter_options,
    quarter_filters,
    review_quarter,
    without_dates,
)
from pipeline.analytics.headline import headline
from pipeline.analytics.hygiene import (
    STALE_DRAFT_DAYS,
    days_to_final,
    days_to_final_summary,
    near_misses,
    stale_drafts,
)
from pipeline.analytics.incidents import (
    incident_counts,
    incident_detail,
    incidents,
    linked_incidents,
    repeat_incidents,
    severity_share,
)
from pipeline.analytics.milestones import duration_basis, milestone_rows
from pipeline.analytics.periods import previous_quarter, quarter_bounds
from pipeline.analytics.response import (
    CLOCKS,
    RESPONSE_METRICS,
    clock_change,
    clock_distribution,
    clock_values,
    response_time_values,
    response_times,
)
from pipeline.analytics.uncertainty import MIN_INCIDENTS, VERDICTS, Change
from pipeline.model import SEVERITIES as SEVERITY_ORDER

UNKNOWN = "unknown"
"""How an unknown severity, quarter or detection method is grouped and labelled."""

__all__ = [
    "CLOCKS",
    "MIN_INCIDENTS",
    "NO_OWNER",
    "NO_TEAM",
    "RESPONSE_METRICS",
    "SEVERITY_ORDER",
    "STALE_DRAFT_DAYS",
    "UNCATEGORISED",
    "UNKNOWN",
    "VERDICTS",
    "Change",
    "Filters",
    "action_completion",
    "action_summary",
    "actions_missing_owner_or_due",
    "cause_occurrences",
    "changes_as_dicts",
    "clock_change",
    "clock_distribution",
    "clock_values",
    "closed_actions",
    "compare_periods",
    "completion_by_category",
    "connect",
    "correction_problems",
    "customer_detected",
    "days_to_final",
    "days_to_final_summary",
    "detection_gaps",
    "detection_share",
    "duration_basis",
    "explain_cause",
    "explanation_lines",
    "filter_options",
    "final_with_open_actions",
    "headline",
    "incident_counts",
    "incident_detail",
    "incidents",
    "linked_incidents",
    "milestone_rows",
    "near_misses",
    "open_action_age_summary",
    "open_action_ages",
    "overdue_actions",
    "previous_filters",
    "previous_quarter",
    "quarter_bounds",
    "quarter_filters",
    "recurring_causes",
    "repeat_incidents",
    "response_time_values",
    "response_times",
    "review_quarter",
    "severity_share",
    "stale_drafts",
    "time_to_detect",
    "without_dates",
]
