"""Field rules for the body: prose sections, whys and root cause, the timeline and its
milestones, detection, actions, lessons, related incidents and sign-offs."""

from __future__ import annotations

from pipeline.model import KIND_COLUMNS
from pipeline.parse.actions import ActionCollector, extract_actions, is_stray_action_table
from pipeline.parse.checklists import extract_detection, extract_related, extract_signoffs
from pipeline.parse.completeness import completeness
from pipeline.parse.dates import instant, parse_stamp
from pipeline.parse.header_rules import WINDOW_END_KEYS, WINDOW_START_KEYS
from pipeline.parse.kinds import assign_kinds
from pipeline.parse.learnings import KEY_TO_KIND, LearningCollector
from pipeline.parse.prose_duration import find_clock_window, find_prose_duration
from pipeline.parse.reading import Reading, joined_text
from pipeline.parse.resolver import fm_get
from pipeline.parse.sections import labelled_sections
from pipeline.parse.text import clean_inline
from pipeline.parse.timeline import extract_timeline
from pipeline.parse.whys import extract_whys
from pipeline.parse.zones import find_zone_note

_NOT_STRAY = frozenset({"actions", "categorized_actions", "timeline", "signoff", "appendix"})
_ZONE_NEEDLES = ("all times", "times are", "times in", "time zone", "timezone", "time (")


def read_prose(r: Reading) -> None:
    inc = r.inc
    fm_summary = fm_get(r.fm, "summary", "description")
    inc.summary = (
        r.prose("summary", "The summary")
        or r.meta_text("summary")
        or (clean_inline(str(fm_summary)) if fm_summary is not None else None)
    )
    inc.business_impact = (
        r.prose("business_impact", "The business impact")
        or r.prose("impact", "The impact")
        or r.meta_text("impact")
    )
    inc.data_impact = r.prose("data_impact", "The data impact")
    inc.what_happened = r.prose("what_happened", "What happened") or r.meta_text("trigger")
    root_prose = r.prose("root_cause", "The root cause") or r.meta_text("root_cause")
    if root_prose is None:
        # the template's "What Happened?" sits under "Root Cause": "Detailed technical
        # explanation of the root cause"; a top-level "What happened" narrative does not count
        under_root = [s for s in r.sections_of("what_happened") if s.has_ancestor({"root_cause"})]
        root_prose = joined_text(under_root)[0]
    r.scratch["root_prose"] = root_prose
    inc.detection_gap = r.prose("detection_gap", "The detection gap")
    inc.immediate_fix = (
        r.prose("immediate_fix", "The immediate fix")
        or r.meta_text("immediate_fix")
        or r.prose("resolution", "The resolution")
        or r.meta_text("resolution")
    )
    inc.permanent_fix = r.prose("permanent_fix", "The permanent fix") or r.meta_text(
        "permanent_fix"
    )


def read_whys(r: Reading) -> None:
    """The whys, and the root cause: the why marked root cause, else the last why, else the
    root-cause prose."""
    why_blocks = [b for s in r.sections_of("whys") for b in s.tree_blocks()]
    whys = r.doc.whys = extract_whys(why_blocks, r.log)
    marked = [w for w in whys if w.is_root_cause]
    r.inc.root_cause = (
        marked[0].text if marked else (whys[-1].text if whys else r.scratch["root_prose"])
    )


def read_timeline(r: Reading) -> None:
    sections = r.sections_of("timeline") or labelled_sections(r.root, "timeline")
    r.doc.timeline = extract_timeline(sections, r.hint, _document_zone(r.body), r.log)


def read_kinds(r: Reading) -> None:
    assign_kinds(r.doc.timeline)


def date_from_timeline(r: Reading) -> None:
    """With no date anywhere else, the day of the first timed event as the document writes it
    (local, not the UTC day: an evening in PST is the next day in UTC)."""
    if r.inc.incident_date is not None:
        return
    for event in r.doc.timeline:
        if event.occurred_at is not None:
            stamp = parse_stamp(event.time_text, r.hint)
            if stamp is not None and stamp.date is not None:
                r.inc.incident_date = stamp.date
            else:
                r.inc.incident_date = event.occurred_at.date()
            return


def set_milestones(r: Reading) -> None:
    """Each `*_at` column: the earliest time among the timeline rows of its kind."""
    inc = r.inc
    for event in r.doc.timeline:
        column = KIND_COLUMNS.get(event.kind)
        if column and event.occurred_at is not None:
            current = getattr(inc, column)
            if current is None or event.occurred_at < current:
                setattr(inc, column, event.occurred_at)


