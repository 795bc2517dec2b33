"""Group blocks under their headings and name each section with a canonical key.

Real postmortems rename, renumber, reorder and re-level the template's sections, so a heading
is matched by its words (synonym table below), not by its level or position. A section's key
can depend on its parent: "### Detection" under "Categorized Actions" is an action category,
"### Process" under "Lessons Learned" is the process-lessons list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.parse.blocks import Block
from pipeline.parse.dates import DateHint, parse_stamp
from pipeline.parse.text import clean_inline, norm_words

# normalised heading words -> canonical key
SYNONYMS: dict[str, str] = {}
for _key, _names in {
    "summary": "executive summary|summary|issue summary|incident summary|overview|tl dr|tldr|"
    "synopsis|abstract|description|incident description|background|context",
    "timeline": "incident timeline|timeline|detailed timeline|events timeline|events|"
    "timeline of events|chronology|sequence of events|events and timeline",
    "impact": "impact|impacts|user impact|customer impact|severity impact|impact and severity|"
    "severity and impact|impact assessment|incident impact|scope and impact|impact summary",
    "business_impact": "business impact|financial impact|business financial impact",
    "data_impact": "data impact|data loss",
    "root_cause": "root cause|root causes|root cause analysis|rca|cause|causes|"
    "contributing factors|contributing factor|root cause and contributing factors|"
    "cause analysis|technical root cause|root cause s",
    "what_happened": "what happened|what happened exactly|leadup|lead up|incident details|"
    "details|technical details|trigger|narrative",
    "whys": "why did it happen|5 whys|five whys|5 whys analysis|the 5 whys|whys",
    "detection": "detection|how was it detected|how it was detected|alert|alerting|"
    "how we found out|discovery",
    "detection_gap": "detection gap|detection gaps|why it wasn t caught|why wasn t it caught|"
    "why it was not caught|why was this hard to detect|why wasn t this detected earlier|"
    "what could have detected this earlier|missed detection",
    "response": "response|incident response|response and recovery",
    "went_well": "what went well|things that went well|what went right|went well|"
    "what worked|what went well where did we get lucky|what went well and where did we get lucky",
    "could_improve": "what could be improved|what went wrong|what didn t go well|"
    "what did not go well|things that could be improved|what could have gone better|"
    "what could go better|where we could improve|areas for improvement|went wrong|"
    "what went badly|could be improved",
    "got_lucky": "where we got lucky|where did we get lucky|where we got lucky",
    "resolution": "resolution|resolution and recovery|recovery|resolution and mitigation|fix|"
    "mitigation|how it was fixed|solving|solution",
    "immediate_fix": "immediate fix|short term fix|short term|immediate|immediate actions|"
    "short term mitigation|immediate mitigation|quick fix",
    "permanent_fix": "permanent fix|long term fix|long term solution|long term|"
    "long term remediation|permanent solution",
    "actions": "action items|action item|actions|corrective actions|corrective action|"
    "corrective and preventative measures|corrective and preventive measures|"
    "corrective measures|preventative measures|preventive measures|remediation|"
    "remediation items|remediations|follow up|follow ups|follow up actions|followups|"
    "next steps|review actions|resulting action|resulting actions|action plan|todo|to do|"
    "todos|tasks|follow up items|prevention|improvements|action items and follow ups",
    "categorized_actions": "categorized actions|categorised actions|action categories",
    "lessons": "lessons learned|lessons learnt|lessons|learnings|lessons and takeaways|"
    "takeaways|key takeaways|what we learned|what we learnt|potential learnings|learning|"
    "lessons learned and next steps|recovery and lessons learned",
    "technical_lessons": "technical lessons|technical",
    "process_lessons": "process lessons|process",
    "cultural_lessons": "cultural lessons|cultural|culture",
    "related": "related incidents|related|related issues|previous incidents|similar incidents",
    "signoff": "sign off|signoff|sign offs|signoffs|approvals|approval|review and sign off",
    "appendix": "appendix|appendinx|apendix|supporting information|references|"
    "graphs metrics|logs|configuration changes|notes|attachments",
}.items():
    for _name in _names.split("|"):
        SYNONYMS[_name] = _key

# a title starting with these words, when no exact synonym matched
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("timeline", "timeline"),
    ("detailed timeline", "timeline"),
    ("action item", "actions"),
    ("corrective", "actions"),
    ("remediation", "actions"),
    ("follow up", "actions"),
    ("lessons", "lessons"),
    ("what went well", "went_well"),
    ("what went wrong", "could_improve"),
    ("what could", "could_improve"),
    ("where we got lucky", "got_lucky"),
    ("where did we get lucky", "got_lucky"),
    ("root cause", "root_cause"),
    ("incident summary", "summary"),
    ("executive summary", "summary"),
    ("summary", "summary"),
    ("impact", "impact"),
    ("user impact", "impact"),
    ("how was it detected", "detection"),
    ("detection", "detection"),
    ("resolution", "resolution"),
    ("related incident", "related"),
    ("sign off", "signoff"),
    ("appendix", "appendix"),
    ("why it wasn t caught", "detection_gap"),
)

_CATEGORY_WORDS = {"prevention": "prevention", "prevent": "prevention", "detection": "detection",
                   "detect": "detection", "response": "response", "respond": "response",
                   "recovery": "recovery", "recover": "recovery"}  # fmt: skip
# keys that name a part of their parent's content rather than a section of their own
_INLINE_KEYS = frozenset({"category"})
_ACTION_KEYS = frozenset({"actions", "categorized_actions"})
_LESSON_KINDS = {"technical_lessons", "process_lessons", "cultural_lessons"}
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[ivxIVX]+\.|[A-Za-z][.)])\s+")
_LEAD_SYMBOLS = re.compile(r"^[^\w\[(]+")
_PARENTHESES = re.compile(r"\([^)]*\)")
_PLAN_WORDS = re.compile(
    r"\b(?:remediation|action|actions|corrective|preventive|preventative|prevention|fix|fixes|"
    r"improvement|improvements|roadmap|plan|project|implementation|rollout)\b"
)


@dataclass(slots=True, eq=False)
class Section:
    key: str | None
    title: str
    """Heading text, inline Markdown removed."""
    level: int
    line: int
    heading: Block | None
    value: str | None = None
    """Text after a colon in a "## Label: value" heading."""
    blocks: list[Block] = field(default_factory=list)
    """Blocks up to the next heading of any level."""
    children: list[Section] = field(default_factory=list)
    ancestor_keys: frozenset[str] = frozenset()
    """Keys of every enclosing section (set once when the tree is built)."""
    context_key: str | None = None
    """Its own key, else the nearest enclosing section's: what its child headings are read
    under. (Sections keep no link to their parent: a tree without cycles is freed as soon as
    the document is read, instead of waiting for the garbage collector.)"""
    below: list[Section] | None = None
    """On the root only: every other section in document order (the tree walked once)."""

    def walk(self) -> Iterator[Section]:
        """This section and every section under it, in document order."""
        if self.below is not None:
            yield self
            yield from self.below
            return
        yield self
        for child in self.children:
            yield from child.walk()

    def tree_blocks(self) -> Iterator[Block]:
        """Own blocks, then each unnamed (or same-key) child's heading and blocks, in order."""
        yield from self.blocks
        for child in self.children:
            if child.key is None or child.key == self.key or child.key in _INLINE_KEYS:
                if child.heading is not None:
                    yield child.heading
                yield from child.tree_blocks()

    def has_ancestor(self, keys: frozenset[str] | set[str]) -> bool:
        return not self.ancestor_keys.isdisjoint(keys)


