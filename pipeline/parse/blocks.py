"""A single-pass line scanner that cuts Markdown into the blocks the extractors need.

Why hand-written and not markdown-it-py: the whole parse has a budget of about 1 ms of one core
per template-sized postmortem (issue 2, "Speed"), and markdown-it-py's block-level pass alone
costs ~2.2 ms. Extraction only needs block boundaries, each with its 1-based source line:
headings (ATX at any level and Setext), fenced code (``` / ~~~, whose `# ` lines are NOT
headings), indented code, tables (with or without outer pipes), list items (with their indent,
checkbox and continuation lines), block quotes, rules and paragraphs. Inline Markdown is left in
the text; `text.clean_inline` removes it where a value is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST = re.compile(r"^([ \t]*)([-*+•]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)")
_CHECKBOX = re.compile(r"^\[([ xX✅✓✔]?)\]\s*")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(slots=True)
class Block:
    """One block of the document. `line` is the 1-based line of its first source line."""

    kind: str
    """'heading' | 'paragraph' | 'list_item' | 'table' | 'code' | 'quote' | 'rule'."""
    line: int
    text: str = ""
    """Heading text; list item text (continuation lines joined by '\\n'); code info string."""
    level: int = 0
    """Heading level 1..6."""
    lines: list[str] = field(default_factory=list)
    """Paragraph / quote / code source lines; list item source lines."""
    line_numbers: list[int] = field(default_factory=list)
    """1-based line of each entry of `lines` (paragraphs), or of each table row."""
    indent: int = 0
    """List item indent in columns (nested items have more)."""
    marker: str = ""
    """List marker: '-', '*', '+', or '1.' style."""
    checked: bool | None = None
    """List item checkbox: None (no box), False ([ ]), True ([x], [X], [✅])."""
    rows: list[list[str]] = field(default_factory=list)
    """Table rows (header first, separator dropped), cells stripped."""


def split_cells(row: str) -> list[str]:
    row = row.strip()
    row = row.removeprefix("|")
    if "\\|" not in row:  # no escaped pipe: a plain split (3x faster than the pattern)
        row = row.removesuffix("|")
        return [c.strip() for c in row.split("|")]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(row)]


def atx_heading(raw: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line ("## Impact ##"), else None. The CommonMark rule
    by hand, as the pattern `^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$` reads it
    (a test holds the two equal), at a fifth of its cost: the lazy group tried every
    position of the line."""
    k = raw.find("#")
    if k < 0 or k > 3 or raw[:k] != " " * k:  # at most three spaces before
        return None
    n = len(raw)
    j = k + 1
    while j < n and raw[j] == "#":
        j += 1
    level = j - k
    if level > 6:
        return None
    if j == n:
        return level, ""
    if raw[j] != " " and raw[j] != "\t":
        return None  # "#hashtag"
    text = raw[j:].strip(" \t")
    if text.endswith("#"):  # a closing sequence counts only after a space: "C#" keeps it
        body = text.rstrip("#")
        if body[-1:] in (" ", "\t"):
            text = body.rstrip(" \t")
    return level, text.strip()


def _indent_width(s: str) -> int:
    return len(s.expandtabs(4)) if "\t" in s else len(s)


