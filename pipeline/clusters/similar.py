"""Group the texts the vocabulary did not settle, by TF-IDF similarity.

Each text becomes a TF-IDF vector over word stems (stopwords and incident-writing filler
removed) plus, optionally, character n-grams; two texts are linked when their cosine similarity
reaches the threshold, and clusters are the connected components of those links.

To stay far from all-pairs (10^10 pairs at 100,000 texts) two texts are only compared when they
share a word stem that is not common: stems found in more than BLOCK_CAP texts are too general
to be the thing two causes have in common, so they make no candidate pairs (they still count in
the cosine). Texts sharing no such stem are never linked, which also holds for small inputs:
the rule is the same at every size, so a subset clusters like the whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.clusters.text import PART_BREAK, STOP_STEMS, stem, words

SIMILARITY_THRESHOLD = 0.30
BLOCK_CAP = 50
CHAR_WEIGHT = 0.0
"""Share of the cosine that comes from character 3-5-grams (0 = words only)."""
PAIR_CHUNK = 500_000


@dataclass(frozen=True, slots=True)
class Group:
    members: tuple[int, ...]
    """Indexes into the input list, ascending."""
    label: str
    similarities: tuple[float, ...]
    """Per member: cosine to the group's centroid (1.0 for a group of one)."""
    terms: tuple[tuple[str, ...], ...]
    """Per member: the words it shares with the group (its own top words when alone)."""


def _features(text: str) -> list[str]:
    """Stems of the content words; the first part (the root-cause why) counts twice."""
    out: list[str] = []
    for part_number, part in enumerate(PART_BREAK.split(text)):
        found = [s for s in (stem(w) for w in words(part)) if s not in STOP_STEMS and len(s) > 1]
        out.extend(found)
        if part_number == 0:
            out.extend(found)
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            # The smaller index becomes the root, so the result never depends on edge order.
            self.parent[max(a, b)] = min(a, b)


def _candidate_pairs(binary: sparse.csr_matrix, block_cap: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j sharing at least one stem found in 2..block_cap texts."""
    df = np.asarray(binary.sum(axis=0)).ravel()
    keep = np.flatnonzero((df >= 2) & (df <= block_cap))
    if keep.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    blocks = binary[:, keep].tocsr()
    shared = sparse.triu(blocks @ blocks.T, k=1).tocoo()
    return shared.row.astype(np.int64), shared.col.astype(np.int64)


def _pair_cosines(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    out = np.empty(rows.size, dtype=np.float64)
    for start in range(0, rows.size, PAIR_CHUNK):
        stop = start + PAIR_CHUNK
        product = matrix[rows[start:stop]].multiply(matrix[cols[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def group_similar(
    texts: list[str],
    threshold: float | None = None,
    block_cap: int | None = None,
    char_weight: float | None = None,
) -> list[Group]:
    """Cluster texts (their order must already be canonical, e.g. sorted by incident id)."""
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    block_cap = BLOCK_CAP if block_cap is None else block_cap
    char_weight = CHAR_WEIGHT if char_weight is None else char_weight
    n = len(texts)
    if n == 0:
        return []
    features = [_features(t) for t in texts]
    word_vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    try:
        word_matrix = word_vectorizer.fit_transform(features).tocsr()
    except ValueError:  # no content word in any text
        word_matrix = sparse.csr_matrix((n, 1))
    vocabulary = word_vectorizer.get_feature_names_out() if word_matrix.shape[1] > 1 else []
    matrix = word_matrix
    if char_weight > 0:
        char_matrix = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
        ).fit_transform(texts)
        matrix = sparse.hstack(
            [np.sqrt(1 - char_weight) * word_matrix, np.sqrt(char_weight) * char_matrix]
        ).tocsr()

    binary = (word_matrix > 0).astype(np.int32).tocsr()
    rows, cols = _candidate_pairs(binary, block_cap)
    union = _UnionFind(n)
    if rows.size:
        cosines = _pair_cosines(matrix, rows, cols)
        linked = cosines >= threshold
        for i, j in zip(rows[linked].tolist(), cols[linked].tolist()):
            union.union(i, j)

    members_of: dict[int, list[int]] = {}
    for i in range(n):
        members_of.setdefault(union.find(i), []).append(i)

    surface = _surface_forms(texts)
    groups = []
    for members in members_of.values():
        groups.append(_describe(members, word_matrix, matrix, vocabulary, features, surface))
    return groups


def _surface_forms(texts: list[str]) -> dict[str, str]:
    """stem -> the word most often written for it (ties: alphabetical), for readable labels."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for w in words(text):
            counts[(stem(w), w)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (s, w), c in counts.items():
        if s not in best or (-c, w) < (-best[s][0], best[s][1]):
            best[s] = (c, w)
    return {s: w for s, (c, w) in best.items()}


def _describe(members, word_matrix, matrix, vocabulary, features, surface) -> Group:
    members = sorted(members)
    sub = word_matrix[members]
    weight = np.asarray(sub.sum(axis=0)).ravel()
    presence = np.asarray((sub > 0).sum(axis=0)).ravel()
    if len(members) > 1:
        # Label words: shared by at least half the members, heaviest first.
        eligible = np.flatnonzero(presence * 2 >= len(members))
    else:
        eligible = np.flatnonzero(weight > 0)
    ranked = sorted(eligible.tolist(), key=lambda k: (-weight[k], vocabulary[k]))[:3]
    label_stems = [vocabulary[k] for k in ranked]
    # Words in the order the first member writes them read like a phrase ("product cache").
    first_tokens = features[members[0]]
    order = {s: first_tokens.index(s) if s in first_tokens else len(first_tokens) for s in label_stems}
    label_stems.sort(key=lambda s: (order[s], s))
    label = " ".join(surface.get(s, s) for s in label_stems) or "unexplained cause"

    if len(members) == 1:
        sims = (1.0,)
        terms = (tuple(surface.get(s, s) for s in label_stems),)
    else:
        rows = matrix[members]
        centroid = np.asarray(rows.sum(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        sims_arr = rows @ (centroid / norm) if norm else np.zeros(len(members))
        sims = tuple(round(float(min(max(s, 0.0), 1.0)), 4) for s in np.asarray(sims_arr).ravel())
        label_set = set(label_stems)
        terms = tuple(
            tuple(surface.get(s, s) for s in sorted(set(features[m]) & label_set)) or ()
            for m in members
        )
    return Group(tuple(members), label, sims, terms)
