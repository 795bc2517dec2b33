"""Lay a drawn incident out as a Markdown postmortem in the shape of shared/TEMPLATE.md.

Pure: every choice was made when the incident was drawn (draw.Plan), so the same plan always
gives the same bytes. Layout quirks (heading level, renamed headings, bullet timelines, tables
without outer pipes, CRLF, BOM) are applied here as the plan says.
"""

from __future__ import annotations

from devtools.generate.draw import SECTION_NAMES, Plan

CATEGORY_HEADINGS = (
    ("prevention", "**Prevention** (Stop it happening)"),
    ("detection", "**Detection** (Find it faster)"),
    ("response", "**Response** (Fix it faster)"),
    ("recovery", "**Recovery** (Recover faster)"),
)
DETECTION_LABELS = (
    ("automated_monitoring", "Automated monitoring"),
    ("customer_report", "Customer report"),
    ("internal_user", "Internal user"),
    ("automated_test", "Automated test"),
)
EXTRA_SECTION_TEXT = {
    "Customer Communication": "Support sent two updates by email; the status page carried the rest.",
    "Open Questions": "- Should this service page the owning team directly?",
    "Glossary": "- **SLO**: service level objective",
    "Cost": "Extra compute during recovery cost roughly $1,200.",
}
BULLET_FORMATS = ("- {t} — {e}", "- **{t}** - {e}", "* {t} – {e}")


def _row(cells: list[str], outer: bool = True) -> str:
    inner = " | ".join(cells)
    return f"| {inner} |" if outer else inner


