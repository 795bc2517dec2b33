"""The 5 Whys: numbered items, one of them possibly marked "(Root Cause)"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model import Why
from pipeline.parse.blocks import Block
from pipeline.parse.problems import ProblemLog
from pipeline.parse.text import clean_inline, is_instruction_line

# the template's marker "**Why?**" (also "Why 2:", "**Why**:"), not a question "Why did X?"
_WHY_PREFIX = re.compile(
    r"^\s*(?:\*\*|__)?\s*why\s*(?:\d+\s*)?(?:[?:.](?:\*\*|__)?|(?:\*\*|__)\s*[?:.]?)"
    r"\s*[:.\-–]?\s*",
    re.IGNORECASE,
)
_ROOT_MARK = re.compile(
    r"\s*(?:\*\*|__|\*|_)?\(\s*root[ -]?cause\s*\)(?:\*\*|__|\*|_)?\s*:?\s*", re.IGNORECASE
)
_NUMBER = re.compile(r"^(\d+)")


def extract_whys(blocks: Iterable[Block], log: ProblemLog) -> list[Why]:
    whys: list[Why] = []
    base: int | None = None
    count = 0
    for b in blocks:
        if b.kind != "list_item":
            continue
        if base is None:
            base = b.indent
        if b.indent > base:
            if whys:  # a nested detail belongs to the why above it
                whys[-1].text = f"{whys[-1].text} {clean_inline(b.text)}".strip()
            continue
        count += 1
        num = _NUMBER.match(b.marker)
        level = int(num.group(1)) if num else count
        text = b.text.replace("\n", " ")
        is_root = bool(_ROOT_MARK.search(text))
        text = _ROOT_MARK.sub(" ", text)
        text = _WHY_PREFIX.sub("", text, count=1)
        text = clean_inline(text)
        if not text or is_instruction_line(b.text):
            log.add("placeholder", f"Why #{level} was left empty; skipped.", b.line)
            continue
        whys.append(Why(level=level, text=text, is_root_cause=is_root, line=b.line))
    return whys