def scan_blocks(text: str, first_line: int = 1) -> list[Block]:
    """Cut `text` into blocks; `first_line` is the file line number of text's first line."""
    lines = text.split("\n")
    n = len(lines)
    blocks: list[Block] = []
    append = blocks.append
    i = 0
    para: Block | None = None  # the open paragraph, extended line by line
    item: Block | None = None  # the open list item, which takes indented continuation lines
    prev_blank = True
    in_comment = False
    while i < n:
        raw = lines[i]
        lineno = i + first_line
        stripped = raw.strip()
        if in_comment:
            if "-->" in raw:
                in_comment = False
            i += 1
            continue
        if not stripped:
            para = None
            prev_blank = True
            i += 1
            continue
        first = stripped[0]
        lead = len(raw) - len(raw.lstrip(" \t")) if raw[0] in " \t" else 0
        # fast path: a line opening with a letter and holding no pipe can only be text
        # (a paragraph line or a list item's continuation), unless it is indented code
        if first.isalpha() and "|" not in stripped and (lead < 4 or not prev_blank):
            if item is not None and (lead > item.indent or not prev_blank) and para is None:
                item.text = f"{item.text}\n{stripped}" if item.text else stripped
                item.lines.append(raw)
            elif para is not None:
                para.lines.append(raw)
                para.line_numbers.append(lineno)
            else:
                para = Block("paragraph", lineno, "", 0, [raw], [lineno])
                append(para)
                item = None
            prev_blank = False
            i += 1
            continue
        # --- fenced code: everything up to the closing fence is opaque
        if first in "`~":
            m = _FENCE.match(raw)
            if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
                fence = m.group(2)
                body: list[str] = []
                j = i + 1
                while j < n:
                    s = lines[j].strip()
                    if s.startswith(fence[0] * len(fence)) and not s.strip(fence[0]):
                        break
                    body.append(lines[j])
                    j += 1
                append(Block("code", lineno, text=m.group(3).strip(), lines=body))
                para = item = None
                prev_blank = False
                i = j + 1
                continue
        if first == "<" and stripped.startswith("<!--"):
            if "-->" not in stripped:
                in_comment = True
            para = None
            i += 1
            continue
        # --- indented code (4+ spaces after a blank line, not inside a list item)
        if lead >= 4 and prev_blank and item is None and para is None:
            body = []
            j = i
            while j < n and (not lines[j].strip() or _indent_width(lines[j][:4]) >= 4):
                body.append(lines[j][4:])
                j += 1
            while body and not body[-1].strip():
                body.pop()
                j -= 1
            append(Block("code", lineno, lines=body))
            para = None
            prev_blank = False
            i = j
            continue
        # --- Setext underline turns the open one-line paragraph into a heading
        if (
            para is not None
            and first in "=-"
            and len(para.lines) == 1
            and not para.text
            and _SETEXT.match(raw)
        ):
            para.kind = "heading"
            para.level = 1 if first == "=" else 2
            para.text = para.lines[0].strip()
            para.lines = []
            para = None
            prev_blank = False
            i += 1
            continue
        if first == "#":
            heading = atx_heading(raw)
            if heading is not None:
                append(Block("heading", lineno, heading[1], heading[0]))
                para = item = None
                prev_blank = False
                i += 1
                continue
        if first in "-*_" and stripped.count(first) >= 3 and _RULE.match(raw):
            append(Block("rule", lineno))
            para = item = None
            prev_blank = False
            i += 1
            continue
        if first == ">":
            body = []
            j = i
            while j < n and lines[j].lstrip().startswith(">"):
                body.append(lines[j].lstrip()[1:].lstrip())
                j += 1
            append(Block("quote", lineno, lines=body))
            para = item = None
            prev_blank = False
            i = j
            continue
        # --- table: a row with a pipe followed by a separator row
        if (
            "|" in stripped
            and i + 1 < n
            and "-" in lines[i + 1]
            and ("|" in lines[i + 1] or stripped.startswith("|"))
            and _TABLE_SEP.match(lines[i + 1])
        ):
            rows = [split_cells(raw)]
            nums = [lineno]
            j = i + 2
            while j < n and "|" in lines[j] and lines[j].strip():
                rows.append(split_cells(lines[j]))
                nums.append(j + first_line)
                j += 1
            append(Block("table", lineno, rows=rows, line_numbers=nums))
            para = item = None
            prev_blank = False
            i = j
            continue
        m = _LIST.match(raw) if (first in "-*+•" or first.isdigit()) else None
        if m:
            content = m.group(3) or ""
            checked = None
            cb = _CHECKBOX.match(content) if content[:1] == "[" else None
            if cb:
                checked = cb.group(1) not in ("", " ")
                content = content[cb.end() :]
            item = Block("list_item", lineno, content.strip(), 0, [raw], [],
                         _indent_width(m.group(1)), m.group(2), checked)  # fmt: skip
            append(item)
            para = None
            prev_blank = False
            i += 1
            continue
        # --- continuation of a list item: indented, or a lazy line right after it
        if item is not None and (lead > item.indent or not prev_blank) and para is None:
            item.text = f"{item.text}\n{stripped}" if item.text else stripped
            item.lines.append(raw)
            prev_blank = False
            i += 1
            continue
        if para is not None:
            para.lines.append(raw)
            para.line_numbers.append(lineno)
        else:
            para = Block("paragraph", lineno, "", 0, [raw], [lineno])
            append(para)
            item = None
        prev_blank = False
        i += 1
    return blocks