def heading_words(title: str) -> str:
    t = _NUMBERING.sub("", title, count=1)
    t = _LEAD_SYMBOLS.sub("", t)
    return norm_words(t.replace("&", " and "))


@lru_cache(maxsize=8192)
def classify_heading(title: str, parent_key: str | None) -> tuple[str | None, str | None]:
    """(canonical key or None, value after a colon) for one heading's clean text."""
    value = None
    label = title
    if ":" in title:
        head, _, tail = title.partition(":")
        if tail.strip():
            label, value = head, tail.strip()
        else:
            label = head
    words = heading_words(label)
    if parent_key in _ACTION_KEYS or parent_key == "category":
        first = words.split(" ", 1)[0] if words else ""
        if first in _CATEGORY_WORDS:
            return "category", value
    if (parent_key == "lessons" or parent_key in _LESSON_KINDS) and words in (
        "technical",
        "process",
        "cultural",
        "culture",
    ):
        return SYNONYMS[words], value
    if parent_key == "timeline":
        return None, value  # day and event headings belong to the timeline
    key = SYNONYMS.get(words)
    if key in ("technical_lessons", "process_lessons", "cultural_lessons") and " " not in words:
        key = None  # a bare "Process" heading outside lessons is not a lessons list
    bare = heading_words(_PARENTHESES.sub(" ", label))
    if key is None and bare.endswith((" timeline", " chronology")) and not _PLAN_WORDS.search(bare):
        # "Response timeline", "Follow-up timeline (times in BST)": a heading that ends in
        # the word is the incident's timeline ("follow up" alone names actions), unless it
        # dates the work planned after it ("Remediation timeline", "Action item timeline")
        key = "timeline"
    if key is None:
        for prefix, k in _PREFIXES:
            if words.startswith(prefix):
                key = k
                break
    return key, value


