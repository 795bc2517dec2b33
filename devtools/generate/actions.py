"""Action items: the table rows, the categorized lists that restate them, and their truth.

2-8 actions from the theme's and a generic pool, owned by a person, a @handle, a team or
nobody; due 5-120 days after the incident. Whether an action is done is drawn against the
corpus's 'today' (its end date): old actions are mostly done, recent ones mostly open, and an
open action past its due date is overdue for whoever looks later (TruthAction.is_overdue).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from devtools.generate import vocabulary as v
from devtools.generate.truth import TruthAction
from devtools.generate.wording import STATUS_SPELLINGS, due_text, handle, pick, restate, weighted

ACTION_COUNT_TABLE = weighted([(2, 10), (3, 22), (4, 24), (5, 18), (6, 12), (7, 8), (8, 6)])


@dataclass(slots=True)
class ActionRow:
    id_text: str
    description: str
    owner_text: str
    due_text: str
    status_text: str


@dataclass(slots=True)
class CategorizedItem:
    category: str
    text: str
    checked: bool


@dataclass(slots=True)
class DrawnActions:
    rows: list[ActionRow]
    categorized: list[CategorizedItem]
    truth: list[TruthAction]
    ai_ids: bool
    """IDs written 'AI-1' rather than '1'."""
    quirks: list[str] = field(default_factory=list)


def action_status(rng: random.Random, due: date, as_of: date) -> str:
    """Old actions are mostly done; recent ones mostly open. Open and past due = overdue."""
    days_left = (due - as_of).days
    r = rng.random()
    if days_left < -30:
        if r < 0.72:
            return "done"
        return "in_progress" if r < 0.8 else "todo" if r < 0.95 else "wont_do"
    if days_left < 0:
        if r < 0.45:
            return "done"
        return "in_progress" if r < 0.75 else "todo" if r < 0.97 else "wont_do"
    return "done" if r < 0.18 else "in_progress" if r < 0.55 else "todo"


def _owner(rng: random.Random, team: str) -> tuple[str | None, str]:
    """(owner as the table should load it, owner as written)."""
    people = v.PEOPLE[team]
    r = rng.random()
    if r < 0.55:
        name = rng.choice(people)
        return name, name
    if r < 0.75:
        nick = handle(rng.choice(people))
        return nick, "@" + nick
    if r < 0.9:
        return f"{team} team", f"{team} team"
    return None, ""


def draw_actions(
    rng: random.Random,
    theme: v.Theme,
    team: str,
    fill: dict[str, str],
    incident_date: date,
    as_of: date,
    placeholders: bool,
) -> DrawnActions:
    n_actions = pick(rng, ACTION_COUNT_TABLE)
    pool = list(theme.actions) + list(v.GENERIC_ACTIONS)
    rng.shuffle(pool)
    chosen, spare = pool[:n_actions], pool[n_actions:]
    ai_ids = rng.random() < 0.15
    drawn = DrawnActions([], [], [], ai_ids)
    descriptions = [d.format(**fill) for _, d in chosen]
    for i, ((category, _), description) in enumerate(zip(chosen, descriptions), start=1):
        action_id = f"AI-{i}" if ai_ids else str(i)
        owner, owner_text = _owner(rng, team)
        due = incident_date + timedelta(days=rng.randint(5, 120))
        written_due, due_date = due_text(rng, due)
        status = action_status(rng, due, as_of)
        written_status = rng.choice(STATUS_SPELLINGS[status])
        restated = rng.random() < 0.75
        drawn.truth.append(
            TruthAction(
                action_id,
                description,
                owner,
                due_date,
                written_due,
                status,
                category if restated else None,
            )
        )
        drawn.rows.append(
            ActionRow(action_id, description, owner_text, written_due, written_status)
        )
        if restated:
            text = restate(rng, description, action_id, descriptions)
            drawn.categorized.append(CategorizedItem(category, text, status == "done"))
    if placeholders and rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            n = len(drawn.rows) + 1
            drawn.rows.append(ActionRow(f"AI-{n}" if ai_ids else str(n), "", "", "", "[ ] TODO"))
        drawn.quirks.append("placeholder_actions")
    # Items only in the categorized lists: ideas nobody put in the table.
    for category, text in spare[: rng.choice((0, 0, 0, 1, 1, 2))]:
        description = text.format(**fill)
        done = rng.random() < 0.3
        status = "done" if done else "todo"
        drawn.truth.append(TruthAction(None, description, None, None, None, status, category))
        drawn.categorized.append(CategorizedItem(category, description, done))
    if ai_ids:
        drawn.quirks.append("ai_ids")
    return drawn
