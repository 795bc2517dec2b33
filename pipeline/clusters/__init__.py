"""Group incidents by their recurring cause: the failure mechanism (issue 12).

    from pipeline.clusters import CauseText, cluster_root_causes
    rows = cluster_root_causes([CauseText("INC-1", "The x509 chain went stale.", None), ...])
    # -> [ClusterAssignment(incident_id, cluster_id, cluster_label, similarity, terms,
    #                       mechanism, pinned, what_failed)], by incident id

How it decides, in order:

1. A cause pinned by the authors (front matter `root_cause_category`) wins. A category naming a
   mechanism (its key, label, or an old theme alias: "DNS", "Expired certificate",
   "Third-party dependency") joins that mechanism's group; any other gets a group of its own,
   labelled with the spelling most of its authors used.
2. The mechanism model (`mechanism.py`, learned from hand-labelled cause texts of real
   postmortems) names the mechanism of the cause text; at MIN_CONFIDENCE or more the incident
   joins that mechanism's group. Four expired certificates are one recurring cause, whichever
   certificates they were; `what_failed` keeps what broke each time, so a reviewer sees when
   a group should be split.
3. What the model leaves ('other', or not sure enough) is grouped by TF-IDF similarity over
   word stems (`similar.py`): linked at cosine >= SIMILARITY_THRESHOLD, clusters are the
   connected components; a text linked to nothing is a group of one.
4. The reviewers' corrections (`corrections.py`, `causes.yml` beside the postmortems) are
   applied last: pin, split, merge, rename. Incidents a pin or a split placed are `pinned`.

Clusters are numbered 1..K by label, then first incident id; every step sorts by incident id,
so the table depends only on the set of documents (any order, incremental or full load).

Figures (frozen test split of `data/real/`, `python -m devtools.mechanisms evaluate`) are in
the closing note of issue 12 and in `docs/cause-grouping.md`.

What a caller may cache (`cache=`, any str -> str mapping kept between runs): each text's
mechanism (`mech:` keys; a pure function of the text) and the grouping of the leftovers
(`similar:` keys, one per distinct set of leftover texts). After a one-file change only that
text is classified, and the similarity stage is skipped unless the leftovers changed. Keys
embed a digest of the model and settings, so a cache kept across upgrades is cold, never wrong.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "CauseText",
    "ClusterAssignment",
    "MIN_CONFIDENCE",
    "cache_keys_in_use",
    "cluster_root_causes",
    "mechanism_for_category",
    "settings_digest",
}
__all__ = [
    "MIN_CONFIDENCE",
    "CauseText",
    "ClusterAssignment",
    "cache_keys_in_use",
    "cluster_root_causes",
    "mechanism_for_category",
    "settings_digest",
]


def __getattr__(name: str) -> Any:
    # Imported on first use: the grouping pulls in numpy and scipy, which a load that finds
    # its causes unchanged (and every other command) should not pay for.
    if name in _EXPORTS:
        from pipeline.clusters import grouping

        return getattr(grouping, name)
    raise AttributeError(f"module 'pipeline.clusters' has no attribute {name!r}")
