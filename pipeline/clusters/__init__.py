"""Group incidents by underlying root cause, however it was worded (issue 5).

    from pipeline.clusters import CauseText, cluster_root_causes
    rows = cluster_root_causes([CauseText("INC-1", "The x509 chain went stale.", None), ...])
    # -> [ClusterAssignment(incident_id, cluster_id, cluster_label, similarity, terms)], by id

How it decides, in order:

1. A pinned `root_cause_category` wins. Spellings meet after case, punctuation and separators
   are dropped ("dns", " DNS ", "Dns" meet); a category naming a built-in theme (its key, label or
   an alias: "DNS", "Expired certificate", "Third-party dependency") joins that theme's cluster,
   any other gets its own cluster labelled with the spelling most of its authors used.
2. The built-in vocabulary (`vocabulary.py`, 16 failure themes written from operations
   experience: certificate expiry, credentials, config change, DNS, database failover,
   capacity/limits, third-party dependency, deploy, network routing, data deletion, schema
   migration, resource leak, clock/time, hardware/power, attack, retry storm) scores each text
   (`themes.py`): a strong term 3, medium 2, weak 1, doubled in the why marked root cause.
   When that why alone reaches MIN_THEME_SCORE it decides; otherwise the whole text is scored.
3. The texts no theme claims go to TF-IDF over word stems (`similar.py`): linked at cosine >=
   SIMILARITY_THRESHOLD over each text's 12 heaviest terms, clusters are the connected
   components, labelled with the words most members share; a text linked to nothing is a
   cluster of one, labelled with its own three heaviest words.

Clusters are numbered 1..K by label, then first incident id; every step sorts by incident id,
so the table depends only on the set of documents (any order, incremental or full load).

Why a vocabulary first, with the figures (`python -m pipeline.clusters.evaluate` prints the
whole sweep; pairwise precision / recall / F1 against the true labels):

    hand-labelled set (tests/data/root_cause_eval.yaml, 88 texts, 24 themes incl. 6 singletons)
    generated corpus (300 generated documents through the parser, seed 11, 9 themes; the
    generator was still changing: figures of 2026-11-27 ~03:10 UTC)

                                              hand-labelled          generated
    chosen settings                         0.851 0.886 0.868   0.984 0.995 0.990
    TF-IDF alone, threshold 0.10            0.044 0.749 0.083   0.125 0.709 0.212
    TF-IDF alone, threshold 0.20            0.444 0.024 0.045   0.772 0.589 0.668
    TF-IDF alone, threshold 0.30            1.000 0.012 0.024   1.000 0.589 0.741

Differently worded texts about one cause share almost no words, so similarity alone either
chains everything together or links almost nothing: it cannot reach the 0.85 target on texts
written to vary. The vocabulary carries the recall; TF-IDF only groups what it leaves, where a
wrong link is worse than a missed one.

Threshold of the vocabulary (MIN_THEME_SCORE; scores in the root-cause why count double, so 4
means "one medium term or two weak ones there"):

    min score      2                  4 (chosen)          6                  8
    hand-labelled  0.696 0.892 0.782  0.851 0.886 0.868   0.883 0.766 0.821  0.872 0.449 0.593
    generated      0.858 0.881 0.870  0.984 0.995 0.990   0.984 0.995 0.990  0.936 0.956 0.946

Root-cause why first (ROOT_FIRST) against scoring the whole text at once, factor 2:
hand-labelled F1 0.868 against 0.805, generated 0.990 against 0.937 ("What Happened?" recounts
symptoms and red herrings: "we first suspected a database failover...").

Similarity threshold (SIMILARITY_THRESHOLD) for the leftovers: with the vocabulary on, F1 on the
hand-labelled set is 0.863 at 0.10, 0.868 from 0.15 to 0.35, 0.865 at 0.4-0.5, 0.861 at
0.6 and above (generated: 0.990 throughout; it leaves almost nothing over). Used alone, 0.30 is
the lowest threshold at which TF-IDF makes no false link on either set (precision 1.000 in the
table above; 0.25 gives 0.667 and 0.826), which is what a leftover stage needs, so 0.30.

Speed (`python -m pipeline.clusters.bench`): texts of 200-600 characters, every one distinct,
a quarter (stress) or one in twenty with no theme vocabulary, left to the TF-IDF stage:
    seconds, wall / CPU, measured 2026-11-27 on the 2-core machine while other work kept its
    load average at 7-8 (wall time is inflated; CPU time is the cost). Re-ingest columns
    re-cluster with the cache kept from the full run, after editing one document.

                            leftovers   full run   1 themed edited   1 leftover edited
    a quarter left over  10k    2,443   3.45/1.64       0.16/0.11          0.48/0.35
    (stress)            100k   24,396  10.58/6.40       4.01/1.68          8.17/3.86
    one in twenty        10k      489   0.83/0.44       0.04/0.03          0.10/0.10
    left over           100k    4,873  11.42/4.95       2.70/1.11          3.19/1.31

    (At load ~3 earlier the same stress run took 5.4 s wall for 100k.) The one-file re-ingest
    costs ~1.1 s CPU at 100k, not the hoped-for < 1 s: building 100,000 result rows, hashing
    100,000 texts for their cache keys and sorting take most of it.
The similarity stage never forms all pairs: the sparse product of top-12-term vectors only
touches pairs sharing a characteristic word, and a term among the top terms of more than 5,000
texts is dropped from that product as too general to tie two causes.

Known misses on the hand-labelled set (7 of 88 texts): a rate-limiter *settings* change filed
under capacity; a file-handle leak that "hit the open file limit" filed under capacity; a
retry storm worded "time out and try again" after "one slow dependency" filed under
dependency; a hand-edited health-check path, goroutines "waiting on a channel nobody closed"
and a two-digit-year parsing bug left as clusters of one; a one-off PDF licence text pulled
into network routing by "switched". On the generated corpus: "Scheduled jobs are not reviewed
like services" (a data deletion by an off-by-one retention job) goes to faulty deploy.

What a caller may cache (`cache=`, any str -> str mapping kept between runs): each text's theme
(`theme:` keys; a pure function of the text) and the grouping of the leftovers (`similar:` keys,
one per distinct set of leftover texts). After a one-file change only that text is classified,
and the similarity stage is skipped unless the leftovers changed. Keys embed a digest of the
vocabulary and settings, so a cache kept across upgrades is cold, never wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.clusters import similar
from pipeline.clusters.similar import Group, group_similar
from pipeline.clusters.themes import ThemeMatch, category_key, classify, theme_for_category
from pipeline.clusters.vocabulary import THEMES

THEMES_BY_KEY = {t.key: t for t in THEMES}

__all__ = [
    "CauseText",
    "ClusterAssignment",
    "cache_keys_in_use",
    "cluster_root_causes",
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
    """How strongly the incident belongs to its cluster, 0..1: for a theme, the share of the
    text's theme evidence that points at it; for a similarity cluster, the cosine to the
    cluster's centroid; 1.0 for a pinned category and for a cluster of one."""
    terms: list[str] = field(default_factory=list)
    """The words that tie the incident to its cluster."""


