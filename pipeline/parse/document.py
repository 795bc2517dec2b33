"""Put the pieces together: front matter, blocks, sections, fields, lists, completeness."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pipeline.model import KIND_COLUMNS, Incident, ParsedDocument
from pipeline.parse.actions import ActionCollector, extract_actions, is_stray_action_table
from pipeline.parse.blocks import scan_blocks
from pipeline.parse.checklists import extract_detection, extract_related, extract_signoffs
from pipeline.parse.completeness import completeness
from pipeline.parse.dates import DateHint, find_zone_note, match_date, numeric_order, parse_stamp
from pipeline.parse.fields import (
    UNKNOWN_WORDS,
    parse_data_loss,
    parse_duration,
    parse_severity,
    parse_status,
    parse_users,
    split_list,
)  # fmt: skip
from pipeline.parse.front_matter import NOT_FRONT_MATTER, load_front_matter, split_front_matter
from pipeline.parse.learnings import KEY_TO_KIND, LearningCollector
from pipeline.parse.metadata import LABELS, Metadata, collect_metadata
from pipeline.parse.problems import ProblemLog
from pipeline.parse.prose import section_text
from pipeline.parse.sections import Section, build_sections, index_sections, labelled_sections
from pipeline.parse.text import clean_inline, is_placeholder, norm_words
from pipeline.parse.timeline import extract_timeline
from pipeline.parse.whys import extract_whys

_META_SKIP = frozenset({"timeline", "actions", "categorized_actions", "signoff", "appendix",
                        "related", "whys"})  # fmt: skip
_NOT_STRAY = frozenset({"actions", "categorized_actions", "timeline", "signoff", "appendix"})
_ID_IN_TITLE = re.compile(
    r"^\[?((?:INC|INCIDENT|IR|PM)[-_]?\d[\w-]*)\]?\s*[:\-–—|]\s*\S", re.IGNORECASE
)
_GENERIC_PREFIX = re.compile(
    r"^\s*\[?(?:incident\s+)?post[- ]?mortem(?:\s+report)?\]?\s*(?:[:\-–—|]\s*|(?<=\])\s*)",
    re.IGNORECASE,
)
_GENERIC_TITLES = frozenset({"incident postmortem", "postmortem", "post mortem", "post-mortem",
                             "incident report", "incident post mortem", "title"})  # fmt: skip
_ZONE_NEEDLES = ("all times", "times are", "times in", "time zone", "timezone", "time (")
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _fm_get(fm: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if k in fm and fm[k] not in (None, "", []):
            return fm[k]
    return None


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [clean_inline(str(x)) for x in v if str(x).strip()]
    return split_list(clean_inline(str(v)))


def _read_id(value: str) -> str | None:
    """An incident id is one token ("INC-2024-001", "PM2019-009", "payments-outage-7");
    "Incident: checkout outage" names the incident, it is not its id."""
    v = clean_inline(value).strip()
    return v if v and not any(c.isspace() for c in v) else None


def _read_people(value: str) -> list[str] | None:
    """Names in a list, dropping template leftovers such as "<add name here>"."""
    people = (p.strip("[]").strip() for p in split_list(value))  # "[Katharine Berry]" ref link
    return [p for p in people if p and not is_placeholder(p)] or None


def _as_date(v: Any, hint: DateHint) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if v is None:
        return None
    dm = match_date(str(v), hint)
    return dm.value if dm else None


def _same(a: Any, b: Any) -> bool:
    """Agreement between front matter and body: case and list order do not matter."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(str(x).lower().lstrip("@") for x in a) == sorted(
            str(x).lower().lstrip("@") for x in b
        )
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b


