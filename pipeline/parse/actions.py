"""Action items: tables (columns found by their header words, in any order), bullet lists,
numbered headings, and the template's categorized lists (Prevention/Detection/Response/Recovery).

Decisions:
- Due dates that are not a calendar day ("Q1 2022", "TBD", "next sprint") keep `due_text` and
  leave `due_date` NULL: the schema says NULL when not a calendar date, and inventing the end of
  a quarter would be a made-up value.
- Status: "[x]", Done, Complete(d), Fixed, Closed, Merged, ✅ -> done; In progress, Doing, WIP,
  Started -> in_progress; Won't fix/do, Cancelled, Rejected, Failed, Not planned -> wont_do
  (closed without being done); blank, "[ ]", TODO, Open, Planned, or an issue link -> todo.
- Each action once. Authors restate an action of the table in the categorized lists
  (Prevention / Detection / Response / Recovery) in other words, often without its "#2". A
  categorized item that names an earlier action ("#2", "(AI-2)") or restates one from another
  list (word overlap after stemming and dropping grammar words, `restatement_score` >=
  RESTATED_OVERLAP) gives that action its category and adds nothing; any other is an action
  of its own. Plain lists are not merged with each other: on the real documents of
  `data/real`, items of two action lists that share words were different work in every
  labelled pair but three (devtools.action_pairs), so merging them would lose actions.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pipeline.model import Action
from pipeline.parse.blocks import Block
from pipeline.parse.dates import DateHint, match_date
from pipeline.parse.fields import clean_owner
from pipeline.parse.problems import ProblemLog
from pipeline.parse.restated import (
    RESTATED_MIN_SHARED,
    RESTATED_OVERLAP,
    content_stems,
    restatement_score,
    word_weights,
)
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline, is_placeholder, norm_words

_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "id",
        re.compile(
            r"^(?:id|#|no\.?|nr|num|number|ref|key|ai|item ?#|action ?id|ticket ?id)$",
            re.IGNORECASE,
        ),
    ),
    (
        "description",
        re.compile(
            r"action|description|task|item|what|remediation|measure|follow|todo|summary|title",
            re.IGNORECASE,
        ),
    ),
    ("owner", re.compile(r"owner|assignee|assigned|who|responsible|lead|dri", re.IGNORECASE)),
    ("due", re.compile(r"due|date|deadline|eta|target|when|by$|timeline|expected", re.IGNORECASE)),
    ("status", re.compile(r"status|state|done|progress|complete", re.IGNORECASE)),
    ("category", re.compile(r"^(?:type|category|kind|class)$", re.IGNORECASE)),
    ("tracker", re.compile(r"bug|issue|ticket|link|jira|tracking|pr$", re.IGNORECASE)),
)
_DONE = re.compile(
    r"\[[xX✓✔]\]|✅|✔|☑|\b(?:done|complete[d]?|fixed|closed|merged|shipped|"
    r"resolved|finished|implemented|deployed)\b",
    re.IGNORECASE,
)
_WONT = re.compile(
    r"won'?t|wont|\bwill not\b|cancel+ed|rejected|declined|not planned|dropped|"
    r"abandoned|\bfailed\b|obsolete|n/a - not needed|❌",
    re.IGNORECASE,
)
_PROGRESS = re.compile(
    r"in[ -]?progress|doing|\bwip\b|ongoing|started|in review|underway|"
    r"partially|in flight|🚧|⏳",
    re.IGNORECASE,
)
_TODO = re.compile(
    r"\[ \]|\btodo\b|\bto do\b|\bopen\b|planned|not started|pending|backlog|"
    r"\bnew\b|\bnext\b|scheduled|proposed|tbd|\?",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+")
_CATEGORY_TYPES = {"prevent": "prevention", "prevention": "prevention", "preventive": "prevention",
                   "preventative": "prevention", "detect": "detection", "detection": "detection",
                   "mitigate": "response", "mitigation": "response", "respond": "response",
                   "response": "response", "recover": "recovery", "recovery": "recovery",
                   "repair": "recovery"}  # fmt: skip
_STATUS_WORDS = r"done|completed?|fixed|in progress|wip|todo|won'?t (?:fix|do)"
# "(done)", "**(Done during this incident)**", "**DONE**" at the end of an item; a bare
# "... can be done in case" is prose, not a status.
_STATUS_SUFFIX = re.compile(
    r"\s*(?:\*\*|__)?\(\s*(?P<s>" + _STATUS_WORDS + r")\b[^)]*\)(?:\*\*|__)?\s*\.?$"
    r"|\s*(?:\*\*|__)(?P<s2>" + _STATUS_WORDS + r")\b[^*_]*(?:\*\*|__)\s*\.?$",
    re.IGNORECASE,
)
_STATUS_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?\s*\[?(?P<s>done|todo|doing|in progress|wip|won'?t fix|completed?)\]?\s*"
    r"(?:\*\*|__)?\s*[:\-–]?\s*(?:\*\*|__)?\s*",
    re.IGNORECASE,
)
_REF = re.compile(r"(?:#|\bAI[- ]?|\baction[- ]?)(\d+)\b|\(([A-Z]{1,5}-\d+)\)|\b([A-Z]{2,5}-\d+)\b")
_NUMBERED = re.compile(r"^\d+[.)]\s+\S")
_NUMBER_PREFIX = re.compile(r"^\d+[.)]\s+")
_TRAILING_HANDLE = re.compile(r"@(\w[\w.-]*)\s*$")
_GROUP_HEADING = re.compile(
    r"\b(?:short|medium|long|near)[- ]term\b|\bimmediate\b|\bplanned\b|\bcompleted\b|"
    r"\bin[- ]progress\b|\brecommended\b|\bfuture\b|\bongoing\b|\bnext steps\b",
    re.IGNORECASE,
)
_DONE_HEADING = re.compile(
    r"\((?:already )?(?:completed?|done)\)|\b(?:completed|done) actions\b", re.IGNORECASE
)
_CATEGORY_LINE = re.compile(
    r"^\s*(?:\*\*|__)?(prevention|detection|response|recovery)\b", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def parse_action_status(cell: str) -> str | None:
    """'done' | 'in_progress' | 'wont_do' | 'todo', or None when nothing is recognised."""
    c = cell.strip()
    if not c:
        return "todo"
    if _WONT.search(c):
        return "wont_do"
    if _DONE.search(c):
        return "done"
    if _PROGRESS.search(c):
        return "in_progress"
    if _TODO.search(c) or _URL.fullmatch(c.strip("<>")):
        return "todo"
    return None


def parse_due(cell: str, hint: DateHint) -> tuple[date | None, str | None]:
    text = clean_inline(cell)
    if not text or text in ("-", "—", "n/a", "N/A"):
        return None, None
    return _due_date(text, hint.order), text


@lru_cache(maxsize=4096)
def _due_date(text: str, order: str | None) -> date | None:
    """A due date is read on its own: not near the incident date, no year taken from it."""
    dm = match_date(text, DateHint(order=order))
    return dm.value if dm is not None else None


def _map_columns(header: list[str]) -> dict[str, int]:
    return _columns_of(tuple(header))


@lru_cache(maxsize=1024)
def _columns_of(header: tuple[str, ...]) -> dict[str, int]:
    """Column name -> index (shared between calls: read it, never change it)."""
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        h = clean_inline(h).strip()
        for name, rx in _COLUMNS:
            if name not in cols and rx.search(h):
                cols[name] = i
                break
    return cols


def _is_action_table(b: Block) -> bool:
    return "description" in _map_columns(b.rows[0])


class ActionCollector:
    def __init__(self, hint: DateHint, log: ProblemLog) -> None:
        self.hint = hint
        self.log = log
        self.actions: list[Action] = []
        self._list_of: list[int] = []
        """Which list each action came from (a table, a section's list, a heading's list)."""
        self._list = 0

    def new_list(self) -> None:
        """What follows is another list: its items may restate earlier actions."""
        self._list += 1

    def add(self, action: Action) -> None:
        self.actions.append(action)
        self._list_of.append(self._list)

    def _status(self, cell: str, line: int) -> str:
        st = parse_action_status(clean_inline(cell) if "[" not in cell else cell)
        if st is None:
            self.log.add(
                "unknown_action_status",
                f"Action status {clean_inline(cell)!r} read as 'todo'.",
                line,
            )
            return "todo"
        return st

    def table(self, b: Block) -> None:
        cols = _map_columns(b.rows[0])
        c_id, c_desc, c_owner, c_due, c_category = (
            cols.get(name) for name in ("id", "description", "owner", "due", "category")
        )
        c_status = cols.get("status") if "status" in cols else cols.get("tracker")
        for row, line in zip(b.rows[1:], b.line_numbers[1:]):
            desc = clean_inline(_cell(row, c_desc))
            if not desc or is_placeholder(desc):
                self.log.add("placeholder", "An action row has no action written; skipped.", line)
                continue
            due_date, due_text = parse_due(_cell(row, c_due), self.hint)
            category_cell = _cell(row, c_category)
            category = _CATEGORY_TYPES.get(
                norm_words(category_cell).split(" ")[0] if category_cell else ""
            )
            self.add(Action(
                action_id=clean_inline(_cell(row, c_id)) or None,
                description=desc,
                owner=clean_owner(clean_inline(_cell(row, c_owner))),
                due_date=due_date,
                due_text=due_text,
                status=self._status(_cell(row, c_status), line),
                category=category,
                line=line,
            ))  # fmt: skip

    def bullet(
        self,
        text: str,
        checked: bool | None,
        line: int,
        category: str | None,
        default: str = "todo",
    ) -> None:
        text = text.replace("\n", " ").strip()
        if not clean_inline(text) or is_placeholder(text):
            self.log.add("placeholder", "An action item was left empty; skipped.", line)
            return
        status = None
        m = _STATUS_PREFIX.match(text)
        if m and clean_inline(text[m.end() :]):
            status = parse_action_status(m.group("s"))
            text = text[m.end() :]
        m = _STATUS_SUFFIX.search(text) if "(" in text or "**" in text or "__" in text else None
        if m and status is None:
            status = parse_action_status(m.group("s") or m.group("s2"))
            text = text[: m.start()]
        if checked is not None and status is None:
            status = "done" if checked else "todo"
        desc = clean_inline(text).rstrip(" -–:")
        if not desc:
            return
        self.add(Action(None, desc, None, None, None, status or default, category, line))

    def categorized_item(self, text: str, checked: bool | None, line: int, category: str) -> None:
        """Give a matching table action its category, or add the item as an action of its own."""
        if not clean_inline(text) or is_placeholder(text):
            self.log.add("placeholder", f"An empty {category} item was left in; skipped.", line)
            return
        target = self._match(text)
        if target is not None:
            if target.category is None:
                target.category = category
            return
        self.bullet(text, checked, line, category)

    def _match(self, text: str) -> Action | None:
        """The earlier action (of another list) that `text` names or restates, if any."""
        earlier = [a for a, n in zip(self.actions, self._list_of, strict=True) if n != self._list]
        if not earlier:
            return None
        ref = _REF.search(text)
        if ref:
            wanted = ref.group(1) or ref.group(2) or ref.group(3)
            for a in earlier:
                if a.action_id is None:
                    continue
                aid = a.action_id.strip("#")
                if (
                    aid == wanted
                    or aid.split("-")[-1] == wanted.split("-")[-1]
                    and (ref.group(1) is not None or aid == wanted)
                ):
                    return a
        mine = content_stems(text)
        theirs = [content_stems(a.description) for a in earlier]
        if all(len(mine & stems) < RESTATED_MIN_SHARED for stems in theirs):
            return None  # every score would be 0
        weights = word_weights([*theirs, mine])
        best, best_score = None, 0.0
        for a, stems_of_a in zip(earlier, theirs, strict=True):
            score = restatement_score(mine, stems_of_a, weights)
            if score > best_score:
                best, best_score = a, score
        return best if best_score >= RESTATED_OVERLAP else None


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


def is_stray_action_table(b: Block) -> bool:
    """An action table outside any action section: its header says "action" and has an owner,
    status, due or type column (so a timeline's "Action" column does not qualify)."""
    cols = _map_columns(b.rows[0])
    header = " ".join(b.rows[0]).lower()
    return (
        "action" in header
        and "description" in cols
        and bool({"owner", "status", "due", "category"} & cols.keys())
    )


def extract_actions(
    action_sections: list[Section],
    categorized: list[Section],
    hint: DateHint,
    log: ProblemLog,
    stray_tables: list[Block] = (),  # type: ignore[assignment]
) -> list[Action]:
    col = ActionCollector(hint, log)
    for b in stray_tables:
        col.new_list()
        col.table(b)
    for section in action_sections:
        col.new_list()
        blocks = list(section.tree_blocks())
        has_structure = any(b.kind in ("table", "list_item") for b in blocks)
        category: str | None = None
        base: int | None = None
        default = "todo"  # "### Immediate actions (completed)" makes its items done
        last_ordered = False
        heading_action = False  # under "#### 1) Cron cleanup": the text below is its detail
        for b in blocks:
            if b.kind == "table" and _is_action_table(b):
                col.new_list()
                col.table(b)
                col.new_list()
            elif b.kind == "heading":
                col.new_list()
                heading_action = False
                title = clean_inline(b.text)
                cat = _CATEGORY_LINE.match(title)
                category = cat.group(1).lower() if cat else None
                default = "done" if _DONE_HEADING.search(title) else "todo"
                if _NUMBERED.match(title) and not _GROUP_HEADING.search(title):
                    # "#### 1) Cron cleanup scheduled @x" is an action; "### 1. Short-Term" a group
                    owner = _TRAILING_HANDLE.search(title)
                    desc = _NUMBER_PREFIX.sub("", title)
                    if owner:
                        desc = desc[: owner.start() - len(title) + len(desc)].strip()
                    col.add(
                        Action(
                            None,
                            desc,
                            owner.group(1) if owner else None,
                            None,
                            None,
                            default,
                            None,
                            b.line,
                        )
                    )
                    heading_action = True
                base = None
                last_ordered = False
            elif heading_action:
                continue
            elif b.kind == "list_item":
                if base is None or b.indent < base:
                    base = b.indent
                if b.indent > base:
                    continue  # nested detail of the item above
                ordered = b.marker[:1].isdigit()
                if last_ordered and not ordered:
                    continue  # bullets under "1. **Title**" at the same indent are its details
                last_ordered = ordered
                if category is not None:
                    col.categorized_item(b.text, b.checked, b.line, category)
                else:
                    col.bullet(b.text, b.checked, b.line, None, default)
            elif b.kind == "paragraph":
                line0 = clean_inline(b.lines[0])
                cat = _CATEGORY_LINE.match(b.lines[0])
                if cat and len(line0) < 60:
                    col.new_list()
                    category = cat.group(1).lower()
                    base = None
                elif not has_structure:
                    for raw, line in zip(b.lines, b.line_numbers):
                        if clean_inline(raw):
                            col.bullet(raw, None, line, None, default)
    for section in categorized:
        col.new_list()
        category = None
        base = None
        for b in section.tree_blocks():
            if b.kind in ("paragraph", "heading"):
                cat = _CATEGORY_LINE.match(b.text if b.kind == "heading" else b.lines[0])
                if cat:
                    col.new_list()
                    category = cat.group(1).lower()
                    base = None
            elif b.kind == "list_item" and category is not None:
                if base is None or b.indent < base:
                    base = b.indent
                if b.indent == base:
                    col.categorized_item(b.text, b.checked, b.line, category)
            elif b.kind == "table" and _is_action_table(b):
                col.new_list()
                col.table(b)
    return col.actions
