"""Why an incident's cause is in the group it is in: `postmortems causes --explain INCIDENT`.

Three things put an incident in a group (`pipeline.clusters`): a pin (the front matter's
`root_cause_category`, or a pin or split in the reviewers' `causes.yml`), the mechanism model
when it is sure enough, else the words its cause text shares with others. The explanation
joins what `root_cause_clusters` recorded with the model's reading of the stored cause text,
worked out again here (a pure function of the text), so the words that pushed it there can be
shown with their weights.

Which correction pinned an incident is read from the `causes.yml` files beside its source
file (in its folder or any folder above it: ingest reads the one at the root of each folder it
loads), so the answer names the file and line, as they are now.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.analytics import _sql

ORDER = ("pin", "split")
"""The corrections that place an incident, in the order ingest applies them."""


def explain_cause(con, incident_id: str) -> dict | None:
    """Why `incident_id` is where it is; None when no incident has that id. Keys:

    incident_id, display_title, cause_text, cause_source, root_cause_category, source_path;
    cluster_id, cluster_label, similarity, terms, stored_mechanism, assignment ('pinned' |
    'found' | None when in no group), what_failed, group_incidents, group_pinned (from the
    tables); stage ('pinned' | 'mechanism' | 'similarity' | None): what placed it;
    pinned_by: None, or {'source': 'causes.yml', 'path', 'line', 'entry', 'target'}, or
    {'source': 'front_matter', 'category'}; mechanism, mechanism_label, confidence, evidence
    [{'feature', 'words', 'weight'}] (the model's reading of the cause text; None without a
    text or a model); min_confidence (what the grouping needs to follow the model)."""
    from pipeline.clusters import mechanism
    from pipeline.clusters.settings import MIN_CONFIDENCE

    found = _sql.frame(con, "cause_explanation", incident_id=str(incident_id))
    if found.empty:
        return None
    out = {key: _sql.plain(value) for key, value in found.iloc[0].items()}
    out["terms"] = [str(t) for t in out["terms"]] if out["terms"] is not None else []
    out["min_confidence"] = MIN_CONFIDENCE

    decision = mechanism.decide(out["cause_text"] or "")
    out["mechanism"] = decision.mechanism if decision else None
    out["mechanism_label"] = mechanism.BY_KEY[decision.mechanism].label if decision else None
    out["confidence"] = decision.confidence if decision else None
    out["evidence"] = [
        {"feature": f, "words": mechanism.readable(f), "weight": round(w, 3)}
        for f, w in (decision.evidence if decision else ())
    ]

    out["pinned_by"] = None
    if out["assignment"] == "pinned":
        out["stage"] = "pinned"
        out["pinned_by"] = _pinned_by(out)
    elif out["assignment"] == "found":
        # The grouping keeps the model's mechanism only for the incidents it placed by it.
        placed_by_model = out["stored_mechanism"] not in (None, mechanism.OTHER)
        out["stage"] = "mechanism" if placed_by_model else "similarity"
    else:
        out["stage"] = None
    return out


def _pinned_by(facts: dict) -> dict:
    entry = _correction_naming(facts["incident_id"], facts.get("source_path"))
    if entry is not None:
        return entry
    if facts.get("root_cause_category"):
        return {"source": "front_matter", "category": facts["root_cause_category"]}
    # Pinned at the last ingest by an entry no longer in the file
    return {"source": "causes.yml", "path": None, "line": None, "entry": None, "target": None}


def _correction_naming(incident_id: str, source_path: str | None) -> dict | None:
    """The pin or split of a causes.yml beside the incident's file that names it, the one
    applied last when several do (pins first, then splits, each in file order)."""
    from pipeline.clusters.corrections import read_corrections
    from pipeline.corrections_file import find_corrections

    if not source_path:
        return None
    folders = list(Path(source_path).parents)
    files = find_corrections(list(reversed(folders)))
    naming = [
        (ORDER.index(entry.action), number, entry.line, corrections.path, entry)
        for number, corrections in enumerate(read_corrections(f) for f in files)
        for entry in corrections.entries
        if entry.action in ORDER and incident_id in entry.incidents
    ]
    if not naming:
        return None
    *_, path, entry = max(naming, key=lambda n: n[:3])
    written = (
        f"pin: {incident_id}: {entry.target}"
        if entry.action == "pin"
        else f"split: from {entry.groups[0]} to {entry.target}"
    )
    return {
        "source": "causes.yml",
        "path": path,
        "line": entry.line,
        "entry": written,
        "target": entry.target,
    }


def explanation_lines(e: dict) -> list[str]:
    """The explanation in words, one statement a line (what the CLI prints)."""
    lines = [f"{e['incident_id']}: {e['display_title']}"]
    if e["assignment"] is None:
        lines.append(
            "In no cause group: it has no cause text (no root cause, summary or prose to read)."
        )
        return lines
    members, pinned = int(e["group_incidents"] or 0), int(e["group_pinned"] or 0)
    lines.append(
        f"Group: {e['cluster_label']} ({members} incident{'s' if members != 1 else ''}, "
        f"{pinned} pinned)"
    )
    lines.append(f"What failed: {e['what_failed']}")
    lines.append(f"Cause text read from: {_SOURCES.get(e['cause_source'], e['cause_source'])}")
    lines.extend(_placement(e))
    if e["mechanism"] is None:
        lines.append("The mechanism model is not installed: no mechanism could be read.")
        return lines
    overridden = " (the pin overrides it)" if e["stage"] == "pinned" else ""
    lines.append(
        f"Mechanism the model reads{overridden}: {e['mechanism_label']} ({e['mechanism']}), "
        f"confidence {e['confidence']:.2f} (the grouping follows it from "
        f"{e['min_confidence']:.2f})"
    )
    if e["evidence"]:
        lines.append("Words that pushed it there (weight):")
        lines.extend(f"  {item['weight']:+.3f}  {item['words']}" for item in e["evidence"])
    if e["stored_mechanism"] not in (None, "other") and e["stored_mechanism"] != e["mechanism"]:
        lines.append(
            f"The last ingest read {e['stored_mechanism']}: the model changed since; "
            "run ingest again to regroup."
        )
    return lines


_SOURCES = {
    "root_cause": "the root cause (the whys and the Root Cause section)",
    "summary": "the summary (the document has no root-cause section)",
    "prose": "the prose (the document has no root-cause section or summary)",
    "front_matter": "the front matter's keywords",
}


def _placement(e: dict) -> list[str]:
    if e["stage"] == "pinned":
        by = e["pinned_by"]
        if by["source"] == "front_matter":
            return [
                f"Assignment: pinned by the front matter (root_cause_category: {by['category']})"
            ]
        if by["path"] is None:
            said = (
                "causes.yml at the last ingest; no entry names it now (the next ingest applies it)"
            )
            return [f"Assignment: pinned by {said}"]
        lines = [f"Assignment: pinned by {by['path']}:{by['line']} ({by['entry']})"]
        if e.get("root_cause_category"):
            category = e["root_cause_category"]
            lines.append(f"  (it overrides the front matter's root_cause_category: {category})")
        return lines
    if e["stage"] == "mechanism":
        line = "Assignment: found: the mechanism model placed it"
        if e["mechanism_label"] and e["cluster_label"] != e["mechanism_label"]:
            line += " (its group was renamed or merged in causes.yml)"
        return [line]
    unsure = "Assignment: found: the model was not sure of a mechanism, so"
    if int(e["group_incidents"] or 0) > 1:
        shared = f"{', '.join(e['terms']) or 'none'}; similarity {e['similarity']:.2f}"
        return [f"{unsure} it was grouped with the causes whose words it shares ({shared})"]
    return [f"{unsure} it is a group of its own: no other cause shares enough words with it"]
