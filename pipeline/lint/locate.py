"""Where in the file the parser found each header field and section: the lines lint points at.

`ParsedDocument` carries lines for rows (timeline events, actions, whys) but not yet for header
fields or section headings (requested in /work/notes/parser-requests.md). Until it does, this
module rebuilds them by running the parser's own pieces (decode, front matter split, block
scanner, section tree, labelled-field collector) on the same bytes, so "which line is the
severity" is decided by exactly the rules the parser used to read it.
"""

from __future__ import annotations

from pipeline.parse.blocks import scan_blocks
from pipeline.parse.decode import decode
from pipeline.parse.front_matter import load_front_matter, split_front_matter
from pipeline.parse.metadata import collect_metadata
from pipeline.parse.problems import ProblemLog
from pipeline.parse.sections import build_sections, sections_with

try:  # the parser's own list of sections whose labels are not header fields
    from pipeline.parse.document import _META_SKIP as META_SKIP
except ImportError:  # pragma: no cover - renamed upstream; the same list, as of writing
    META_SKIP = frozenset({"timeline", "actions", "categorized_actions", "signoff", "appendix",
                           "related", "whys"})  # fmt: skip

SECTION_KEYS = ("timeline", "whys", "root_cause", "detection", "actions", "summary")


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


def map_document(data: str | bytes) -> DocumentMap:
    text = decode(data, ProblemLog()) or ""
    fm_text, body, offset = split_front_matter(text)
    root = build_sections(scan_blocks(body, first_line=offset + 1))
    meta = collect_metadata(root, META_SKIP)
    fields = {name: labelled.line for name, labelled in meta.values.items()}
    sections = {}
    for key in SECTION_KEYS:
        found = sections_with(root, key)
        if found:
            sections[key] = found[0].line
    keys: frozenset[str] = frozenset()
    if fm_text is not None:
        loaded = load_front_matter(fm_text, ProblemLog())  # the parser's safe, bounded loader
        if loaded:
            keys = frozenset(str(k).lower() for k, v in loaded.items() if v not in (None, "", []))
    return DocumentMap(text.split("\n"), fields, sections, keys)
