"""Cause texts cut into parts (the why marked root cause first); the words themselves come
from `pipeline.words`, shared with the parser."""

from __future__ import annotations

import re

from pipeline.words import STOP_STEMS, STOPWORDS, stem, stems, words

__all__ = ["PART_BREAK", "STOPWORDS", "STOP_STEMS", "split_parts", "stem", "stems", "words"]


# Parts the loader joins (root-cause why first) are separated by a blank line.
PART_BREAK = re.compile(r"\n\s*\n")
# Without blank lines, the first sentence stands for the first part (the loader puts the why
# marked root cause first, and a why is one sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'(])")


def split_parts(text: str, maxsplit: int = 0) -> list[str]:
    """The parts of a cause text, the root-cause why first."""
    parts = PART_BREAK.split(text, maxsplit=maxsplit)
    if len(parts) == 1:
        parts = _SENTENCE_END.split(text, maxsplit=1)
        if len(parts) > 1 and maxsplit == 0:
            parts = [parts[0], *PART_BREAK.split(parts[1])]
    return parts
