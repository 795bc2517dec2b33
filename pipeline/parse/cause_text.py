"""The text a postmortem gives about its cause, for the cause grouping.

Template-shaped postmortems say it in the whys and the Root Cause section; many real ones
(status-page write-ups, blog posts, collections of public postmortems) have no such section
and tell it in a summary or in plain prose, with keywords in the front matter. Every
incident that says anything should join the cause analysis, so the text falls back in that
order. Parts are joined by blank lines, the strongest statement first: the grouping weighs
the first part more.
"""

from __future__ import annotations

from pipeline.model import ParsedDocument
from pipeline.parse.reading import Reading
from pipeline.parse.resolver import as_list, fm_get
from pipeline.parse.text import clean_inline

NARRATIVE_CHARS = 2000
"""How much of an unsectioned narrative is read: the cause is told early, if at all."""
_NARRATIVE_KINDS = frozenset({"paragraph", "list_item"})


def cause_parts(doc: ParsedDocument) -> list[str]:
    """The whys (the root-cause why first), the root-cause prose, what happened."""
    inc = doc.incident
    whys = sorted(doc.whys, key=lambda w: (not w.is_root_cause, w.level))
    parts = [w.text for w in whys]
    if inc.root_cause and inc.root_cause not in parts:
        parts.append(inc.root_cause)
    if inc.what_happened:
        parts.append(inc.what_happened)
    return [p for p in parts if p and p.strip()]


def narrative(r: Reading) -> str | None:
    """Prose under no recognised heading (the body of an unsectioned write-up)."""
    texts: list[str] = []
    size = 0
    for section in r.root.walk():
        if section.key is not None or section.ancestor_keys:
            continue  # a recognised section, or inside one: not narrative
        for block in section.blocks:
            if block.kind not in _NARRATIVE_KINDS:
                continue
            text = clean_inline(" ".join(block.lines) if block.kind == "paragraph" else block.text)
            text = " ".join(text.split())
            if len(text) < 40:  # a label line, a link, a byline
                continue
            texts.append(text)
            size += len(text)
            if size >= NARRATIVE_CHARS:
                return "\n".join(texts)[:NARRATIVE_CHARS]
    return "\n".join(texts) or None


def read_cause_text(r: Reading) -> None:
    inc = r.inc
    parts = cause_parts(r.doc)
    source = "root_cause" if parts else None
    if not parts:
        if inc.summary:
            parts.append(inc.summary)
            source = "summary"
        told = narrative(r)
        if told:
            parts.append(told)
            source = source or "prose"
    keywords = list(
        dict.fromkeys(
            word
            for key in ("categories", "keywords", "tags")
            for word in as_list(fm_get(r.fm, key))
            if word
        )
    )
    if keywords:
        parts.append("Keywords: " + ", ".join(keywords))
        source = source or "front_matter"
    inc.cause_text = "\n\n".join(parts) if parts else None
    inc.cause_source = source
