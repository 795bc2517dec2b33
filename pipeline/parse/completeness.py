"""How much of the template a document really fills in."""

from __future__ import annotations

from pipeline.model import ParsedDocument

MAIN_SECTIONS = (
    "summary", "timeline", "impact", "root_cause", "whys",
    "detection", "response", "resolution", "actions", "lessons",
)  # fmt: skip


def filled_sections(doc: ParsedDocument) -> dict[str, bool]:
    """For each of the template's ten main sections, whether it holds real (non-placeholder)
    content, judged on what the parser extracted (placeholders never reach these fields)."""
    inc = doc.incident
    kinds = {learning.kind for learning in doc.learnings}
    return {
        "summary": bool(inc.summary),
        "timeline": bool(doc.timeline),
        "impact": any(
            v is not None
            for v in (
                inc.duration_minutes if inc.duration_derived is None else None,
                inc.users_affected,
                inc.traffic_pct,
                inc.severity,
                inc.business_impact,
                inc.data_impact,
                inc.data_loss,
            )
        ),
        "root_cause": bool(inc.what_happened or (inc.root_cause and not doc.whys)),
        "whys": bool(doc.whys),
        "detection": bool(doc.detection_methods or inc.detection_gap),
        "response": bool(kinds & {"went_well", "could_improve", "got_lucky"}),
        "resolution": bool(inc.immediate_fix or inc.permanent_fix),
        "actions": bool(doc.actions),
        "lessons": bool(kinds & {"technical", "process", "cultural", "other"}),
    }


def completeness(doc: ParsedDocument) -> float:
    """Share (0..1, two decimals) of the ten main template sections really filled in."""
    filled = filled_sections(doc)
    return round(sum(filled.values()) / len(MAIN_SECTIONS), 2)
