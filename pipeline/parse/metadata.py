"""Labelled values: `**Label:** value`, `**Label**: value`, `- Label: value`, `## Label: value`,
and small key/value tables (a header row of labels over one row of values).

Only labels in `LABELS` are read, so prose that happens to contain a colon is left alone. The
first occurrence of a field wins, except that a more specific label (e.g. "Duration") beats a
looser one ("Time to recovery") wherever it appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.parse.blocks import Block
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline, is_instruction_line, norm_words

# normalised label -> (field, rank); a lower rank wins over a higher one
LABELS: dict[str, tuple[str, int]] = {}
for _field, _rank, _names in (
    (
        "id",
        0,
        (
            "incident id|incident|id|incident number|incident no|incident ref|incident reference|"
            "incident key|postmortem id|pm id"
        ),
    ),
    ("title", 0, "title|incident title|incident name"),
    ("status", 0, "status|document status|postmortem status|report status|pm status"),
    (
        "authors",
        0,
        (
            "author|authors|author s|created by|written by|prepared by|report author|"
            "report authors|postmortem author s|postmortem authors"
        ),
    ),
    ("authors", 1, "owner|postmortem owner|incident owner|responders|incident commander"),
    (
        "date",
        0,
        (
            "date|incident date|date of incident|incident date s|date s|dates|"
            "incident start|start|start date|started|occurred|occurred on|date time"
        ),
    ),
    ("last_updated", 0, "last updated|last modified|updated|last update|modified|revised"),
    (
        "severity",
        0,
        (
            "severity|sev|severity level|incident severity|impact level|priority|"
            "incident level|incident priority"
        ),
    ),
    (
        "duration",
        0,
        (
            "duration|incident duration|total impact duration|impact duration|"
            "outage duration|total duration|downtime|total downtime|length|outage length"
        ),
    ),
    # A duration runs from impact to restored (docs/labelling-guide.md), so when a document
    # gives several, the time to repair or recover beats the time to resolve (which runs on to
    # the all-clear; 20h 03m against a 7-minute repair in one real report).
    ("duration", 1, "time to repair|time to recovery|time to recover|time to restore"),
    ("duration", 2, "time to resolve|time to resolution"),
    ("duration", 3, "time to mitigate|time to mitigation"),
    (
        "users",
        0,
        (
            "users affected|affected users|users impacted|impacted users|customers impacted|"
            "customers affected|affected customers|impacted customers|number of users "
            "affected|users|customers|user impact|affected"
        ),
    ),
    ("data_loss", 0, "data loss|customer data loss|data lost"),
    (
        "services",
        0,
        (
            "services|service|affected services|services affected|service s|"
            "impacted services|affected service|affected systems|systems affected|"
            "affected components|components|systems"
        ),
    ),
    ("team", 0, "team|owning team|responsible team|teams"),
    ("tags", 0, "tags|labels|keywords"),
    ("summary", 0, "summary|tl dr|tldr|executive summary"),
    ("impact", 0, "impact|business impact|customer impact"),
    ("root_cause", 0, "root cause|root causes|cause"),
    ("trigger", 0, "trigger"),
    ("detection", 0, "detection|detected by|how detected"),
    ("resolution", 0, "resolution|mitigation|fix"),
    ("immediate_fix", 0, "short term|short term fix|immediate fix|immediate"),
    ("permanent_fix", 0, "long term|long term fix|permanent fix"),
    ("root_cause_category", 0, "root cause category|cause category|category of root cause"),
):
    for _name in _names.split("|"):
        LABELS.setdefault(_name, (_field, _rank))

# fields whose heading is a section of its own (read as prose), not a one-value label
_PROSE_FIELDS = frozenset({"summary", "impact", "root_cause", "trigger", "detection", "resolution",
                           "immediate_fix", "permanent_fix"})  # fmt: skip
_BOLD_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_\n]{1,60}?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|(?:\*\*|__)(?=\s+\S))\s*(?P<value>.*)$"
)
_PLAIN_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<label>[A-Za-z][\w ()/#'&.-]{0,40}?)\s*:\s*(?P<value>.*)$"
)


@dataclass(slots=True)
class Labelled:
    field: str
    value: str
    """Clean text (inline Markdown removed)."""
    line: int
    rank: int
    label: str


def _match_label(raw: str) -> tuple[str, str, bool] | None:
    m = _BOLD_LABEL.match(raw)
    bold = True
    if m is None:
        m = _PLAIN_LABEL.match(raw)
        bold = False
        if m is None:
            return None
    return m.group("label"), m.group("value"), bold


def _lookup(label: str) -> tuple[str, int] | None:
    words = norm_words(label)
    return LABELS.get(words)


@lru_cache(maxsize=16384)
def label_value(raw: str) -> tuple[str, str, str] | None:
    """(field, label, raw value) when `raw` is a known 'Label: value' line."""
    m = _match_label(raw)
    if m is None:
        return None
    label, value, bold = m
    if not bold and ":" not in raw:
        return None
    hit = _lookup(label)
    if hit is None:
        return None
    return hit[0], label, value


class Metadata:
    """Every labelled value met, per field, best first (rank, then document order)."""

    def __init__(self) -> None:
        self.values: dict[str, Labelled] = {}
        """Field -> its best occurrence (the one whose line lint points at)."""
        self.all: dict[str, list[Labelled]] = {}

    def offer(self, field: str, value: str, line: int, rank: int, label: str) -> None:
        found = Labelled(field, value, line, rank, label)
        occurrences = self.all.setdefault(field, [])
        occurrences.append(found)
        if len(occurrences) > 1:
            occurrences.sort(key=lambda x: x.rank)  # stable: document order within a rank
        self.values[field] = occurrences[0]

    def get(self, field: str) -> Labelled | None:
        return self.values.get(field)

    def candidates(self, field: str) -> list[Labelled]:
        """All occurrences, best first: an empty or unreadable one must not hide a later one."""
        return self.all.get(field, [])


def _continuation(blocks: list[Block], idx: int) -> str:
    """Value of a label left empty on its own line: the list right after it."""
    parts = []
    base = None
    for b in blocks[idx + 1 :]:
        if b.kind != "list_item":
            break
        if base is None:
            base = b.indent
        if b.indent == base:
            parts.append(clean_inline(b.text.split("\n", 1)[0]))
    return "; ".join(p for p in parts if p)


def collect_metadata(root: Section, skip_keys: frozenset[str]) -> Metadata:
    meta = Metadata()
    for section in root.walk():
        if section.has_ancestor(skip_keys) or section.key in skip_keys:
            continue
        if section.heading is not None and section.value is not None:
            hit = _lookup(section.title.partition(":")[0])
            if hit:
                meta.offer(
                    hit[0],
                    clean_inline(section.value),
                    section.line,
                    hit[1],
                    section.title.partition(":")[0],
                )
        elif section.heading is not None:
            # SRE-book style: "## Date" / "## Authors:" heading, the value in the paragraph below
            hit = _lookup(section.title.rstrip(":"))
            if (hit and hit[0] not in _PROSE_FIELDS and section.blocks
                    and section.blocks[0].kind == "paragraph"
                    and not is_instruction_line(section.blocks[0].lines[0])):  # fmt: skip
                b = section.blocks[0]
                meta.offer(
                    hit[0], clean_inline(" ".join(b.lines)), b.line, hit[1] + 1, section.title
                )
        blocks = section.blocks
        for idx, b in enumerate(blocks):
            if b.kind == "paragraph":
                for j, raw in enumerate(b.lines):
                    lv = label_value(raw)
                    if lv is None:
                        continue
                    field, label, value = lv
                    rank = LABELS[norm_words(label)][1]
                    value = clean_inline(value)
                    if not value and j == len(b.lines) - 1:
                        value = _continuation(blocks, idx)
                    meta.offer(field, value, b.line_numbers[j], rank, label)
            elif b.kind == "list_item":
                first, _, more = b.text.partition("\n")
                lv = label_value(first)
                if lv is None:
                    continue
                field, label, value = lv
                rank = LABELS[norm_words(label)][1]
                value = clean_inline(value)
                if not value and more:
                    value = clean_inline(more.replace("\n", " "))
                if not value:
                    value = _continuation_nested(blocks, idx)
                meta.offer(field, value, b.line, rank, label)
            elif b.kind == "table" and len(b.rows) == 2 and section.key not in ("signoff",):
                for label, value in zip(b.rows[0], b.rows[1]):
                    hit = _lookup(clean_inline(label))
                    if hit:
                        meta.offer(hit[0], clean_inline(value), b.line_numbers[1], hit[1], label)
    return meta


def _continuation_nested(blocks: list[Block], idx: int) -> str:
    parent = blocks[idx]
    parts = []
    for b in blocks[idx + 1 :]:
        if b.kind != "list_item" or b.indent <= parent.indent:
            break
        parts.append(clean_inline(b.text.split("\n", 1)[0]))
    return "; ".join(p for p in parts if p)