def render(plan: Plan) -> str:
    t = plan.truth
    h2 = plan.heading_level
    h3 = "###" if h2 == "##" else "####"

    def name(key: str) -> str:
        return plan.section_names.get(key) or SECTION_NAMES[key][0]

    # Each section is its own chunk of lines, so the plan can drop, add or reorder sections.
    chunks: list[tuple[str, list[str]]] = []

    def start(key: str):
        lines: list[str] = []
        chunks.append((key, lines))
        return lines.append

    add = start("header")
    if plan.front_matter is not None:
        fm = plan.front_matter
        add("---")
        add(f"id: {fm['id']}")
        add(f'title: "{fm["title"]}"')
        add(f"severity: {fm['severity']}")
        add(f"status: {fm['status']}")
        add(f"date: {fm['date']}")
        add(f"team: {fm['team']}")
        add(f"services: [{', '.join(fm['services'])}]")
        add(f"tags: [{', '.join(fm['tags'])}]")
        if "root_cause_category" in fm:
            add(f"root_cause_category: {fm['root_cause_category']}")
        add("---")
        add("")

    add(f"# {plan.h1}")
    add("")
    add(f"**Incident ID:** {t.incident_id}")
    add(f"**Status:** {plan.status_text}")
    add(f"**Author(s):** {', '.join(t.authors)}")
    add(f"**Date:** {t.incident_date.isoformat()}")
    add(f"**Last Updated:** {plan.last_updated_text}")
    if plan.body_team_line:
        add(f"**Team:** {t.team}")
        add(f"**Services:** {', '.join(t.services)}")
    add("")
    add("---")
    add("")
    add = start("summary")
    add(f"{h2} {name('summary')}")
    add("")
    add(plan.prose["summary"])
    add("")
    add("---")
    add("")

    add = start("timeline")
    add(f"{h2} {name('timeline')}")
    add("")
    if plan.bullet_timeline:
        fmt = BULLET_FORMATS[plan.bullet_style]
        for row in plan.time_rows:
            add(fmt.format(t=row.time_text, e=row.event))
    else:
        outer = plan.outer_pipes
        add(_row([plan.time_header, "Event"], outer))
        add(_row(["------------", "-------"], outer))
        for row in plan.time_rows:
            add(_row([row.time_text, row.event], outer))
    add("")
    add("---")
    add("")

    add = start("impact")
    add(f"{h2} Impact")
    add("")
    add(f"{h3} User Impact")
    if plan.duration_text is not None:
        add(f"- **Duration:** {plan.duration_text}")
    add(f"- **Users Affected:** {plan.users_text}")
    add(f"- **Severity:** {plan.severity_text}")
    add("")
    add(f"{h3} Business Impact")
    add(f"- {plan.prose['business']}")
    add("")
    add(f"{h3} Data Impact")
    add(f"- {plan.prose['data']}")
    add(f"- **Data Loss:** {t.data_loss}")
    add("")
    add("---")
    add("")

    add = start("root_cause")
    add(f"{h2} {name('root_cause')}")
    add("")
    add(f"{h3} What Happened?")
    add(plan.prose["what_happened"])
    add("")
    add(f"{h3} Why Did It Happen?")
    add("")
    for level, why in enumerate(plan.whys, start=1):
        marker = " (Root Cause)" if level == 5 else ""
        add(f"{level}. **Why?**{marker} {why}")
    add("")
    add("---")
    add("")

    add = start("detection")
    add(f"{h2} Detection")
    add("")
    add(f"{h3} How Was It Detected?")
    methods = t.detection_methods
    for key, label in DETECTION_LABELS:
        add(f"- {plan.detection_tick if key in methods else '[ ]'} {label}")
    add("")
    add(f"{h3} Detection Gap")
    add(plan.prose["gap"])
    add("")
    add("---")
    add("")

    add = start("response")
    add(f"{h2} Response")
    add("")
    _numbered_lists(
        add,
        h3,
        plan.learnings,
        (
            ("What Went Well", "went_well"),
            ("What Could Be Improved", "could_improve"),
            ("Where We Got Lucky", "got_lucky"),
        ),
    )
    add("---")
    add("")

    add = start("resolution")
    add(f"{h2} Resolution")
    add("")
    add(f"{h3} Immediate Fix")
    add(plan.prose["immediate"])
    add("")
    add(f"{h3} Permanent Fix")
    add(plan.prose["permanent"])
    add("")
    add("---")
    add("")

    add = start("actions")
    add(f"{h2} {name('actions')}")
    add("")
    add(_row(["ID", "Action", "Owner", "Due Date", "Status"]))
    add(_row(["----", "--------", "-------", "----------", "--------"]))
    for a in plan.action_rows:
        add(
            _row([a.id_text, a.description, a.owner_text, a.due_text, a.status_text]).replace(
                "  ", " "
            )
        )
    add("")
    add(f"{h3} Categorized Actions")
    add("")
    leave_blanks = "placeholder_actions" in t.quirks
    for category, heading in CATEGORY_HEADINGS:
        items = [c for c in plan.categorized if c.category == category]
        if not items and not leave_blanks:
            continue
        add(heading)
        for item in items:
            add(f"- {'[x]' if item.checked else '[ ]'} {item.text}")
        if not items:
            add("- [ ] ")
        add("")
    add("---")
    add("")

    add = start("lessons")
    add(f"{h2} {name('lessons')}")
    add("")
    _numbered_lists(
        add,
        h3,
        plan.learnings,
        (
            ("Technical Lessons", "technical"),
            ("Process Lessons", "process"),
            ("Cultural Lessons", "cultural"),
        ),
    )
    add("---")
    add("")

    add = start("related")
    add(f"{h2} Related Incidents")
    add("")
    if plan.related_lines:
        for line in plan.related_lines:
            add(line)
    else:
        add("- None")
    add("")
    add("---")
    add("")

    add = start("appendix")
    add(f"{h2} Appendix")
    add("")
    add(f"{h3} Logs")
    add("")
    add("```")
    add("# Relevant log snippets")
    first = t.timeline[0].time_text if t.timeline else "00:00"
    add(f"{first} ERROR {t.services_of_record[0]} upstream request failed (attempt 3/3)")
    add("```")
    add("")
    add("---")
    add("")

    add = start("signoff")
    add(f"{h2} Sign-Off")
    add("")
    add(_row(["Role", "Name", "Date", "Approved"]))
    add(_row(["------", "------", "------", "----------"]))
    for role, person, signed_on, approved in plan.signoffs:
        add(_row([role, person, signed_on, "[x]" if approved else "[ ]"]))
    add("")
    add("---")
    add("")
    add = start("blameless")
    add(f"{h2} Blameless Culture Reminder")
    add("")
    add("> This postmortem is a learning document, not a blame assignment. ")
    add("> We focus on systemic improvements, not individual failures.")
    add("> Our goal is to make systems more resilient, not to punish humans.")
    add("")
    add("---")
    add("")
    add = start("footer")
    add("*Template Version: 1.0.0 | Last Updated: 2026-01-13*")
    add("")

    if plan.extra_section is not None:
        extra = [
            f"{h2} {plan.extra_section}",
            "",
            EXTRA_SECTION_TEXT[plan.extra_section],
            "",
            "---",
            "",
        ]
        at = next(i for i, (key, _) in enumerate(chunks) if key == "related")
        chunks.insert(at, ("extra", extra))
    if plan.actions_before_resolution:
        keys = [key for key, _ in chunks]
        actions = chunks.pop(keys.index("actions"))
        chunks.insert(keys.index("resolution"), actions)
    out: list[str] = []
    for key, lines in chunks:
        if key not in plan.dropped_sections:
            out.extend(lines)
    text = "\n".join(out)
    if plan.crlf:
        text = text.replace("\n", "\r\n")
    if plan.bom:
        text = "\ufeff" + text
    return text


def _numbered_lists(add, h3: str, learnings: dict, sections) -> None:
    """One H3 per (heading, key) with that key's items as a numbered list."""
    for heading, key in sections:
        add(f"{h3} {heading}")
        for i, text in enumerate(learnings[key], start=1):
            add(f"{i}. {text}")
        add("")
