"""Group incidents by underlying root cause, however it was worded (issue 5).

DOCSTRING-PLACEHOLDER
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field

from pipeline.clusters.similar import group_similar
from pipeline.clusters.themes import ThemeMatch, category_key, classify, theme_for_category
from pipeline.clusters.vocabulary import THEMES

THEMES_BY_KEY = {t.key: t for t in THEMES}

__all__ = [
    "CauseText",
    "ClusterAssignment",
    "cluster_root_causes",
    "text_key",
]


@dataclass(slots=True)
class CauseText:
    """What the loader knows about one incident's cause."""

    incident_id: str
    text: str
    """The why marked root cause, then the other whys, the root-cause prose and "What
    Happened?", joined with blank lines (the first part weighs more)."""
    pinned_category: str | None = None
    """Front matter `root_cause_category`; when set it decides the cluster."""


@dataclass(slots=True)
class ClusterAssignment:
    """One row of `root_cause_clusters`."""

    incident_id: str
    cluster_id: int
    """1..K, numbered by cluster label then first incident id (never by input order)."""
    cluster_label: str
    """Short human-readable name, e.g. 'expired TLS certificate'."""
    similarity: float
    """How strongly the incident belongs to its cluster, 0..1."""
    terms: list[str] = field(default_factory=list)
    """The words that tie the incident to its cluster."""


def text_key(text: str) -> str:
    """Cache key for a text's theme classification (see `cluster_root_causes`)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


_NO_THEME = "-"  # cached marker: "classified, no theme" (None means "not cached")


def cluster_root_causes(
    docs: Sequence[CauseText],
    *,
    theme_cache: MutableMapping[str, str] | None = None,
    threshold: float | None = None,
) -> list[ClusterAssignment]:
    """One assignment per document with non-empty text, sorted by incident id.

    The result depends only on the set of documents, never on their order. `theme_cache`
    (optional, any dict-like, e.g. one kept by the loader between ingests) maps `text_key(text)`
    to the classification of that text, so re-clustering after a one-file change classifies only
    the changed text; it is filled as a side effect.
    """
    ordered = sorted(
        (d for d in docs if d.text and d.text.strip()),
        key=lambda d: (d.incident_id, d.text),
    )
    # cluster key -> list of (incident_id, similarity, terms)
    clusters: dict[tuple[str, str], list[tuple[str, float, list[str]]]] = {}
    labels: dict[tuple[str, str], str] = {}
    pinned_spellings: dict[tuple[str, str], list[str]] = {}
    leftovers: list[CauseText] = []

    for doc in ordered:
        if doc.pinned_category and category_key(doc.pinned_category):
            theme = theme_for_category(doc.pinned_category)
            if theme is not None:
                key = ("theme", theme.key)
                labels[key] = theme.label
            else:
                key = ("pinned", category_key(doc.pinned_category))
                pinned_spellings.setdefault(key, []).append(doc.pinned_category.strip())
            clusters.setdefault(key, []).append((doc.incident_id, 1.0, ["pinned"]))
            continue
        match = _classify_cached(doc.text, theme_cache)
        if match is None:
            leftovers.append(doc)
            continue
        key = ("theme", match.theme.key)
        labels[key] = match.theme.label
        clusters.setdefault(key, []).append((doc.incident_id, match.confidence, list(match.terms)))

    for key, spellings in pinned_spellings.items():
        # The spelling most authors used (ties: alphabetical), so "dns" and "DNS" share one.
        counts: dict[str, int] = {}
        for s in spellings:
            counts[s] = counts.get(s, 0) + 1
        labels[key] = min(counts, key=lambda s: (-counts[s], s))

    for group in group_similar([d.text for d in leftovers], threshold=threshold):
        members = [leftovers[i] for i in group.members]
        key = ("similar", members[0].incident_id)
        labels[key] = group.label
        clusters[key] = [
            (doc.incident_id, sim, list(terms))
            for doc, sim, terms in zip(members, group.similarities, group.terms)
        ]

    numbered = sorted(clusters, key=lambda k: (labels[k].casefold(), min(m[0] for m in clusters[k])))
    out = [
        ClusterAssignment(incident_id, number, labels[key], float(similarity), terms)
        for number, key in enumerate(numbered, start=1)
        for incident_id, similarity, terms in clusters[key]
    ]
    out.sort(key=lambda a: a.incident_id)
    return out


def _classify_cached(text: str, cache: MutableMapping[str, str] | None) -> ThemeMatch | None:
    if cache is None:
        return classify(text)
    key = text_key(text)
    hit = cache.get(key)
    if hit is None:
        match = classify(text)
        cache[key] = _NO_THEME if match is None else _encode(match)
        return match
    return None if hit == _NO_THEME else _decode(hit)


def _encode(match: ThemeMatch) -> str:
    return "\t".join((match.theme.key, repr(match.score), repr(match.confidence), *match.terms))


def _decode(value: str) -> ThemeMatch:
    key, score, confidence, *terms = value.split("\t")
    return ThemeMatch(THEMES_BY_KEY[key], float(score), float(confidence), tuple(terms))