class Resolver:
    """Body value vs front matter value for one field, with the warnings the rules ask for."""

    def __init__(self, meta: Metadata, fm: dict[str, Any], log: ProblemLog) -> None:
        self.meta, self.fm, self.log = meta, fm, log

    def field(
        self,
        name: str,
        fm_keys: tuple[str, ...],
        read: Callable[[str], Any],
        bad_code: str,
        what: str,
        fm_read: Callable[[Any], Any] | None = None,
        unknown_ok: bool = True,
        partial_ok: bool = False,
    ) -> tuple[Any, int | None]:
        body_value = None
        occurrences = self.meta.candidates(name)
        line = occurrences[0].line if occurrences else None
        # the first occurrence with a readable value wins; an empty, placeholder or unreadable
        # one before it is warned about and does not hide it
        for lab in occurrences:
            raw = lab.value
            if is_placeholder(raw):
                self.log.add(
                    "placeholder", f"{what} is still the template placeholder {raw!r}.", lab.line
                )
                if partial_ok:  # "ann, <add name here>": keep what was filled in
                    body_value = read(raw)
            elif unknown_ok and raw.strip().lower().rstrip(".") in UNKNOWN_WORDS:
                pass
            else:
                body_value = read(raw)
                if body_value is None and bad_code:
                    self.log.add(
                        bad_code, f"{what} {raw!r} could not be read; left NULL.", lab.line
                    )
            if body_value is not None:
                line = lab.line
                self.meta.values[name] = lab  # the line lint points at
                break
        fv = _fm_get(self.fm, *fm_keys) if fm_keys else None
        fm_value = None
        if fv is not None:
            fm_value = fm_read(fv) if fm_read else read(clean_inline(str(fv)))
        if body_value is None:
            return fm_value, line
        if fm_value is not None and not _same(fm_value, body_value):
            self.log.add(
                "frontmatter_conflict",
                f"{what}: the body says {body_value!r}, the front matter {fm_value!r}; kept the body.",
                line,
            )
        return body_value, line


def _title(root: Section, fm: dict[str, Any]) -> str | None:
    fv = _fm_get(fm, "title")
    if fv is not None:
        return clean_inline(str(fv))
    headings = [s for s in root.walk() if s.heading is not None and s.title]
    top = min((s.level for s in headings), default=0)
    for idx, s in enumerate(headings):
        if s.level != top:
            continue
        t = s.title
        if t.lower().startswith("title:"):
            t = t[6:].strip() or (headings[idx + 1].title if idx + 1 < len(headings) else "")
        elif t.endswith(":") or (s.value is not None and norm_words(t.partition(":")[0]) in LABELS):
            continue  # "## Owner: @x" / "## Involved:" are metadata, not the title
        elif s.key is not None:
            return None  # the document opens with a section: it has no title heading
        m = _GENERIC_PREFIX.match(t)
        if m and t[m.end() :].strip():
            t = t[m.end() :].strip()  # "Incident Postmortem: X" means X
        if t and t.lower() not in _GENERIC_TITLES:
            return t
        return None
    return None


def _joined(sections: list[Section]) -> tuple[str | None, int | None]:
    texts, ph = [], None
    for s in sections:
        t, p = section_text(s.tree_blocks())
        if s.value:
            t = f"{clean_inline(s.value)}\n{t}" if t else clean_inline(s.value)
        if t:
            texts.append(t)
        ph = ph or p
    return ("\n".join(texts) if texts else None), ph