def _settings_digest() -> str:
    """Changes whenever the vocabulary or a setting changes, so a kept cache never serves
    answers from an older version of the clustering."""
    from pipeline.clusters import similar, themes

    settings = (
        THEMES,
        themes.WEIGHTS,
        themes.MIN_THEME_SCORE,
        themes.ROOT_PART_FACTOR,
        themes.ROOT_FIRST,
        similar.SIMILARITY_THRESHOLD,
        similar.TOP_TERMS,
        similar.MAX_POSTING,
        _CACHE_FORMAT,
    )
    return hashlib.sha1(repr(settings).encode()).hexdigest()[:12]


_CACHE_FORMAT = 1


def text_key(text: str, digest: str | None = None) -> str:
    """Cache key of one text's theme classification."""
    digest = digest or _settings_digest()
    return "theme:" + hashlib.sha1(f"{digest}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


_NO_THEME = "-"  # cached marker: "classified, no theme" (None means "not cached")


def cluster_root_causes(
    docs: Sequence[CauseText],
    *,
    cache: MutableMapping[str, str] | None = None,
    threshold: float | None = None,
) -> list[ClusterAssignment]:
    """One assignment per document with non-empty text, sorted by incident id.

    The result depends only on the set of documents, never on their order: every input is
    sorted by incident id first, and clusters are numbered by label, then first incident id.

    `cache` (optional, any str -> str mapping the caller keeps between runs, e.g. a dict pickled
    next to the database or a two-column table) makes re-clustering after a small change cheap:
    it receives each text's theme classification (`theme:` keys, one per distinct text) and the
    grouping of the texts the vocabulary left over (one `similar:` key per distinct set of
    leftovers). Keys embed a digest of the vocabulary and settings, so a cache kept across
    upgrades is never wrong, only cold. Entries are only ever added; a caller that wants to
    bound it keeps the keys of the last run (`cache_keys_in_use`).
    """
    threshold = similar.SIMILARITY_THRESHOLD if threshold is None else threshold
    digest = _settings_digest() + f"/{threshold!r}"
    ordered = sorted(
        (d for d in docs if d.text and d.text.strip()),
        key=lambda d: (d.incident_id, d.text),
    )
    # cluster key -> list of (incident_id, similarity, terms)
    clusters: dict[tuple[str, str], list[tuple[str, float, list[str]]]] = {}
    labels: dict[tuple[str, str], str] = {}
    pinned_spellings: dict[tuple[str, str], list[str]] = {}
    leftovers: list[CauseText] = []
    leftover_keys: list[str] = []

    for doc in ordered:
        if doc.pinned_category and category_key(doc.pinned_category):
            theme = theme_for_category(doc.pinned_category)
            if theme is not None:
                key = ("theme", theme.key)
                labels[key] = theme.label
            else:
                key = ("pinned", category_key(doc.pinned_category))
                pinned_spellings.setdefault(key, []).append(doc.pinned_category.strip())
            pinned = f"pinned: {' '.join(doc.pinned_category.split())}"
            clusters.setdefault(key, []).append((doc.incident_id, 1.0, [pinned]))
            continue
        match, cache_key = _classify_cached(doc.text, cache, digest)
        if match is None:
            leftovers.append(doc)
            leftover_keys.append(cache_key)
            continue
        key = ("theme", match.theme.key)
        labels[key] = match.theme.label
        clusters.setdefault(key, []).append((doc.incident_id, match.confidence, list(match.terms)))

    for key, spellings in pinned_spellings.items():
        # The spelling most authors used (ties: alphabetical), so "dns" and "DNS" share one.
        counts: dict[str, int] = {}
        for spelling in spellings:
            counts[spelling] = counts.get(spelling, 0) + 1
        labels[key] = min(counts, key=lambda s: (-counts[s], s))

    for group in _group_cached(leftovers, leftover_keys, cache, digest, threshold):
        members = [leftovers[i] for i in group.members]
        key = ("similar", members[0].incident_id)
        labels[key] = group.label
        clusters[key] = [
            (doc.incident_id, sim, list(terms))
            for doc, sim, terms in zip(members, group.similarities, group.terms, strict=True)
        ]

    numbered = sorted(
        clusters, key=lambda k: (labels[k].casefold(), min(m[0] for m in clusters[k]))
    )
    # Two clusters may earn the same words ("cache stale prices" twice); a table that lists
    # clusters by label must still tell them apart.
    seen: dict[str, int] = {}
    for key in numbered:
        folded = labels[key].casefold()
        seen[folded] = seen.get(folded, 0) + 1
        if seen[folded] > 1:
            labels[key] = f"{labels[key]} ({seen[folded]})"
    out = [
        ClusterAssignment(incident_id, number, labels[key], float(similarity), terms)
        for number, key in enumerate(numbered, start=1)
        for incident_id, similarity, terms in clusters[key]
    ]
    out.sort(key=lambda a: a.incident_id)
    return out


def cache_keys_in_use(docs: Sequence[CauseText], threshold: float | None = None) -> set[str]:
    """The cache keys a run over `docs` reads: keep these, drop the rest, to bound a cache."""
    cache: dict[str, str] = {}
    cluster_root_causes(docs, cache=cache, threshold=threshold)
    return set(cache)


def _group_cached(
    leftovers: list[CauseText],
    keys: list[str],
    cache: MutableMapping[str, str] | None,
    digest: str,
    threshold: float,
) -> list[Group]:
    if cache is None:
        return group_similar([d.text for d in leftovers], threshold=threshold)
    fingerprint = hashlib.sha1(digest.encode())
    for doc, key in zip(leftovers, keys, strict=True):
        fingerprint.update(f"{doc.incident_id}\0{key}\0".encode("utf-8", "surrogatepass"))
    cache_key = "similar:" + fingerprint.hexdigest()
    hit = cache.get(cache_key)
    if hit is not None:
        return [
            Group(tuple(m), label, tuple(s), tuple(map(tuple, t)))
            for m, label, s, t in json.loads(hit)
        ]
    groups = group_similar([d.text for d in leftovers], threshold=threshold)
    cache[cache_key] = json.dumps(
        [[g.members, g.label, g.similarities, g.terms] for g in groups], separators=(",", ":")
    )
    return groups


def _classify_cached(
    text: str, cache: MutableMapping[str, str] | None, digest: str
) -> tuple[ThemeMatch | None, str]:
    if cache is None:
        return classify(text), ""
    key = text_key(text, digest)
    hit = cache.get(key)
    if hit is None:
        match = classify(text)
        cache[key] = _NO_THEME if match is None else _encode(match)
        return match, key
    return (None if hit == _NO_THEME else _decode(hit)), key


def _encode(match: ThemeMatch) -> str:
    return "\t".join((match.theme.key, repr(match.score), repr(match.confidence), *match.terms))


@lru_cache(maxsize=65_536)
def _decode(value: str) -> ThemeMatch:
    # Cached: a corpus has far fewer distinct (theme, terms) answers than documents.
    key, score, confidence, *terms = value.split("\t")
    return ThemeMatch(THEMES_BY_KEY[key], float(score), float(confidence), tuple(terms))
