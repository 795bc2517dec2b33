"""Draw one incident: what happened, and how its author chose to write it down.

Everything random is decided here, from one `random.Random`, so a seed fixes the corpus. The
result is a `Plan`: the `Truth` a parser must recover, plus the exact written forms (time cells,
duration text, severity spelling...) and the prose the renderer lays out. Values that depend on
how something is written (an 'approx. 6 hours' duration, a 'Q1 2027' due date, a placeholder
left in a draft) are settled here too, so the truth always matches the text.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from pipeline.generate import vocabulary as v
from pipeline.generate.truth import Truth, TruthAction, TruthEvent

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UTC = ZoneInfo("UTC")
# Header zones are regional names whose offset follows daylight saving; cell zones are written
# as the abbreviation in force on the day (PST in winter, PDT in summer), so both are exact.
HEADER_ZONES = (("PT", ZoneInfo("America/Los_Angeles")), ("ET", ZoneInfo("America/New_York")))
CELL_ZONES = (
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/Berlin"),
)


def _weighted(items_and_weights):
    items = [i for i, _ in items_and_weights]
    cumulative = list(accumulate(w for _, w in items_and_weights))
    return items, cumulative


def _pick(rng: random.Random, table) -> object:
    items, cumulative = table
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


TEAM_TABLE = _weighted(list(v.TEAM_WEIGHTS.items()))
THEME_TABLE = _weighted([(t, t.weight) for t in v.THEMES])
SEVERITY_TABLE = _weighted([("P0", 3), ("P1", 14), ("P2", 41), ("P3", 42)])
# Most incidents start in working hours (deploys, config pushes), but not all.
HOUR_TABLE = _weighted([(h, 3 if 9 <= h <= 17 else 2 if 6 <= h <= 22 else 1) for h in range(24)])
ACTION_COUNT_TABLE = _weighted([(2, 10), (3, 22), (4, 24), (5, 18), (6, 12), (7, 8), (8, 6)])

SEVERITY_SPELLINGS = (
    ("{p}", 62),
    ("**{p}**", 8),
    ("`{p}`", 7),
    ("SEV{n}", 7),
    ("Sev-{n}", 6),
    ("{p} ({word})", 10),
)
SEVERITY_SPELLING_TABLE = _weighted(SEVERITY_SPELLINGS)
# The template's name first, then names real postmortems use for the same section.
SECTION_NAMES = {
    "summary": ("Executive Summary", "Summary", "Issue Summary"),
    "timeline": ("Incident Timeline", "Timeline"),
    "root_cause": ("Root Cause", "Root Cause Analysis"),
    "actions": ("Action Items", "Action items", "Corrective actions", "Remediation"),
    "lessons": ("Lessons Learned", "Lessons learnt"),
}
EXTRA_SECTIONS = ("Customer Communication", "Open Questions", "Glossary", "Cost")
SEVERITY_WORDS = {"P0": "critical", "P1": "high", "P2": "medium", "P3": "low"}


@dataclass(slots=True)
class TimeRow:
    time_text: str
    event: str
    truth: TruthEvent | None
    """None for a placeholder row ('HH:MM') that a parser must skip."""


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
class Plan:
    truth: Truth
    severity_text: str
    status_text: str
    duration_text: str | None
    """None: the line is left out."""
    users_text: str
    last_updated_text: str
    time_header: str
    time_rows: list[TimeRow]
    action_rows: list[ActionRow]
    categorized: list[CategorizedItem]
    detection_tick: str
    front_matter: dict | None
    h1: str
    body_team_line: bool
    prose: dict[str, str] = field(default_factory=dict)
    whys: tuple[str, ...] = ()
    learnings: dict[str, list[str]] = field(default_factory=dict)
    related_lines: list[str] = field(default_factory=list)
    signoffs: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # layout quirks
    crlf: bool = False
    bom: bool = False
    heading_level: str = "##"
    section_names: dict[str, str] = field(default_factory=dict)
    """Sections the authors renamed: key -> heading text (SECTION_NAMES alternatives)."""
    bullet_timeline: bool = False
    bullet_style: int = 0
    outer_pipes: bool = True
    extra_section: str | None = None
    """A custom section the team added (name), or None."""
    dropped_sections: tuple[str, ...] = ()
    """Template sections left out: 'lessons', 'appendix', 'signoff', 'blameless'."""
    actions_before_resolution: bool = False


def _handle(name: str) -> str:
    first, _, last = name.partition(" ")
    return (first[0] + last).lower().replace("á", "a").replace("é", "e")


def _fmt_minutes(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _duration_text(rng: random.Random, minutes: int) -> tuple[str, int]:
    """A way of writing `minutes`, and the value that text really says."""
    hours, mins = divmod(minutes, 60)
    r = rng.random()
    if minutes >= 1440 and r < 0.5:
        days, h = divmod(round(minutes / 60), 24)
        text = f"{days} day{'s' if days > 1 else ''}" + (
            f" {h} hour{'s' if h != 1 else ''}" if h else ""
        )
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


def _users(rng: random.Random, severity: str) -> tuple[str, int | None, float | None]:
    scale = {"P0": 6.0, "P1": 5.0, "P2": 4.0, "P3": 3.0}[severity]
    users = int(10 ** (scale + rng.gauss(0, 0.45)))
    users = max(users, 3)
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


def _due(rng: random.Random, due: date) -> tuple[str, date | None]:
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


def _action_status(rng: random.Random, due: date, as_of: date) -> str:
    """Old actions are mostly done; recent ones mostly open. Open and past due = overdue."""
    days_left = (due - as_of).days
    r = rng.random()
    if days_left < -30:
        return (
            "done" if r < 0.72 else "in_progress" if r < 0.8 else "todo" if r < 0.95 else "wont_do"
        )
    if days_left < 0:
        return (
            "done" if r < 0.45 else "in_progress" if r < 0.75 else "todo" if r < 0.97 else "wont_do"
        )
    return "done" if r < 0.18 else "in_progress" if r < 0.55 else "todo"


STATUS_SPELLINGS = {
    "todo": ("[ ] TODO", "[ ] TODO", "TODO", "Open", ""),
    "in_progress": ("IN PROGRESS", "In progress", "[ ] IN PROGRESS"),
    "done": ("[x] DONE", "[x] DONE", "Done", "✅", "[X] Done"),
    "wont_do": ("Won't fix", "Won't do"),
}


class Drawer:
    """Draws incidents one after another, remembering earlier ones so later ones can link them."""

    def __init__(self, rng: random.Random, start: date, end: date):
        self.rng = rng
        self.start = start
        self.end = end
        self.span_days = max((end - start).days, 1)
        self.earlier_by_theme: dict[str, list[str]] = {}

    # -- the incident ----------------------------------------------------------------------

    def draw(self, incident_id: str, incident_date: date) -> Plan:
        rng = self.rng
        frac = (incident_date - self.start).days / self.span_days
        team = _pick(rng, TEAM_TABLE)
        people = v.PEOPLE[team]
        team_services = v.TEAMS[team]
        services = [rng.choice(team_services)]
        if rng.random() < 0.3:
            other = rng.choice(team_services)
            if other != services[0]:
                services.append(other)
        svc = services[0]
        theme = _pick(rng, THEME_TABLE)
        severity = _pick(rng, SEVERITY_TABLE)
        fill = {
            "svc": svc,
            "dep": rng.choice(v.DEPENDENCIES),
            "region": rng.choice(v.REGIONS),
            "pct": str(rng.randint(12, 60)),
            "team": team,
            "who": rng.choice(people),
            "money": f"${rng.randint(2, 90) * 1000:,}",
        }
        cause_short = rng.choice(theme.title_cause)
        symptom = rng.choice(v.SYMPTOMS)
        title = f"{svc} {symptom} after {cause_short}"
        quirks: list[str] = []

        # Detection: monitoring mostly; customers find a shrinking share as monitoring matures.
        p_customer = 0.32 - 0.22 * frac
        r = rng.random()
        if r < p_customer:
            primary = "customer_report"
        elif r < p_customer + 0.07:
            primary = "internal_user"
        elif r < p_customer + 0.11:
            primary = "automated_test"
        else:
            primary = "automated_monitoring"
        methods = [primary]
        if rng.random() < 0.1:
            methods.append(
                "internal_user" if primary == "automated_monitoring" else "automated_monitoring"
            )

        status = "DRAFT" if rng.random() < 0.18 else "FINAL"
        draft_placeholders = status == "DRAFT" and rng.random() < 0.6
        if draft_placeholders and rng.random() < 0.3:
            methods = []  # nobody ticked a box yet
            quirks.append("detection_unticked")

        # -- timeline, as minute offsets from the start of impact --------------------------
        duration = int(math.exp(rng.gauss(math.log(70), 1.0)))
        duration = min(max(duration, 8), 5 * 1440)
        delay = {
            "automated_monitoring": lambda: int(rng.expovariate(1 / 5)) + 1,
            "customer_report": lambda: rng.randint(15, 200),
            "internal_user": lambda: rng.randint(8, 90),
            "automated_test": lambda: rng.randint(5, 120),
        }[primary]()
        if delay >= duration - 5:
            duration = delay + rng.randint(6, 40)
        has_impact_start = rng.random() < 0.55
        alert_key = {
            "automated_monitoring": "alert_monitoring",
            "customer_report": "alert_customer",
            "internal_user": "alert_internal",
            "automated_test": "alert_test",
        }[primary]
        events: list[tuple[int, str, str]] = []  # (offset, kind, wording key)
        alert_at = delay if has_impact_start else 0
        restored_at = duration if has_impact_start else duration - delay
        if has_impact_start:
            events.append((0, "impact_start", "impact_start"))
        events.append((alert_at, "alert", alert_key))
        span = restored_at - alert_at
        ack_at = alert_at + min(rng.randint(1, 15), max(span // 4, 1))
        if rng.random() < 0.9:
            events.append((ack_at, "acknowledged", "acknowledged"))
        rc_at = ack_at + int((restored_at - ack_at) * rng.uniform(0.2, 0.6))
        if rng.random() < 0.85:
            events.append((rc_at, "root_cause", "root_cause"))
        mit_at = rc_at + int((restored_at - rc_at) * rng.uniform(0.1, 0.7))
        if rng.random() < 0.9:
            events.append((mit_at, "mitigation", "mitigation"))
        events.append((restored_at, "restored", "restored"))
        if rng.random() < 0.8:
            events.append((restored_at + rng.randint(10, 180), "all_clear", "all_clear"))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            events.append((rng.randint(alert_at, restored_at), "other", "other"))
        events.sort(key=lambda e: e[0])
        # Times strictly follow each other in a real timeline; nudge equal offsets apart, but
        # keep the restored row where it is when possible so the written duration is honest.
        fixed: list[tuple[int, str, str]] = []
        last = -1
        for off, kind, key in events:
            off = max(off, last + 1)
            fixed.append((off, kind, key))
            last = off
        events = fixed
        first_off = events[0][0]
        restored_off = next(o for o, k, _ in events if k == "restored")
        alert_off = next(o for o, k, _ in events if k == "alert")
        real_duration = restored_off - first_off

        start_minute = _pick(rng, HOUR_TABLE) * 60 + rng.randint(0, 59)
        local_start = datetime(
            incident_date.year, incident_date.month, incident_date.day
        ) + timedelta(minutes=start_minute)
        total_span = events[-1][0]

        # -- how times are written ----------------------------------------------------------
        zone = UTC
        zone_style = "utc"
        time_header = "Time (UTC)"
        bullet_timeline = rng.random() < 0.15
        r = rng.random()
        # A bullet list has no header to name a zone in, so its times carry the zone themselves.
        if r < 0.08 and not bullet_timeline:
            name, zone = rng.choice(HEADER_ZONES)
            zone_style = "header"
            time_header = f"Time ({name})"
        elif r < 0.14:
            zone = rng.choice(CELL_ZONES)
            zone_style = "cell"
            time_header = "Time"
        if zone is not UTC:
            a = local_start.replace(tzinfo=zone)
            b = (local_start + timedelta(minutes=total_span)).replace(tzinfo=zone)
            if a.utcoffset() != b.utcoffset():  # a DST change inside the incident: keep UTC
                zone, zone_style, time_header = UTC, "utc", "Time (UTC)"
            else:
                quirks.append("zone_" + zone_style)
        offset = -local_start.replace(tzinfo=zone).utcoffset() if zone is not UTC else timedelta(0)
        abbrev = local_start.replace(tzinfo=zone).tzname() if zone_style == "cell" else ""

        multi_day = (start_minute + total_span) >= 1440 and total_span >= 20 * 60
        full_stamps = multi_day or rng.random() < 0.04
        month_day_style = (
            full_stamps
            and rng.random() < 0.3
            and ((local_start + timedelta(minutes=total_span)).year == local_start.year)
        )
        if full_stamps:
            quirks.append("full_timestamps")
        if (start_minute + total_span) >= 1440 and not full_stamps:
            quirks.append("crosses_midnight")

        who = fill["who"]
        fix_short = rng.choice(theme.mitigation).format(**fill)
        time_rows: list[TimeRow] = []
        placeholder_kind = None
        if draft_placeholders and rng.random() < 0.5:
            placeholder_kind = rng.choice(("root_cause", "all_clear"))
        truth_timeline: list[TruthEvent] = []
        for off, kind, key in events:
            local = local_start + timedelta(minutes=off)
            if full_stamps:
                if month_day_style:
                    text = (
                        f"{MONTHS[local.month - 1]} {local.day} {local.hour:02d}:{local.minute:02d}"
                    )
                else:
                    text = f"{local.year}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
            else:
                text = f"{local.hour:02d}:{local.minute:02d}"
            if zone_style == "cell":
                text = f"{text} {abbrev}"
            wording = rng.choice(v.EVENT_WORDING[key]).format(
                svc=svc, cause=cause_short, who=who, fix=fix_short
            )
            if kind == placeholder_kind:
                template_text = {
                    "root_cause": "Root cause identified",
                    "all_clear": "All-clear declared",
                }
                time_rows.append(TimeRow("HH:MM", template_text[kind], None))
                placeholder_kind = None
                quirks.append("placeholder_time")
                continue
            ev = TruthEvent(local + offset, kind, text, wording)
            truth_timeline.append(ev)
            time_rows.append(TimeRow(text, wording, ev))

        # -- impact ---------------------------------------------------------------------------
        duration_missing = rng.random() < 0.12
        if duration_missing:
            first_alert = next(e for e in truth_timeline if e.kind == "alert")
            first_restored = next(e for e in truth_timeline if e.kind == "restored")
            duration_minutes = int(
                (first_restored.occurred_at - first_alert.occurred_at).total_seconds() // 60
            )
            duration_text = (
                "X hours Y minutes" if status == "DRAFT" and rng.random() < 0.5 else None
            )
            quirks.append("duration_placeholder" if duration_text else "duration_missing")
        else:
            duration_text, duration_minutes = _duration_text(rng, real_duration)
        del alert_off

        users_text, users, pct = _users(rng, severity)
        if draft_placeholders and rng.random() < 0.25:
            users_text, users, pct = "N users / X% of traffic", None, None
            quirks.append("placeholder_users")
        data_loss = "None"
        if theme.key == "data_deletion":
            data_loss = "Partial" if rng.random() < 0.8 else "Complete"
        elif theme.key == "database_failover" and rng.random() < 0.3:
            data_loss = "Partial"

        spelling = _pick(rng, SEVERITY_SPELLING_TABLE)
        severity_text = spelling.format(p=severity, n=severity[1], word=SEVERITY_WORDS[severity])
        if spelling != "{p}":
            quirks.append("severity_spelling")
        status_text = status
        r = rng.random()
        if status == "FINAL" and r < 0.12:
            status_text = "Final"
        elif status == "FINAL" and r < 0.2:
            reviewed = incident_date + timedelta(days=rng.randint(3, 20))
            status_text = f"FINAL (reviewed {reviewed.isoformat()})"
        elif status == "DRAFT" and r < 0.2:
            status_text = "Draft"

        last_updated: date | None = min(
            incident_date + timedelta(days=rng.randint(1, 21)), max(self.end, incident_date)
        )
        last_updated_text = last_updated.isoformat()
        if draft_placeholders and rng.random() < 0.4:
            last_updated, last_updated_text = None, "YYYY-MM-DD"
            quirks.append("placeholder_date")

        # -- actions ----------------------------------------------------------------------------
        n_actions = _pick(rng, ACTION_COUNT_TABLE)
        pool = list(theme.actions) + list(v.GENERIC_ACTIONS)
        rng.shuffle(pool)
        chosen = pool[:n_actions]
        spare = pool[n_actions:]
        ai_style = rng.random() < 0.15
        action_rows: list[ActionRow] = []
        truth_actions: list[TruthAction] = []
        categorized: list[CategorizedItem] = []
        descriptions = [d.format(**fill) for _, d in chosen]
        for i, ((category, _), description) in enumerate(zip(chosen, descriptions), start=1):
            action_id = f"AI-{i}" if ai_style else str(i)
            r = rng.random()
            if r < 0.55:
                owner = rng.choice(people)
                owner_text = owner
            elif r < 0.75:
                owner = _handle(rng.choice(people))
                owner_text = "@" + owner
            elif r < 0.9:
                owner = f"{team} team"
                owner_text = owner
            else:
                owner, owner_text = None, ""
            due = incident_date + timedelta(days=rng.randint(5, 120))
            due_text, due_date = _due(rng, due)
            status_value = _action_status(rng, due, self.end)
            status_written = rng.choice(STATUS_SPELLINGS[status_value])
            restated = rng.random() < 0.75
            truth_actions.append(
                TruthAction(
                    action_id,
                    description,
                    owner,
                    due_date,
                    due_text,
                    status_value,
                    category if restated else None,
                )
            )
            action_rows.append(
                ActionRow(action_id, description, owner_text, due_text, status_written)
            )
            if restated:
                categorized.append(
                    CategorizedItem(
                        category,
                        self._restate(description, action_id, descriptions),
                        status_value == "done",
                    )
                )
        if draft_placeholders and rng.random() < 0.5:
            for extra in range(rng.randint(1, 2)):
                n = len(action_rows) + 1
                action_rows.append(
                    ActionRow(f"AI-{n}" if ai_style else str(n), "", "", "", "[ ] TODO")
                )
            quirks.append("placeholder_actions")
        for category, text in spare[: rng.choice((0, 0, 0, 1, 1, 2))]:
            description = text.format(**fill)
            done = rng.random() < 0.3
            truth_actions.append(
                TruthAction(
                    None, description, None, None, None, "done" if done else "todo", category
                )
            )
            categorized.append(CategorizedItem(category, description, done))

        # -- front matter and metadata --------------------------------------------------------
        front_matter = None
        tags = list(theme.tags)
        truth_team: str | None = None
        truth_services: list[str] = []
        truth_tags: list[str] = []
        rcc = None
        body_team_line = False
        if rng.random() < 0.15:
            quirks.append("front_matter")
            front_matter = {
                "id": incident_id,
                "title": title,
                "severity": severity,
                "status": status,
                "date": incident_date.isoformat(),
                "team": team,
                "services": services,
                "tags": tags,
            }
            if rng.random() < 0.5:
                rcc = theme.category
                front_matter["root_cause_category"] = rcc
            truth_team, truth_services, truth_tags = team, list(services), tags
            r = rng.random()
            if r < 0.3:
                severity_text = "[P0 | P1 | P2 | P3]"
                quirks.append("severity_from_front_matter")
            elif r < 0.45:
                # The body was re-graded after review and the front matter forgotten: the body
                # is what the authors last decided, so it is the truth.
                front_matter["severity"] = {"P0": "P1", "P1": "P2", "P2": "P3", "P3": "P2"}[
                    severity
                ]
                quirks.append("front_matter_disagrees")
        elif rng.random() < 0.7:
            body_team_line = True
            truth_team, truth_services = team, list(services)

        # -- related incidents ------------------------------------------------------------------
        earlier = self.earlier_by_theme.setdefault(theme.key, [])
        related: list[str] = []
        related_lines: list[str] = []
        if earlier and rng.random() < 0.3:
            recent = earlier[-8:]
            for ref in sorted(set(rng.sample(recent, min(len(recent), rng.choice((1, 1, 2)))))):
                related.append(ref)
                related_lines.append(
                    f"- {ref}: {rng.choice(theme.title_cause)} on {rng.choice(team_services)}"
                )
        earlier.append(incident_id)

        n_authors = 1 if rng.random() < 0.65 else 2
        authors = rng.sample(people, n_authors)

        truth = Truth(
            incident_id=incident_id,
            title=title,
            status=status,
            authors=authors,
            incident_date=incident_date,
            last_updated=last_updated,
            severity=severity if severity_text != "[P0 | P1 | P2 | P3]" or front_matter else None,
            duration_minutes=duration_minutes,
            duration_derived=duration_missing,
            users_affected=users,
            traffic_pct=pct,
            data_loss=data_loss,
            team=truth_team,
            services=truth_services,
            tags=truth_tags,
            root_cause_category=rcc,
            detection_methods=methods,
            timeline=truth_timeline,
            actions=truth_actions,
            theme=theme.key,
            related=related,
            quirks=(),
            team_of_record=team,
            services_of_record=tuple(services),
        )

        story = rng.randrange(len(theme.what_happened))
        whys = tuple(w.format(**fill) for w in theme.whys[theme.whys_for[story]])
        truth.root_cause = whys[-1]
        prose = {
            "summary": (
                f"On {incident_date.isoformat()}, {svc} was {symptom} for about "
                f"{_humane(real_duration)}. Cause: {cause_short}. "
                f"{rng.choice(theme.immediate_fix).format(**fill)}"
            ),
            "business": rng.choice(v.BUSINESS_IMPACT).format(**fill),
            "data": "No data was lost."
            if data_loss == "None"
            else "Some records had to be restored from backup.",
            "what_happened": theme.what_happened[story].format(**fill),
            "gap": rng.choice(v.DETECTION_GAP),
            "immediate": rng.choice(theme.immediate_fix).format(**fill),
            "permanent": rng.choice(theme.permanent_fix).format(**fill),
        }
        learnings = {
            "went_well": rng.sample(v.WENT_WELL, 2),
            "could_improve": rng.sample(v.COULD_IMPROVE, 2),
            "got_lucky": rng.sample(v.GOT_LUCKY, 1),
            "technical": rng.sample(v.TECH_LESSONS, 1),
            "process": rng.sample(v.PROCESS_LESSONS, 1),
            "cultural": rng.sample(v.CULTURAL_LESSONS, 1),
        }
        signed = status == "FINAL"
        sign_date = (last_updated or incident_date).isoformat()
        signoffs = [
            ("Author", authors[0], sign_date if signed else "", signed),
            ("Reviewer", rng.choice(people), sign_date if signed else "", signed),
            (
                "Engineering Lead",
                rng.choice(v.PEOPLE["Platform"]),
                sign_date if signed else "",
                signed,
            ),
        ]

        h1 = title if rng.random() < 0.6 else f"Incident Postmortem: {title}"
        tick = rng.choice(("[x]", "[x]", "[x]", "[X]", "✅"))

        plan = Plan(
            truth=truth,
            severity_text=severity_text,
            status_text=status_text,
            duration_text=duration_text,
            users_text=users_text,
            last_updated_text=last_updated_text,
            time_header=time_header,
            time_rows=time_rows,
            action_rows=action_rows,
            categorized=categorized,
            detection_tick=tick,
            front_matter=front_matter,
            h1=h1,
            body_team_line=body_team_line,
            prose=prose,
            whys=whys,
            learnings=learnings,
            related_lines=related_lines,
            signoffs=signoffs,
        )
        # layout quirks: each at a realistic rate, independent of the others
        plan.crlf = rng.random() < 0.1
        plan.bom = rng.random() < 0.08
        if rng.random() < 0.12:
            plan.heading_level = "###"
        if rng.random() < 0.15:
            for key, names in SECTION_NAMES.items():
                if rng.random() < 0.6:
                    plan.section_names[key] = rng.choice(names[1:])
        plan.bullet_timeline = bullet_timeline
        plan.bullet_style = rng.randrange(3)
        plan.outer_pipes = rng.random() >= 0.05
        if rng.random() < 0.1:
            plan.extra_section = rng.choice(EXTRA_SECTIONS)
        if rng.random() < 0.12:
            plan.dropped_sections = tuple(
                sorted(
                    rng.sample(("lessons", "appendix", "signoff", "blameless"), rng.randint(1, 3))
                )
            )
        plan.actions_before_resolution = rng.random() < 0.06
        for name, on in (
            ("crlf", plan.crlf),
            ("bom", plan.bom),
            ("heading_level", plan.heading_level != "##"),
            ("renamed_headings", bool(plan.section_names)),
            ("bullet_timeline", plan.bullet_timeline),
            ("no_outer_pipes", not plan.outer_pipes),
            ("ai_ids", ai_style),
            ("body_team_line", body_team_line),
            ("extra_section", plan.extra_section is not None),
            ("dropped_sections", bool(plan.dropped_sections)),
            ("reordered_sections", plan.actions_before_resolution),
        ):
            if on:
                quirks.append(name)
        truth.quirks = tuple(quirks)
        return plan

    def _restate(self, description: str, action_id: str, all_descriptions: list[str]) -> str:
        """How the categorized lists repeat a table action: by reference, shortened, or verbatim."""
        rng = self.rng
        r = rng.random()
        ref = f"(AI-{action_id[3:]})" if action_id.startswith("AI-") else f"#{action_id}"
        if r < 0.3:
            return f"{ref} {_shorten(description)}" if rng.random() < 0.5 else ref
        if r < 0.55:
            return (
                f"{_shorten(description)} ({ref.strip('()')})"
                if ref.startswith("(")
                else f"{_shorten(description)} ({ref})"
            )
        if r < 0.75:
            short = _shorten(description)
            if not any(d != description and d.startswith(short) for d in all_descriptions):
                return short
        return description


_DANGLING = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with"]
)


def _shorten(description: str) -> str:
    """The first two thirds of an action, as people abbreviate it when they list it again."""
    words = description.split()
    keep = words[: max(4, len(words) * 2 // 3)]
    while len(keep) > 3 and keep[-1].lower() in _DANGLING:
        keep.pop()
    return " ".join(keep)


def _humane(minutes: int) -> str:
    if minutes < 90:
        return f"{minutes} minutes"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} hours"
    return f"{round(minutes / 1440)} days"