def build_sections(blocks: list[Block]) -> Section:
    """The section tree; the root (level 0) holds blocks before the first heading."""
    root = Section(key=None, title="", level=0, line=1, heading=None)
    below: list[Section] = []
    stack = [root]
    current = root
    for block in blocks:
        if block.kind != "heading":
            current.blocks.append(block)
            continue
        level = block.level
        title = clean_inline(block.text)
        closed_timeline = None
        while stack[-1].level >= level:
            closed = stack.pop()
            if closed.key == "timeline" and closed.level == level:
                closed_timeline = closed
        if closed_timeline is not None and is_stamp_heading(title):
            # "## Timeline" then "## May 12", "### 20:15" (or "## 13:20" among "### 13:10"
            # rows): the day or time sits at the timeline's own level but belongs to it, as
            # one a level down would
            stack.append(closed_timeline)
        parent = stack[-1]
        key, value = classify_heading(title, parent.context_key)
        ancestors = parent.ancestor_keys
        if parent.key is not None and parent.key not in ancestors:
            ancestors = ancestors | {parent.key}
        current = Section(key, title, level, block.line, block, value, [], [], ancestors,
                          parent.context_key if key is None else key)  # fmt: skip
        parent.children.append(current)
        below.append(current)
        stack.append(current)
    root.below = below
    return root


_ANY_YEAR = DateHint(year=2000)


@lru_cache(maxsize=4096)
def is_stamp_heading(title: str) -> bool:
    """A heading that opens with a time ("13:20", "Feb 21, 13:00 pods evicted") or is a date
    and nothing else ("May 12", "2025-05-12", "Monday May 10th"): a timeline's day or row."""
    stamp = parse_stamp(title.rstrip("# "), _ANY_YEAR)
    if stamp is None:
        return False
    return stamp.clock is not None or (stamp.date is not None and not stamp.rest)


def index_sections(root: Section) -> dict[str, list[Section]]:
    """key -> outermost sections of that key in document order."""
    index: dict[str, list[Section]] = {}
    for section in root.walk():
        key = section.key
        if key is not None and key not in section.ancestor_keys:
            if key in index:
                index[key].append(section)
            else:
                index[key] = [section]
    return index


LABELLED: dict[str, frozenset[str]] = {
    "timeline": frozenset({"key events", "context", "timeline", "events", "timeline of events",
                           "chronology", "detailed timeline"}),
    "actions": frozenset({"review actions", "action items", "actions", "follow up actions",
                          "next steps", "corrective actions", "follow ups", "remediation"}),
}  # fmt: skip
_BOLD_LABEL = re.compile(r"^(?:\*\*|__)([^*_]{2,40}?)\s*:?\s*(?:\*\*|__)\s*:?\s*$")


def labelled_sections(root: Section, key: str) -> list[Section]:
    """Content that hangs off a bold label instead of a heading ("- **Key events**" with nested
    items, "- **Context**:" followed by time lines, "- **Review actions**:"): each becomes a
    pseudo-section holding the blocks up to the next label at the same indent or the heading."""
    labels = LABELLED[key]
    found: list[Section] = []
    for section in root.walk():
        blocks = section.blocks
        i = 0
        while i < len(blocks):
            b = blocks[i]
            label = _block_label(b)
            if label is None or norm_words(label) not in labels:
                i += 1
                continue
            j = i + 1
            while j < len(blocks):
                nb = blocks[j]
                if (
                    nb.kind == "list_item"
                    and b.kind == "list_item"
                    and nb.indent <= b.indent
                    and _same_list(nb.marker, b.marker)
                ):
                    break  # the next sibling bullet ("- **Time to repair**: 0h 37m") ends it
                if nb.kind == "paragraph" and _block_label(nb) is not None:
                    break
                j += 1
            if j > i + 1:
                found.append(Section(key, label, section.level + 1, b.line, None,
                                     blocks=blocks[i + 1 : j]))  # fmt: skip
            i = j
    return found


def _same_list(a: str, b: str) -> bool:
    """Markers of one list: both numbered, or the same bullet character ('-' vs '*' differ)."""
    if a[:1].isdigit() or b[:1].isdigit():
        return a[:1].isdigit() and b[:1].isdigit()
    return a == b


def _block_label(b: Block) -> str | None:
    if b.kind == "list_item":
        text = b.text.split("\n", 1)[0]
    elif b.kind == "paragraph" and len(b.lines) == 1:
        text = b.lines[0]
    else:
        return None
    m = _BOLD_LABEL.match(text.strip())
    return m.group(1) if m else None