def parse_text(text: str, source_path: str, log: ProblemLog) -> ParsedDocument:
    fm_text, body, offset = split_front_matter(text)
    fm: dict[str, Any] = {}
    if fm_text is not None:
        seen = len(log.problems)
        loaded = load_front_matter(fm_text, log)
        if loaded is None:
            return ParsedDocument(incident=Incident(), problems=log.problems)
        if any(NOT_FRONT_MATTER in p.message for p in log.problems[seen:]):
            body, offset = text, 0  # "---" then Markdown: a rule, so the lines are the body's
        fm = {str(k).lower(): v for k, v in loaded.items()}
    blocks = scan_blocks(body, first_line=offset + 1)
    root = build_sections(blocks)
    hint = DateHint(order=numeric_order(_text_outside_code(blocks)))
    index = index_sections(root)

    def sections_of(key: str) -> list[Section]:
        return index.get(key, [])

    meta = collect_metadata(root, _META_SKIP)
    res = Resolver(meta, fm, log)
    inc = Incident()
    doc = ParsedDocument(incident=inc, problems=log.problems)

    # ---- identity and dates
    inc.title = _title(root, fm)
    inc.incident_id, _ = res.field(
        "id",
        ("id", "incident_id", "incident-id", "uuid"),
        _read_id,
        "",
        "The incident id",
    )
    if inc.incident_id is None and inc.title:
        m = _ID_IN_TITLE.match(inc.title)  # "# INC-2024-0042: Checkout outage"
        if m:
            inc.incident_id = m.group(1)
    if inc.incident_id is None:
        log.add(
            "missing_id",
            "No incident id in the document; the loader derives one from the file name.",
            1,
        )
    inc.incident_date, _ = res.field(
        "date",
        ("date", "incident_date", "start_time"),
        lambda v: _as_date(v, hint),
        "unreadable_date",
        "The incident date",
        fm_read=lambda v: _as_date(v, hint),
    )
    if inc.incident_date is None and inc.title:
        dm = match_date(inc.title, hint)
        inc.incident_date = dm.value if dm else None
    if inc.incident_date is None:
        m = _PATH_DATE.search(source_path)
        if m:
            inc.incident_date = _as_date(m.group(0), hint)
    hint.incident_date = inc.incident_date
    hint.year = inc.incident_date.year if inc.incident_date else None
    inc.last_updated, _ = res.field(
        "last_updated",
        ("last_updated", "updated", "lastmod"),
        lambda v: _as_date(v, hint),
        "unreadable_date",
        "The last-updated date",
        fm_read=lambda v: _as_date(v, hint),
    )
    inc.status, _ = res.field(
        "status", ("status",), lambda v: parse_status(v), "unknown_status", "The status"
    )
    inc.authors, _ = res.field(
        "authors",
        ("authors", "author"),
        _read_people,
        "",
        "The authors",
        fm_read=lambda v: _as_list(v) or None,
        partial_ok=True,
    )
    inc.authors = [a.lstrip("@") for a in (inc.authors or [])]
    inc.severity, _ = res.field(
        "severity", ("severity", "sev"), parse_severity, "unknown_severity", "The severity"
    )
    inc.services, _ = res.field(
        "services",
        ("services", "service"),
        lambda v: split_list(v) or None,
        "",
        "The services",
        fm_read=lambda v: _as_list(v) or None,
    )
    inc.services = inc.services or []
    inc.team, _ = res.field(
        "team",
        ("team",),
        lambda v: clean_inline(v) or None,
        "",
        "The team",
        fm_read=lambda v: clean_inline(str(v)) or None,
    )
    inc.tags, _ = res.field(
        "tags",
        ("tags", "categories", "keywords"),
        lambda v: split_list(v) or None,
        "",
        "The tags",
        fm_read=lambda v: _as_list(v) or None,
    )
    inc.tags = inc.tags or []
    inc.root_cause_category, _ = res.field(
        "root_cause_category",
        ("root_cause_category",),
        lambda v: clean_inline(v) or None,
        "",
        "The root-cause category",
    )

    # ---- impact
    duration, _ = res.field(
        "duration",
        ("duration", "duration_minutes"),
        parse_duration,
        "unreadable_duration",
        "The duration",
        fm_read=lambda v: v if isinstance(v, int) else parse_duration(str(v)),
    )
    inc.duration_minutes = duration
    users = next(
        (u for u in meta.candidates("users") if u.value.strip() and not is_placeholder(u.value)),
        meta.get("users"),
    )
    if users is not None:
        if is_placeholder(users.value):
            log.add(
                "placeholder",
                f"Users affected is still the placeholder {users.value!r}.",
                users.line,
            )
        elif users.value.strip().lower().rstrip(".") not in UNKNOWN_WORDS:
            inc.users_affected, inc.traffic_pct = parse_users(users.value)
            if inc.users_affected is None and inc.traffic_pct is None:
                log.add(
                    "unreadable_users",
                    f"Users affected {users.value!r} is not a number.",
                    users.line,
                )
    inc.data_loss, _ = res.field(
        "data_loss",
        ("data_loss",),
        parse_data_loss,
        "unknown_data_loss",
        "The data loss",
        unknown_ok=False,
    )

    # ---- prose
    def prose(key: str, what: str) -> str | None:
        secs = sections_of(key)
        t, ph = _joined(secs)
        if t is None and ph is not None:
            log.add("placeholder", f"{what} still holds the template's instruction.", ph)
        return t

    def meta_text(name: str) -> str | None:
        for lab in meta.candidates(name):
            if lab.value and not is_placeholder(lab.value):
                return lab.value
        return None

    fm_summary = _fm_get(fm, "summary", "description")
    inc.summary = (
        prose("summary", "The summary")
        or meta_text("summary")
        or (clean_inline(str(fm_summary)) if fm_summary is not None else None)
    )
    inc.business_impact = (prose("business_impact", "The business impact")
                           or prose("impact", "The impact") or meta_text("impact"))  # fmt: skip
    inc.data_impact = prose("data_impact", "The data impact")
    inc.what_happened = prose("what_happened", "What happened") or meta_text("trigger")
    root_prose = prose("root_cause", "The root cause") or meta_text("root_cause")
    if root_prose is None:
        # the template's "What Happened?" sits under "Root Cause": "Detailed technical
        # explanation of the root cause"; a top-level "What happened" narrative does not count
        under_root = [s for s in sections_of("what_happened") if s.has_ancestor({"root_cause"})]
        root_prose = _joined(under_root)[0]
    inc.detection_gap = prose("detection_gap", "The detection gap")
    inc.immediate_fix = (prose("immediate_fix", "The immediate fix") or meta_text("immediate_fix")
                         or prose("resolution", "The resolution") or meta_text("resolution"))  # fmt: skip
    inc.permanent_fix = prose("permanent_fix", "The permanent fix") or meta_text("permanent_fix")

    # ---- whys and root cause
    why_blocks = [b for s in sections_of("whys") for b in s.tree_blocks()]
    doc.whys = extract_whys(why_blocks, log)
    marked = [w for w in doc.whys if w.is_root_cause]
    inc.root_cause = marked[0].text if marked else (doc.whys[-1].text if doc.whys else root_prose)

    # ---- timeline
    zone = _document_zone(body)
    timeline_sections = sections_of("timeline") or labelled_sections(root, "timeline")
    doc.timeline = extract_timeline(timeline_sections, hint, zone, log)
    if inc.incident_date is None:
        inc.incident_date = _first_written_date(doc, hint)
    _set_milestones(doc)
    if inc.duration_minutes is None:
        inc.duration_minutes = _derived_duration(doc)
        inc.duration_derived = inc.duration_minutes is not None

    # ---- detection, actions, learnings, related, sign-offs
    doc.detection_methods = extract_detection(
        (b for s in sections_of("detection") for b in s.tree_blocks()), log
    )
    stray = [b for sec in root.walk() if sec.key not in _NOT_STRAY and not sec.has_ancestor(_NOT_STRAY)
             for b in sec.blocks if b.kind == "table" and is_stray_action_table(b)]  # fmt: skip
    doc.actions = extract_actions(sections_of("actions") or labelled_sections(root, "actions"), sections_of("categorized_actions"),
                                  hint, log, stray)  # fmt: skip
    learn = LearningCollector(log)
    for key, kind in KEY_TO_KIND.items():
        for s in sections_of(key):
            learn.section(kind, s.tree_blocks(), s.value, s.line)
    doc.learnings = learn.items
    if learn.status_items:  # "**DONE**: added monitoring" written among the lessons
        col = ActionCollector(hint, log)
        for item_text, line in learn.status_items:
            col.bullet(item_text, None, line, None)
        doc.actions.extend(col.actions)
    doc.related_incidents = extract_related(
        (b for s in sections_of("related") for b in s.tree_blocks()), log
    )
    doc.signoffs = extract_signoffs(
        (b for s in sections_of("signoff") for b in s.tree_blocks()), hint, log
    )
    inc.completeness = completeness(doc)
    doc.field_lines = {name: lab.line for name, lab in meta.values.items()}
    for s in root.walk():
        if s.key is not None and s.heading is not None:
            doc.section_lines.setdefault(s.key, s.line)
    return doc


