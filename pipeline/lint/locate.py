"""Where in the file the parser found each header field and section: the lines lint points at.

The parser records them (`ParsedDocument.field_lines` and `.section_lines`), so "which line is
the severity" is decided by the same rules that read it. This module adds the two things lint
needs beyond that: the text lines, to find a phrase in prose the parser kept without a line, and
which keys the front matter gives, to tell a date the document states from one the parser
guessed from the title or the file name.
"""

from __future__ import annotations

from pipeline.model import ParsedDocument
from pipeline.parse.decode import decode
from pipeline.parse.front_matter import load_front_matter, split_front_matter
from pipeline.parse.problems import ProblemLog


class DocumentMap:
    """1-based lines of header fields and sections, and the text lines to search phrases in."""

    def __init__(
        self,
        lines: list[str],
        field_lines: dict[str, int],
        section_lines: dict[str, int],
        front_matter_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.lines = lines
        self.fields = field_lines
        self.sections = section_lines
        self.front_matter_keys = front_matter_keys

    def field_line(self, name: str) -> int | None:
        return self.fields.get(name)

    def section_line(self, key: str) -> int | None:
        return self.sections.get(key)

    def find(self, phrase: str, after: int | None = None) -> int | None:
        """The first line at or after `after` holding `phrase` (case-insensitive)."""
        needle = phrase.lower()
        start = max((after or 1) - 1, 0)
        for index in range(start, len(self.lines)):
            if needle in self.lines[index].lower():
                return index + 1
        return None


def map_document(data: str | bytes, doc: ParsedDocument) -> DocumentMap:
    """The map of a document the parser has read (and not rejected)."""
    text = decode(data, ProblemLog()) or ""
    fm_text, _, _ = split_front_matter(text)
    keys: frozenset[str] = frozenset()
    if fm_text is not None:
        loaded = load_front_matter(fm_text, ProblemLog())  # the parser's safe, bounded loader
        if loaded:
            keys = frozenset(str(k).lower() for k, v in loaded.items() if v not in (None, "", []))
    return DocumentMap(text.split("\n"), doc.field_lines, doc.section_lines, keys)
