"""Learnings: what went well, could be improved, got lucky, and technical/process/cultural lessons.

Lessons written straight under a generic "Lessons learned" heading have no finer kind; they
are kept with kind 'other' (a value added to LEARNING_KINDS for this) rather than dropped or
filed under a guessed kind. Items marked with ✅/👍 or ❌/👎 take the kind the mark gives.
Plain label lines ("What Went Well:") inside a lessons section switch the kind that follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model import Learning
from pipeline.parse.blocks import Block
from pipeline.parse.problems import ProblemLog
from pipeline.parse.sections import SYNONYMS, heading_words
from pipeline.parse.text import clean_inline, is_instruction_line, is_placeholder

KEY_TO_KIND = {
    "went_well": "went_well",
    "could_improve": "could_improve",
    "got_lucky": "got_lucky",
    "technical_lessons": "technical",
    "process_lessons": "process",
    "cultural_lessons": "cultural",
    "lessons": "other",
}
_MARKS = (("✅", "went_well"), ("👍", "went_well"), ("✔", "went_well"), ("❌", "could_improve"),
          ("👎", "could_improve"), ("⚠", "could_improve"), ("🍀", "got_lucky"))  # fmt: skip


def _kind_from_label(text: str) -> tuple[str | None, str]:
    """("went_well", rest) for a label line such as "What Went Well:" or "👍 What went well: x"."""
    clean = clean_inline(text)
    label, colon, rest = clean.partition(":")
    if not colon:
        label, rest = clean, ""
    if len(label) > 60:
        return None, ""
    words = heading_words(label)
    key = SYNONYMS.get(words)
    if key in KEY_TO_KIND and key != "lessons" and (colon or len(clean) < 60):
        if rest.strip() and " " not in words:
            return None, ""  # "Process: we lack a standard…" is a lesson, not a heading
        return KEY_TO_KIND[key], rest.strip()
    return None, ""


_STATUS_MARK = re.compile(r"^\s*(?:\*\*|__)(?:DONE|TODO|DOING|IN PROGRESS|WIP)(?:\*\*|__)")


class LearningCollector:
    def __init__(self, log: ProblemLog) -> None:
        self.log = log
        self.items: list[Learning] = []
        self.status_items: list[tuple[str, int]] = []
        """Lines such as "**TODO**: add ZFS alerts" met among lessons: actions, not lessons."""
        self.seq: dict[str, int] = {}

    def add(self, kind: str, text: str, line: int) -> None:
        if _STATUS_MARK.match(text):
            self.status_items.append((text, line))
            return
        text = clean_inline(text)
        if not text:
            return
        for mark, k in _MARKS:
            if text.startswith(mark):
                kind = k
                text = text[len(mark) :].strip()
                break
        self.seq[kind] = self.seq.get(kind, 0) + 1
        self.items.append(Learning(kind=kind, seq=self.seq[kind], text=text, line=line))

    def section(
        self, kind: str, blocks: Iterable[Block], inline_value: str | None, line: int
    ) -> None:
        if inline_value:
            self.add(kind, inline_value, line)
        current = kind
        base: int | None = None
        for b in blocks:
            if b.kind == "list_item":
                first = b.text.split("\n", 1)[0]
                if base is None or b.indent < base:
                    base = b.indent
                label_kind, rest = _kind_from_label(first)
                if label_kind is not None and (not rest or b.indent == base):
                    current = label_kind
                    if rest:
                        self.add(current, rest, b.line)
                    continue
                if not clean_inline(b.text) or is_placeholder(first) or is_instruction_line(first):
                    self.log.add(
                        "placeholder", "An empty lesson item was left in; skipped.", b.line
                    )
                    continue
                self.add(current, b.text.replace("\n", " "), b.line)
            elif b.kind == "paragraph":
                # a paragraph is one lesson (its wrapped lines joined); label lines split it
                pending: list[str] = []
                start = b.line
                for raw, ln in zip(b.lines, b.line_numbers):
                    label_kind, rest = _kind_from_label(raw)
                    if label_kind is not None:
                        if pending:
                            self.add(current, " ".join(pending), start)
                            pending = []
                        current = label_kind
                        if rest:
                            self.add(current, rest, ln)
                        continue
                    if is_instruction_line(raw):
                        self.log.add("placeholder", "A template instruction was left in.", ln)
                        continue
                    if clean_inline(raw):
                        if not pending:
                            start = ln
                        pending.append(raw.strip())
                if pending:
                    self.add(current, " ".join(pending), start)
            elif b.kind == "heading":
                label_kind, _ = _kind_from_label(b.text)
                if label_kind is not None:
                    current = label_kind
