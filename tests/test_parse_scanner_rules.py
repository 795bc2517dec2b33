"""The line scanner's hand-written rules read every line as the patterns they replaced.

`blocks.atx_heading` and the plain split of `blocks.split_cells` exist for speed only: each
must give, for any line at all, what the pattern it replaced gives. The patterns are kept here
as the definition; every string over the characters that matter, up to 6 long, is checked
(with hypothesis for longer ones).
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.blocks import atx_heading, split_cells

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def atx_by_pattern(raw: str) -> tuple[int, str] | None:
    m = ATX.match(raw)
    return None if m is None else (len(m.group(1)), (m.group(2) or "").strip())


def cells_by_pattern(row: str) -> list[str]:
    row = row.strip().removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [c.strip().replace("\\|", "|") for c in CELL_SPLIT.split(row)]


HEADING_CHARS = [" ", "\t", "#", "a", "\u00a0", "\\"]
CELL_CHARS = ["|", "\\", " ", "\t", "a", "\u00a0"]


def every_string(chars: list[str], longest: int):
    for size in range(longest + 1):
        for letters in itertools.product(chars, repeat=size):
            yield "".join(letters)


def test_atx_heading_reads_every_short_line_as_the_pattern() -> None:
    differ = [s for s in every_string(HEADING_CHARS, 6) if atx_heading(s) != atx_by_pattern(s)]
    assert differ == []


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from([*HEADING_CHARS, "b", "##", "   ", "é"]), max_size=30).map("".join))
def test_atx_heading_reads_longer_lines_as_the_pattern(raw: str) -> None:
    assert atx_heading(raw) == atx_by_pattern(raw)


def test_atx_heading_examples() -> None:
    assert atx_heading("## Impact ##") == (2, "Impact")
    assert atx_heading("# C#") == (1, "C#")
    assert atx_heading("#hashtag") is None
    assert atx_heading("    # indented code") is None
    assert atx_heading("####### seven") is None


def test_split_cells_splits_every_short_row_as_the_pattern() -> None:
    differ = [s for s in every_string(CELL_CHARS, 6) if split_cells(s) != cells_by_pattern(s)]
    assert differ == []


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(
    st.lists(st.sampled_from([*CELL_CHARS, "b", " | ", "\\|", "10:00"]), max_size=30).map("".join)
)
def test_split_cells_splits_longer_rows_as_the_pattern(row: str) -> None:
    assert split_cells(row) == cells_by_pattern(row)
