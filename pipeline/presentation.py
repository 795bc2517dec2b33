"""How figures look wherever they are shown: the dashboard and the quarterly report share
these, so a severity has the same colour and a method the same name in both."""

from __future__ import annotations

from pipeline.analytics import UNKNOWN
from pipeline.model import SEVERITIES

SEVERITY_ORDER = [*SEVERITIES, UNKNOWN]
"""The order severities are drawn and listed in: pipeline.model's, an unknown one last."""
SEVERITY_COLORS = {
    "P0": "#b2182b",  # dark red: the worst
    "P1": "#ef8a62",
    "P2": "#f6c85f",
    "P3": "#67a9cf",
    "unknown": "#9e9e9e",
}
METRIC_LABELS = {
    "time_to_detect": "Time to detect",
    "time_to_acknowledge": "Time to acknowledge",
    "time_to_root_cause": "Time to root cause",
    "time_to_mitigate": "Time to mitigate",
    "time_to_restore": "Time to restore",
    "duration": "Duration",
}
DETECTION_LABELS = {
    "automated_monitoring": "Automated monitoring",
    "customer_report": "Customer report",
    "internal_user": "Internal user",
    "automated_test": "Automated test",
    "other": "Other",
    "unknown": "Not recorded",
}


CANT_TELL = "can't tell"


def recurrence_answer(recurred: bool, naming_a_service: int) -> str:
    """Whether a cause came back after a done fix: 'yes', 'no', or "can't tell" when none of
    its incidents names a service (a fix counts for the services it was made for, so without
    one no recurrence can be seen, and 'no' would claim too much)."""
    if recurred:
        return "yes"
    return "no" if naming_a_service else CANT_TELL


def recurrence_verdict(recurred: bool, recurrences: int, naming_a_service: int) -> str:
    """The answer as tables word it: 'yes (N)' with how many came back, else the answer."""
    answer = recurrence_answer(recurred, naming_a_service)
    return f"yes ({recurrences})" if answer == "yes" else answer
