"""What the field rules of one document share: its parts, as read so far, and the helpers to
read a section's prose or a labelled value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Incident, ParsedDocument
from pipeline.parse.blocks import Block
from pipeline.parse.dates import DateHint
from pipeline.parse.metadata import Metadata
from pipeline.parse.problems import ProblemLog
from pipeline.parse.prose import section_text
from pipeline.parse.resolver import Resolver
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline, is_placeholder


@dataclass(slots=True)
class Reading:
    """One document being read. The rules of `document.FIELD_RULES` fill `doc` in order; each
    rule may read what an earlier rule filled, never what a later one will."""

    source_path: str
    fm: dict[str, Any]
    """Front matter, keys lower-cased ({} when none)."""
    body: str
    blocks: list[Block]
    root: Section
    index: dict[str, list[Section]]
    meta: Metadata
    res: Resolver
    hint: DateHint
    """How the document writes dates; the 'anchor dates' rule adds the incident date."""
    log: ProblemLog
    doc: ParsedDocument
    scratch: dict[str, Any] = field(default_factory=dict)
    """Values one rule hands to a later one (the root-cause prose, the zone)."""

    @property
    def inc(self) -> Incident:
        return self.doc.incident

    def sections_of(self, key: str) -> list[Section]:
        return self.index.get(key, [])

    def prose(self, key: str, what: str) -> str | None:
        """The text of every section named `key`; a section holding only the template's
        instruction warns 'placeholder'."""
        t, ph = joined_text(self.sections_of(key))
        if t is None and ph is not None:
            self.log.add("placeholder", f"{what} still holds the template's instruction.", ph)
        return t

    def meta_text(self, name: str) -> str | None:
        """The first filled-in labelled value of a field ("**Summary:** ...")."""
        for lab in self.meta.candidates(name):
            if lab.value and not is_placeholder(lab.value):
                return lab.value
        return None


def joined_text(sections: list[Section]) -> tuple[str | None, int | None]:
    """(the sections' text joined by newlines or None, line of the first placeholder met)."""
    texts, ph = [], None
    for s in sections:
        t, p = section_text(s.tree_blocks())
        if s.value:
            t = f"{clean_inline(s.value)}\n{t}" if t else clean_inline(s.value)
        if t:
            texts.append(t)
        ph = ph or p
    return ("\n".join(texts) if texts else None), ph
