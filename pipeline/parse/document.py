"""Put the pieces together: front matter, blocks, sections, then the field rules in order.

`FIELD_RULES` is the whole reading of a document after its structure is known: one entry per
field (or group of fields read together), run in the order listed. A rule may use what an
earlier rule filled in (the timeline needs the incident date, the duration needs the
timeline); adding a field is adding one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.model import Incident, ParsedDocument
from pipeline.parse import body_rules, cause_text, header_rules
from pipeline.parse.blocks import Block, scan_blocks
from pipeline.parse.dates import DateHint, numeric_order
from pipeline.parse.front_matter import (
    NOT_FRONT_MATTER,
    is_toml,
    load_front_matter,
    split_front_matter,
)
from pipeline.parse.metadata import collect_metadata
from pipeline.parse.problems import ProblemLog
from pipeline.parse.reading import Reading
from pipeline.parse.resolver import Resolver
from pipeline.parse.sections import build_sections, index_sections

FieldRule = Callable[[Reading], None]

FIELD_RULES: tuple[tuple[str, FieldRule], ...] = (
    ("title", header_rules.read_title),
    ("incident_id", header_rules.read_id),
    ("incident_date", header_rules.read_incident_date),
    ("anchor dates on the incident date", header_rules.anchor_dates),
    ("last_updated", header_rules.read_last_updated),
    ("status", header_rules.read_status),
    ("authors", header_rules.read_authors),
    ("severity", header_rules.read_severity),
    ("services", header_rules.read_services),
    ("team", header_rules.read_team),
    ("tags", header_rules.read_tags),
    ("root_cause_category", header_rules.read_root_cause_category),
    ("duration_minutes (written)", header_rules.read_duration),
    ("users_affected, traffic_pct", header_rules.read_users),
    ("data_loss", header_rules.read_data_loss),
    ("summary and the other prose", body_rules.read_prose),
    ("whys, root_cause", body_rules.read_whys),
    ("timeline", body_rules.read_timeline),
    ("timeline kinds", body_rules.read_kinds),
    ("incident_date from the timeline", body_rules.date_from_timeline),
    ("milestones (*_at)", body_rules.set_milestones),
    ("duration_minutes (derived)", body_rules.derive_duration),
    ("detection_methods", body_rules.read_detection),
    ("actions", body_rules.read_actions),
    ("learnings", body_rules.read_learnings),
    ("related_incidents", body_rules.read_related),
    ("signoffs", body_rules.read_signoffs),
    ("cause_text, cause_source", cause_text.read_cause_text),
    ("completeness", body_rules.measure_completeness),
)
"""(what it fills, the rule), in the order they run."""

_META_SKIP = frozenset({"timeline", "actions", "categorized_actions", "signoff", "appendix",
                        "related", "whys"})  # fmt: skip


def parse_text(text: str, source_path: str, log: ProblemLog) -> ParsedDocument:
    fm_text, body, offset = split_front_matter(text)
    fm: dict[str, Any] = {}
    if fm_text is not None:
        seen = len(log.problems)
        loaded = load_front_matter(fm_text, log, toml=is_toml(text))
        if loaded is None:
            return ParsedDocument(incident=Incident(), problems=log.problems)
        if any(NOT_FRONT_MATTER in p.message for p in log.problems[seen:]):
            body, offset = text, 0  # "---" then Markdown: a rule, so the lines are the body's
        fm = {str(k).lower(): v for k, v in loaded.items()}
    blocks = scan_blocks(body, first_line=offset + 1)
    root = build_sections(blocks)
    meta = collect_metadata(root, _META_SKIP)
    doc = ParsedDocument(incident=Incident(), problems=log.problems)
    reading = Reading(
        source_path=source_path,
        fm=fm,
        body=body,
        blocks=blocks,
        root=root,
        index=index_sections(root),
        meta=meta,
        res=Resolver(meta, fm, log),
        hint=DateHint(order=numeric_order(_text_outside_code(blocks))),
        log=log,
        doc=doc,
    )
    for _, rule in FIELD_RULES:
        rule(reading)
    doc.field_lines = {name: lab.line for name, lab in meta.values.items()}
    for s in root.walk():
        if s.key is not None and s.heading is not None:
            doc.section_lines.setdefault(s.key, s.line)
    return doc


def _text_outside_code(blocks: list[Block]) -> str:
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
