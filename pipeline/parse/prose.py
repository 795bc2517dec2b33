"""The text of a prose section, with template instructions and placeholders left out."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.parse.blocks import Block
from pipeline.parse.metadata import label_value
from pipeline.parse.text import clean_inline, is_instruction_line, is_placeholder


def section_text(
    blocks: Iterable[Block], skip_labels: bool = True
) -> tuple[str | None, int | None]:
    """(joined text or None, line of the first placeholder met) for paragraphs and list items.

    Label lines ("**Data Loss:** None") are values, not prose, and are skipped when asked.
    """
    parts: list[str] = []
    placeholder_line: int | None = None
    for b in blocks:
        if b.kind == "paragraph":
            lines = []
            for raw, line in zip(b.lines, b.line_numbers):
                if is_instruction_line(raw):
                    placeholder_line = placeholder_line or line
                    continue
                if skip_labels and label_value(raw) is not None:
                    continue
                c = clean_inline(raw)
                if c:
                    lines.append(c)
            if lines:
                parts.append(" ".join(lines))
        elif b.kind == "list_item":
            first = b.text.split("\n", 1)[0]
            if skip_labels and label_value(first) is not None:
                continue
            if is_instruction_line(first) or is_placeholder(first):
                placeholder_line = placeholder_line or b.line
                continue
            c = clean_inline(b.text.replace("\n", " "))
            if c:
                parts.append(f"- {c}")
        elif b.kind == "heading" and parts:
            parts.append(clean_inline(b.text))
    if len(parts) == 1 and parts[0].startswith("- "):
        parts[0] = parts[0][2:]  # a single bullet reads as a sentence
    text = "\n".join(parts).strip()
    return (text or None), placeholder_line