def derive_duration(r: Reading) -> None:
    """A duration that was not written as a field: one told in the prose, else the window the
    front matter states (start and end keys), else a window of clock times the prose tells of
    the outage, else impact start (or, without one, the first alert) to restored. Only when both
    ends are known and in order: a timeline also holds early warnings and follow-up work, so
    its first to last row is never the duration; NULL is better than wrong."""
    inc = r.inc
    if inc.duration_minutes is not None:
        return
    timeline = _timeline_duration(inc)
    told = find_prose_duration(r.root)
    if told is not None:
        # "about 3 hours" is the timeline's 2 h 35 min rounded: the exact figure is the reading
        if timeline is not None and abs(timeline - told.minutes) <= told.rounding:
            inc.duration_minutes, inc.duration_derived = timeline, "timeline"
        else:
            inc.duration_minutes, inc.duration_derived = told.minutes, "prose"
            inc.duration_evidence = f'line {told.line}: "{told.words}"'
        return
    window = front_matter_window(r)
    if window is not None:
        inc.duration_minutes, inc.duration_derived = window, "front_matter"
        inc.duration_evidence = _window_words(r)
        return
    window = find_clock_window(r.root)
    if window is not None:
        inc.duration_minutes, inc.duration_derived = window.minutes, "prose"
        inc.duration_evidence = f'line {window.line}: "{window.words}"'
        return
    if timeline is not None:
        inc.duration_minutes, inc.duration_derived = timeline, "timeline"


def _window_words(r: Reading) -> str:
    """'start_time 2026-03-07 21:41:00+00:00, end_time 2026-03-08 01:07:00+00:00'."""
    said = []
    for keys in (WINDOW_START_KEYS, WINDOW_END_KEYS):
        key = next(k for k in keys if fm_get(r.fm, k) is not None)
        said.append(f"{key} {r.fm[key]}")
    return ", ".join(said)[:200]


def _timeline_duration(inc) -> int | None:
    """Impact start (or the first alert) to restored, when both are known and in order."""
    start = inc.impact_started_at or inc.detected_at
    end = inc.restored_at
    if start is not None and end is not None and end >= start:
        return int((end - start).total_seconds() // 60)
    return None


def front_matter_window(r: Reading) -> int | None:
    """Minutes between the front matter's start and end (`start_time`/`end_time`,
    `started_at`/`resolved_at`, `start`/`end`...), with their zones or offsets."""
    raw_start = fm_get(r.fm, *WINDOW_START_KEYS)
    raw_end = fm_get(r.fm, *WINDOW_END_KEYS)
    if raw_start is None or raw_end is None:
        return None
    start, end = instant(raw_start, r.hint), instant(raw_end, r.hint)
    if start is None or end is None:
        return None
    if end < start:
        r.log.add(
            "unreadable_duration",
            f"The front matter's window ends ({raw_end}) before it starts ({raw_start}); "
            "no duration taken from it.",
            1,
        )
        return None
    return int((end - start).total_seconds() // 60)


def read_detection(r: Reading) -> None:
    r.doc.detection_methods = extract_detection(
        (b for s in r.sections_of("detection") for b in s.tree_blocks()), r.log
    )


def read_actions(r: Reading) -> None:
    stray = [
        b
        for sec in r.root.walk()
        if sec.key not in _NOT_STRAY and not sec.has_ancestor(_NOT_STRAY)
        for b in sec.blocks
        if b.kind == "table" and is_stray_action_table(b)
    ]
    action_sections = r.sections_of("actions") or labelled_sections(r.root, "actions")
    r.doc.actions = extract_actions(
        action_sections, r.sections_of("categorized_actions"), r.hint, r.log, stray
    )


def read_learnings(r: Reading) -> None:
    learn = LearningCollector(r.log)
    for key, kind in KEY_TO_KIND.items():
        for s in r.sections_of(key):
            learn.section(kind, s.tree_blocks(), s.value, s.line)
    r.doc.learnings = learn.items
    if learn.status_items:  # "**DONE**: added monitoring" written among the lessons
        col = ActionCollector(r.hint, r.log)
        for item_text, line in learn.status_items:
            col.bullet(item_text, None, line, None)
        r.doc.actions.extend(col.actions)


def read_related(r: Reading) -> None:
    r.doc.related_incidents = extract_related(
        (b for s in r.sections_of("related") for b in s.tree_blocks()), r.log
    )


def read_signoffs(r: Reading) -> None:
    r.doc.signoffs = extract_signoffs(
        (b for s in r.sections_of("signoff") for b in s.tree_blocks()), r.hint, r.log
    )


def measure_completeness(r: Reading) -> None:
    r.inc.completeness = completeness(r.doc)


def _document_zone(body: str) -> str | None:
    low = body.lower()
    for needle in _ZONE_NEEDLES:
        pos = low.find(needle)
        while pos >= 0:
            start = body.rfind("\n", 0, pos) + 1
            end = body.find("\n", pos)
            z = find_zone_note(body[start : end if end >= 0 else len(body)])
            if z:
                return z
            pos = low.find(needle, pos + 1)
    return None
