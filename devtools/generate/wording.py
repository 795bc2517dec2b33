"""How authors write a value down: each function returns the text and the value it really says.

'approx. 6 hours' says 360 minutes whatever the timeline says, 'Q1 2027' is no calendar date,
'~1.2M users' says 1,200,000: the truth is always what the text says, so it is decided here,
beside the text.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date
from itertools import accumulate

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weighted(items_and_weights) -> tuple[list, list]:
    """A table for `pick`: items and their cumulative weights."""
    items = [i for i, _ in items_and_weights]
    cumulative = list(accumulate(w for _, w in items_and_weights))
    return items, cumulative


def pick(rng: random.Random, table):
    items, cumulative = table
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


SEVERITY_SPELLING_TABLE = weighted(
    [
        ("{p}", 62),
        ("**{p}**", 8),
        ("`{p}`", 7),
        ("SEV{n}", 7),
        ("Sev-{n}", 6),
        ("{p} ({word})", 10),
    ]
)
SEVERITY_WORDS = {"P0": "critical", "P1": "high", "P2": "medium", "P3": "low"}
SEVERITY_PLACEHOLDER = "[P0 | P1 | P2 | P3]"

STATUS_SPELLINGS = {
    "todo": ("[ ] TODO", "[ ] TODO", "TODO", "Open", ""),
    "in_progress": ("IN PROGRESS", "In progress", "[ ] IN PROGRESS"),
    "done": ("[x] DONE", "[x] DONE", "Done", "✅", "[X] Done"),
    "wont_do": ("Won't fix", "Won't do"),
}


def severity_text(rng: random.Random, severity: str) -> str:
    spelling = pick(rng, SEVERITY_SPELLING_TABLE)
    return spelling.format(p=severity, n=severity[1], word=SEVERITY_WORDS[severity])


def duration_text(rng: random.Random, minutes: int) -> tuple[str, int]:
    """A way of writing `minutes`, and the value that text really says."""
    hours, mins = divmod(minutes, 60)
    r = rng.random()
    if minutes >= 1440 and r < 0.5:
        days, h = divmod(round(minutes / 60), 24)
        text = f"{days} day{'s' if days > 1 else ''}"
        if h:
            text += f" {h} hour{'s' if h != 1 else ''}"
        return text, days * 1440 + h * 60
    if minutes < 60:
        return (f"{minutes} min" if r < 0.5 else f"{minutes} minutes"), minutes
    if r < 0.55:
        text = f"{hours} hour{'s' if hours != 1 else ''}"
        return (text + f" {mins} minute{'s' if mins != 1 else ''}" if mins else text), minutes
    if r < 0.8:
        return (f"{hours}h {mins}m" if mins else f"{hours}h"), minutes
    if hours >= 2:
        rounded = round(minutes / 60)
        return f"approx. {rounded} hours", rounded * 60
    return f"{minutes} minutes", minutes


def users_text(rng: random.Random, severity: str) -> tuple[str, int | None, float | None]:
    """Users affected as written, with the users and traffic share that text says."""
    scale = {"P0": 6.0, "P1": 5.0, "P2": 4.0, "P3": 3.0}[severity]
    users = max(int(10 ** (scale + rng.gauss(0, 0.45))), 3)
    pct = round(min(95.0, max(0.1, users / 80_000 * rng.uniform(0.5, 2.0))), 1)
    pct_text = f"{pct:g}"
    r = rng.random()
    if r < 0.08:
        return "unknown", None, None
    if users >= 1_000_000 and r < 0.5:
        millions = round(users / 1_000_000, 1)
        return (
            f"~{millions:g}M users / {pct_text}% of traffic",
            round(millions * 1_000_000),
            float(pct_text),
        )
    if r < 0.6:
        return f"{users:,} users / {pct_text}% of traffic", users, float(pct_text)
    if r < 0.85:
        return f"{users:,} users", users, None
    return f"about {users} customers", users, None


def due_text(rng: random.Random, due: date) -> tuple[str, date | None]:
    """A due date as written, and the calendar date it names (None for 'Q1 2027', 'TBD')."""
    r = rng.random()
    if r < 0.62:
        return due.isoformat(), due
    if r < 0.77:
        return f"{MONTHS[due.month - 1]} {due.day}, {due.year}", due
    if r < 0.87:
        return f"{due.year}/{due.month:02d}/{due.day:02d}", due
    if r < 0.94:
        return f"Q{(due.month - 1) // 3 + 1} {due.year}", None
    return "TBD", None


def handle(name: str) -> str:
    """'Lucia Fernández' -> 'lfernandez', as a chat handle."""
    first, _, last = name.partition(" ")
    return (first[0] + last).lower().replace("á", "a").replace("é", "e")


_DANGLING = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with"]
)


def shorten(description: str) -> str:
    """The first two thirds of an action, as people abbreviate it when they list it again."""
    words = description.split()
    keep = words[: max(4, len(words) * 2 // 3)]
    while len(keep) > 3 and keep[-1].lower() in _DANGLING:
        keep.pop()
    return " ".join(keep)


def restate(
    rng: random.Random, description: str, action_id: str, all_descriptions: list[str]
) -> str:
    """How the categorized lists repeat a table action: by reference, shortened, or verbatim."""
    r = rng.random()
    ref = f"(AI-{action_id[3:]})" if action_id.startswith("AI-") else f"#{action_id}"
    if r < 0.3:
        return f"{ref} {shorten(description)}" if rng.random() < 0.5 else ref
    if r < 0.55:
        inner = ref.strip("()")
        return f"{shorten(description)} ({inner})"
    if r < 0.75:
        short = shorten(description)
        # a shortened form must not also be the start of another action of the document
        if not any(d != description and d.startswith(short) for d in all_descriptions):
            return short
    return description


def humane_duration(minutes: int) -> str:
    """Rounded, for prose ('about 3 hours')."""
    if minutes < 90:
        return f"{minutes} minutes"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} hours"
    return f"{round(minutes / 1440)} days"