def _text_outside_code(blocks: list) -> str:
    """The document's text without code blocks: dates in logs do not say how the authors
    write theirs."""
    parts: list[str] = []
    for b in blocks:
        if b.kind == "code":
            continue
        if b.kind == "table":
            parts.extend(" | ".join(row) for row in b.rows)
        elif b.lines and b.kind != "list_item":
            parts.extend(b.lines)
        else:
            parts.append(b.text)
    return "\n".join(parts)


def _first_written_date(doc: ParsedDocument, hint: DateHint) -> date | None:
    """The day of the first timed event as the document writes it (local, not the UTC day: an
    evening in PST is the next day in UTC)."""
    for event in doc.timeline:
        if event.occurred_at is not None:
            stamp = parse_stamp(event.time_text, hint)
            if stamp is not None and stamp.date is not None:
                return stamp.date
            return event.occurred_at.date()
    return None


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


def _set_milestones(doc: ParsedDocument) -> None:
    """Each `*_at` column: the earliest time among the timeline rows of its kind."""
    inc = doc.incident
    for event in doc.timeline:
        column = KIND_COLUMNS.get(event.kind)
        if column and event.occurred_at is not None:
            current = getattr(inc, column)
            if current is None or event.occurred_at < current:
                setattr(inc, column, event.occurred_at)


def _derived_duration(doc: ParsedDocument) -> int | None:
    """Minutes from the first alert to the first 'service restored' after it (None if either
    is missing or has no time)."""
    alert = next((e.occurred_at for e in doc.timeline if e.kind == "alert" and e.occurred_at), None)
    if alert is None:
        return None
    restored = next(
        (e.occurred_at for e in doc.timeline
         if e.kind == "restored" and e.occurred_at and e.occurred_at >= alert),
        None,
    )  # fmt: skip
    if restored is None:
        return None
    return int((restored - alert).total_seconds() // 60)
