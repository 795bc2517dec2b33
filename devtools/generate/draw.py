"""Draw one incident: what happened, and how its author chose to write it down.

Everything random is decided here (and in the `timeline`, `actions` and `wording` helpers it
calls), from one `random.Random`, so a seed fixes the corpus. The result is a `Plan`: the
`Truth` a parser must recover, plus the exact written forms (time cells, duration text,
severity spelling...) and the prose the renderer lays out. Values that depend on how
something is written (an 'approx. 6 hours' duration, a 'Q1 2027' due date, a placeholder left
in a draft) are settled here too, so the truth always matches the text.

The order of the random draws is part of the output: reordering them changes every corpus
(tests/test_generate.py checks the committed demo corpus against the generator).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from devtools.generate import vocabulary as v
from devtools.generate.actions import ActionRow, CategorizedItem, draw_actions
from devtools.generate.timeline import TimeRow, draw_offsets, write_timeline
from devtools.generate.truth import Truth
from devtools.generate.wording import (
    SEVERITY_PLACEHOLDER,
    duration_text,
    humane_duration,
    pick,
    severity_text,
    users_text,
    weighted,
)

TEAM_TABLE = weighted(list(v.TEAM_WEIGHTS.items()))
THEME_TABLE = weighted([(t, t.weight) for t in v.THEMES])
SEVERITY_TABLE = weighted([("P0", 3), ("P1", 14), ("P2", 41), ("P3", 42)])
# The template's name first, then names real postmortems use for the same section.
SECTION_NAMES = {
    "summary": ("Executive Summary", "Summary", "Issue Summary"),
    "timeline": ("Incident Timeline", "Timeline"),
    "root_cause": ("Root Cause", "Root Cause Analysis"),
    "actions": ("Action Items", "Action items", "Corrective actions", "Remediation"),
    "lessons": ("Lessons Learned", "Lessons learnt"),
}
EXTRA_SECTIONS = ("Customer Communication", "Open Questions", "Glossary", "Cost")
DROPPABLE_SECTIONS = ("lessons", "appendix", "signoff", "blameless")
REGRADED = {"P0": "P1", "P1": "P2", "P2": "P3", "P3": "P2"}

__all__ = ["SECTION_NAMES", "ActionRow", "CategorizedItem", "Drawer", "Plan", "TimeRow"]


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


@dataclass(slots=True)
class _Facts:
    """What happened, before anyone wrote it down."""

    incident_id: str
    incident_date: date
    team: str
    services: list[str]
    theme: v.Theme
    severity: str
    fill: dict[str, str]
    """Values for the vocabulary's {placeholders}."""
    cause: str
    symptom: str

    @property
    def title(self) -> str:
        return f"{self.services[0]} {self.symptom} after {self.cause}"


class Drawer:
    """Draws incidents one after another, remembering earlier ones so later ones can link them."""

    def __init__(self, rng: random.Random, start: date, end: date):
        self.rng = rng
        self.start = start
        self.end = end
        self.span_days = max((end - start).days, 1)
        self.earlier_by_theme: dict[str, list[str]] = {}

    def draw(self, incident_id: str, incident_date: date) -> Plan:
        rng = self.rng
        facts = self._facts(incident_id, incident_date)
        quirks: list[str] = []
        methods, detected_by = self._detection(incident_date)
        status = "DRAFT" if rng.random() < 0.18 else "FINAL"
        placeholders = status == "DRAFT" and rng.random() < 0.6
        if placeholders and rng.random() < 0.3:
            methods = []  # nobody ticked a box yet
            quirks.append("detection_unticked")

        offsets = draw_offsets(rng, detected_by)
        wording = {
            "svc": facts.services[0],
            "cause": facts.cause,
            "who": facts.fill["who"],
            "fixes": facts.theme.mitigation,
            "fill": facts.fill,
        }
        timeline = write_timeline(rng, offsets, incident_date, wording, placeholders)
        quirks += timeline.quirks

        # -- impact, severity, status, dates -----------------------------------------------------
        duration_missing = rng.random() < 0.12
        if duration_missing:
            # A careful reader's duration: impact start (else the first alert) to restored.
            start = next(e for e in timeline.truth if e.kind in ("impact_start", "alert"))
            first_restored = next(e for e in timeline.truth if e.kind == "restored")
            gap = first_restored.occurred_at - start.occurred_at
            duration_minutes = int(gap.total_seconds() // 60)
            written_duration = (
                "X hours Y minutes" if status == "DRAFT" and rng.random() < 0.5 else None
            )
            quirks.append("duration_placeholder" if written_duration else "duration_missing")
        else:
            written_duration, duration_minutes = duration_text(rng, offsets.real_duration)

        written_users, users, pct = users_text(rng, facts.severity)
        if placeholders and rng.random() < 0.25:
            written_users, users, pct = "N users / X% of traffic", None, None
            quirks.append("placeholder_users")
        data_loss = self._data_loss(facts.theme)

        written_severity = severity_text(rng, facts.severity)
        if written_severity != facts.severity:
            quirks.append("severity_spelling")
        written_status = self._status_text(status, incident_date)

        last_updated: date | None = min(
            incident_date + timedelta(days=rng.randint(1, 21)), max(self.end, incident_date)
        )
        written_last_updated = last_updated.isoformat()
        if placeholders and rng.random() < 0.4:
            last_updated, written_last_updated = None, "YYYY-MM-DD"
            quirks.append("placeholder_date")

        actions = draw_actions(
            rng, facts.theme, facts.team, facts.fill, incident_date, self.end, placeholders
        )
        quirks += actions.quirks

        # -- front matter or team lines --------------------------------------------------------
        front_matter = None
        truth_team: str | None = None
        truth_services: list[str] = []
        truth_tags: list[str] = []
        pinned_category = None
        body_team_line = False
        if rng.random() < 0.15:
            quirks.append("front_matter")
            front_matter = {
                "id": incident_id,
                "title": facts.title,
                "severity": facts.severity,
                "status": status,
                "date": incident_date.isoformat(),
                "team": facts.team,
                "services": facts.services,
                "tags": list(facts.theme.tags),
            }
            if rng.random() < 0.5:
                pinned_category = facts.theme.category
                front_matter["root_cause_category"] = pinned_category
            truth_team, truth_services = facts.team, list(facts.services)
            truth_tags = list(facts.theme.tags)
            r = rng.random()
            if r < 0.3:
                written_severity = SEVERITY_PLACEHOLDER  # the front matter fills it in
                quirks.append("severity_from_front_matter")
            elif r < 0.45:
                # The body was re-graded after review and the front matter forgotten: the body
                # is what the authors last decided, so it is the truth.
                front_matter["severity"] = REGRADED[facts.severity]
                quirks.append("front_matter_disagrees")
        elif rng.random() < 0.7:
            body_team_line = True
            truth_team, truth_services = facts.team, list(facts.services)

        related, related_lines = self._related(facts)
        authors = rng.sample(v.PEOPLE[facts.team], 1 if rng.random() < 0.65 else 2)

        truth = Truth(
            incident_id=incident_id,
            title=facts.title,
            status=status,
            authors=authors,
            incident_date=incident_date,
            last_updated=last_updated,
            severity=facts.severity,
            duration_minutes=duration_minutes,
            duration_derived="timeline" if duration_missing else None,
            users_affected=users,
            traffic_pct=pct,
            data_loss=data_loss,
            team=truth_team,
            services=truth_services,
            tags=truth_tags,
            root_cause_category=pinned_category,
            detection_methods=methods,
            timeline=timeline.truth,
            actions=actions.truth,
            theme=facts.theme.key,
            related=related,
            team_of_record=facts.team,
            services_of_record=tuple(facts.services),
        )
        plan = Plan(
            truth=truth,
            severity_text=written_severity,
            status_text=written_status,
            duration_text=written_duration,
            users_text=written_users,
            last_updated_text=written_last_updated,
            time_header=timeline.header,
            time_rows=timeline.rows,
            action_rows=actions.rows,
            categorized=actions.categorized,
            detection_tick="",
            front_matter=front_matter,
            h1="",
            body_team_line=body_team_line,
            related_lines=related_lines,
            bullet_timeline=timeline.bullets,
        )
        self._prose(plan, facts, offsets.real_duration)
        self._layout(plan)
        for name, on in (
            ("crlf", plan.crlf),
            ("bom", plan.bom),
            ("heading_level", plan.heading_level != "##"),
            ("renamed_headings", bool(plan.section_names)),
            ("bullet_timeline", plan.bullet_timeline),
            ("no_outer_pipes", not plan.outer_pipes),
            ("body_team_line", body_team_line),
            ("extra_section", plan.extra_section is not None),
            ("dropped_sections", bool(plan.dropped_sections)),
            ("reordered_sections", plan.actions_before_resolution),
        ):
            if on:
                quirks.append(name)
        truth.quirks = tuple(quirks)
        return plan

    # -- pieces, in the order they draw from the RNG ------------------------------------------

    def _facts(self, incident_id: str, incident_date: date) -> _Facts:
        rng = self.rng
        team = pick(rng, TEAM_TABLE)
        team_services = v.TEAMS[team]
        services = [rng.choice(team_services)]
        if rng.random() < 0.3:
            other = rng.choice(team_services)
            if other != services[0]:
                services.append(other)
        theme = pick(rng, THEME_TABLE)
        severity = pick(rng, SEVERITY_TABLE)
        fill = {
            "svc": services[0],
            "dep": rng.choice(v.DEPENDENCIES),
            "region": rng.choice(v.REGIONS),
            "pct": str(rng.randint(12, 60)),
            "team": team,
            "who": rng.choice(v.PEOPLE[team]),
            "money": f"${rng.randint(2, 90) * 1000:,}",
        }
        cause = rng.choice(theme.title_cause)
        symptom = rng.choice(v.SYMPTOMS)
        return _Facts(
            incident_id, incident_date, team, services, theme, severity, fill, cause, symptom
        )

    def _detection(self, incident_date: date) -> tuple[list[str], str]:
        """Monitoring finds most incidents; customers a share that shrinks as monitoring matures."""
        rng = self.rng
        frac = (incident_date - self.start).days / self.span_days
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
            also = "internal_user" if primary == "automated_monitoring" else "automated_monitoring"
            methods.append(also)
        return methods, primary

    def _data_loss(self, theme: v.Theme) -> str:
        if theme.key == "data_deletion":
            return "Partial" if self.rng.random() < 0.8 else "Complete"
        if theme.key == "database_failover" and self.rng.random() < 0.3:
            return "Partial"
        return "None"

    def _status_text(self, status: str, incident_date: date) -> str:
        rng = self.rng
        r = rng.random()
        if status == "FINAL" and r < 0.12:
            return "Final"
        if status == "FINAL" and r < 0.2:
            reviewed = incident_date + timedelta(days=rng.randint(3, 20))
            return f"FINAL (reviewed {reviewed.isoformat()})"
        if status == "DRAFT" and r < 0.2:
            return "Draft"
        return status

    def _related(self, facts: _Facts) -> tuple[list[str], list[str]]:
        """Sometimes link recent earlier incidents of the same theme (ids, and the list lines)."""
        rng = self.rng
        earlier = self.earlier_by_theme.setdefault(facts.theme.key, [])
        related: list[str] = []
        lines: list[str] = []
        if earlier and rng.random() < 0.3:
            recent = earlier[-8:]
            for ref in sorted(set(rng.sample(recent, min(len(recent), rng.choice((1, 1, 2)))))):
                related.append(ref)
                cause = rng.choice(facts.theme.title_cause)
                lines.append(f"- {ref}: {cause} on {rng.choice(v.TEAMS[facts.team])}")
        earlier.append(facts.incident_id)
        return related, lines

    def _prose(self, plan: Plan, facts: _Facts, real_duration: int) -> None:
        """The sections nobody measures but everybody reads: whys, summary, lessons, sign-off."""
        rng = self.rng
        theme, fill, truth = facts.theme, facts.fill, plan.truth
        story = rng.randrange(len(theme.what_happened))
        plan.whys = tuple(w.format(**fill) for w in theme.whys[theme.whys_for[story]])
        truth.root_cause = plan.whys[-1]
        plan.prose = {
            "summary": (
                f"On {facts.incident_date.isoformat()}, {facts.services[0]} was {facts.symptom} "
                f"for about {humane_duration(real_duration)}. Cause: {facts.cause}. "
                f"{rng.choice(theme.immediate_fix).format(**fill)}"
            ),
            "business": rng.choice(v.BUSINESS_IMPACT).format(**fill),
            "data": "No data was lost."
            if truth.data_loss == "None"
            else "Some records had to be restored from backup.",
            "what_happened": theme.what_happened[story].format(**fill),
            "gap": rng.choice(v.DETECTION_GAP),
            "immediate": rng.choice(theme.immediate_fix).format(**fill),
            "permanent": rng.choice(theme.permanent_fix).format(**fill),
        }
        plan.learnings = {
            "went_well": rng.sample(v.WENT_WELL, 2),
            "could_improve": rng.sample(v.COULD_IMPROVE, 2),
            "got_lucky": rng.sample(v.GOT_LUCKY, 1),
            "technical": rng.sample(v.TECH_LESSONS, 1),
            "process": rng.sample(v.PROCESS_LESSONS, 1),
            "cultural": rng.sample(v.CULTURAL_LESSONS, 1),
        }
        signed = truth.status == "FINAL"
        sign_date = (truth.last_updated or facts.incident_date).isoformat() if signed else ""
        plan.signoffs = [
            ("Author", truth.authors[0], sign_date, signed),
            ("Reviewer", rng.choice(v.PEOPLE[facts.team]), sign_date, signed),
            ("Engineering Lead", rng.choice(v.PEOPLE["Platform"]), sign_date, signed),
        ]
        plan.h1 = facts.title if rng.random() < 0.6 else f"Incident Postmortem: {facts.title}"
        plan.detection_tick = rng.choice(("[x]", "[x]", "[x]", "[X]", "✅"))

    def _layout(self, plan: Plan) -> None:
        """Layout quirks, each at a realistic rate, independent of the others."""
        rng = self.rng
        plan.crlf = rng.random() < 0.1
        plan.bom = rng.random() < 0.08
        if rng.random() < 0.12:
            plan.heading_level = "###"
        if rng.random() < 0.15:
            for key, names in SECTION_NAMES.items():
                if rng.random() < 0.6:
                    plan.section_names[key] = rng.choice(names[1:])
        plan.bullet_style = rng.randrange(3)
        plan.outer_pipes = rng.random() >= 0.05
        if rng.random() < 0.1:
            plan.extra_section = rng.choice(EXTRA_SECTIONS)
        if rng.random() < 0.12:
            dropped = rng.sample(DROPPABLE_SECTIONS, rng.randint(1, 3))
            plan.dropped_sections = tuple(sorted(dropped))
        plan.actions_before_resolution = rng.random() < 0.06
