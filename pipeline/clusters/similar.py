"""Group the texts the vocabulary did not settle, by TF-IDF similarity.

Each text becomes a TF-IDF vector over word stems (stopwords and incident-writing filler
removed); two texts are linked when their cosine similarity reaches the threshold, and clusters
are the connected components of those links (single linkage).

All-pairs would be 10^10 pairs at 100,000 texts, so the cosine is taken over each text's
TOP_TERMS heaviest terms only: the product of those sparse vectors touches only pairs that
share a characteristic word, and a term that is among the top terms of more than MAX_POSTING
texts is too general to tie two causes together and is left out of the product. For the short
texts of a root cause (10-60 content words) the top terms carry nearly all the weight, so the
figure is close to the full cosine and never above it. The rule is the same at every size, so a
subset clusters like the whole.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

from pipeline.clusters.settings import MAX_POSTING, SIMILARITY_THRESHOLD, TOP_TERMS
from pipeline.clusters.text import STOP_STEMS, split_parts, stem, words

ROW_CHUNK = 500
COMPACT_AT = 1_000_000
UNSTATED_LABEL = "root cause not stated"


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
    for part_number, part in enumerate(split_parts(text)):
        found = [s for s in map(stem, words(part)) if s not in STOP_STEMS and len(s) > 1]
        out.extend(found)
        if part_number == 0:
            out.extend(found)
    return out


@lru_cache(maxsize=65_536)
def has_content(text: str) -> bool:
    """Whether a cause text has any content word ("TBD" and "see above" have none)."""
    return bool(_features(text))


def tfidf(features: list[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Each text's TF-IDF vector over its stems, and the stems in column order (alphabetical).

    What scikit-learn's TfidfVectorizer(sublinear_tf=True) computes, step for step and in the
    same order, so the figures agree to the last bit: tf = 1 + ln(count), idf = ln((1 + n) /
    (1 + df)) + 1, each row scaled to unit length. Written here because importing scikit-learn
    for it added 118 MB to the load's peak memory and ~1 s to its start."""
    from scipy import sparse

    n = len(features)
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for tokens in features:
        row: Counter[int] = Counter()
        for token in tokens:
            row[vocabulary.setdefault(token, len(vocabulary))] += 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    if not vocabulary:  # no content word in any text
        return sparse.csr_matrix((n, 1)), [""]
    matrix = sparse.csr_matrix(
        (
            np.asarray(counts, dtype=np.float64),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int32),
        ),
        shape=(n, len(vocabulary)),
    )
    matrix.sort_indices()  # by first appearance, then renumbered alphabetically (not re-sorted)
    names = sorted(vocabulary)
    alphabetical = np.empty(len(names), dtype=np.int32)
    for new_index, name in enumerate(names):
        alphabetical[vocabulary[name]] = new_index
    matrix.indices = alphabetical.take(matrix.indices)
    data = matrix.data
    np.log(data, out=data)
    data += 1.0
    df = np.bincount(matrix.indices, minlength=len(names)).astype(np.float64) + 1.0
    idf = np.full_like(df, fill_value=n + 1)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[matrix.indices]
    values = data.tolist()
    bounds = matrix.indptr.tolist()
    for start, end in pairwise(bounds):  # squares summed in stored order, one row at a time
        total = 0.0
        for value in values[start:end]:
            total += value * value
        if total != 0.0:
            data[start:end] /= math.sqrt(total)
    return matrix, names


def _top_terms(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep each row's k largest entries (ties: lower column), drop the rest."""
    matrix = matrix.tocsr()
    data, indices, indptr = matrix.data, matrix.indices, matrix.indptr
    keep = np.zeros(data.size, dtype=bool)
    for row in range(matrix.shape[0]):
        lo, hi = indptr[row], indptr[row + 1]
        if hi - lo <= k:
            keep[lo:hi] = True
        else:
            order = np.lexsort((indices[lo:hi], -data[lo:hi]))[:k]
            keep[lo + order] = True
    from scipy import sparse

    pruned = sparse.csr_matrix((data * keep, indices, indptr), shape=matrix.shape)
    pruned.eliminate_zeros()
    return pruned


def _linked_pairs(
    matrix: sparse.csr_matrix, threshold: float, top_terms: int, max_posting: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(i, j), i < j, whose top-term cosine reaches the threshold, a block of rows at a time."""
    pruned = _top_terms(matrix, top_terms)
    postings = np.bincount(pruned.indices, minlength=pruned.shape[1])
    general = np.flatnonzero(postings > max_posting)
    if general.size:
        from scipy import sparse

        mask = np.ones(pruned.shape[1])
        mask[general] = 0.0
        pruned = (pruned @ sparse.diags(mask)).tocsr()
        pruned.eliminate_zeros()
    transposed = pruned.T.tocsc()
    for start in range(0, pruned.shape[0], ROW_CHUNK):
        block = (pruned[start : start + ROW_CHUNK] @ transposed).tocoo()
        hit = (block.data >= threshold) & (block.row + start < block.col)
        yield block.row[hit] + start, block.col[hit]


def _components(n: int, links: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The connected component of each of n nodes, given their links block by block.

    Look-alike texts link millions of pairs (12.9 million among the 16,682 leftovers of the
    100,000-document benchmark corpus), and holding them all for one call cost ~400 MB.
    Whenever the links held pass COMPACT_AT, they are replaced by a spanning forest of the
    same components (each node linked to the first node of its component): the same
    components, at most n links kept. With ROW_CHUNK = 500 and COMPACT_AT = 1,000,000 the
    grouping of that corpus peaks at 463 MB (was 894 with all the pairs and 2,000-row blocks)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    def components(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        graph = sparse.coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))
        return connected_components(graph, directed=False)[1]

    nodes = np.arange(n)
    rows = cols = np.empty(0, dtype=np.int64)
    for new_rows, new_cols in links:
        rows, cols = np.concatenate([rows, new_rows]), np.concatenate([cols, new_cols])
        if rows.size > COMPACT_AT:
            component = components(rows, cols)
            first = np.full(component.max() + 1, n)
            np.minimum.at(first, component, nodes)
            root = first[component]
            linked = root != nodes
            rows, cols = root[linked], nodes[linked]
    return components(rows, cols)


def group_similar(
    texts: list[str],
    threshold: float | None = None,
) -> list[Group]:
    """Cluster texts (their order must already be canonical, e.g. sorted by incident id)."""
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    n = len(texts)
    if n == 0:
        return []
    features = [_features(t) for t in texts]
    word_matrix, vocabulary = tfidf(features)
    links = _linked_pairs(word_matrix, threshold, TOP_TERMS, MAX_POSTING)
    # Texts with no content word at all ("TBD", "-", "see above") state no cause: one group,
    # so a review sees how many there are instead of a row of look-alike singletons.
    unstated = np.array([i for i in range(n) if not features[i]], dtype=np.int64)
    if unstated.size > 1:
        links = chain(links, [(np.repeat(unstated[0], unstated.size - 1), unstated[1:])])
    # Connected components in C: a corpus of look-alike texts links millions of pairs.
    component = _components(n, links)
    members_of: dict[int, list[int]] = {}
    for i, c in enumerate(component.tolist()):
        members_of.setdefault(c, []).append(i)

    surface = _surface_forms(texts)
    groups = []
    for members in members_of.values():
        groups.append(_describe(members, word_matrix, vocabulary, features, surface))
    return groups


def _surface_forms(texts: list[str]) -> dict[str, str]:
    """stem -> the word most often written for it (ties: alphabetical), for readable labels."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    best: dict[str, tuple[int, str]] = {}
    for w, c in counts.items():
        s = stem(w)
        if s not in best or (-c, w) < (-best[s][0], best[s][1]):
            best[s] = (c, w)
    return {s: w for s, (c, w) in best.items()}


def _describe(members, word_matrix, vocabulary, features, surface) -> Group:
    members = sorted(members)
    if not features[members[0]]:
        return Group(tuple(members), UNSTATED_LABEL, (1.0,) * len(members), ((),) * len(members))
    if len(members) == 1:
        # Alone: its own three heaviest words (read straight off the CSR row: 10^4 singletons).
        row = members[0]
        lo, hi = word_matrix.indptr[row], word_matrix.indptr[row + 1]
        data, indices = word_matrix.data[lo:hi], word_matrix.indices[lo:hi]
        ranked = [int(indices[k]) for k in np.lexsort((indices, -data))]
        label_stems = [vocabulary[k] for k in ranked if not vocabulary[k].isdigit()][:3]
        label = _phrase(label_stems, features[row], surface)
        return Group(
            tuple(members), label, (1.0,), (tuple(surface.get(s, s) for s in label_stems),)
        )

    sub = word_matrix[members]
    weight = np.asarray(sub.sum(axis=0)).ravel()
    presence = np.asarray((sub > 0).sum(axis=0)).ravel()
    # Label words: shared by at least half the members, heaviest first.
    eligible = np.flatnonzero(presence * 2 >= len(members))
    ranked = sorted(eligible.tolist(), key=lambda k: (-weight[k], vocabulary[k]))
    label_stems = [vocabulary[k] for k in ranked if not vocabulary[k].isdigit()][:3]
    label = _phrase(label_stems, features[members[0]], surface)
    # Terms of a member: the words it shares with at least one other member, heaviest first.
    shared = {vocabulary[k]: weight[k] for k in np.flatnonzero(presence >= 2).tolist()}
    terms = tuple(
        tuple(
            surface.get(s, s)
            for s in sorted(set(features[m]) & shared.keys(), key=lambda s: (-shared[s], s))[:5]
        )
        for m in members
    )
    centroid = weight / (np.linalg.norm(weight) or 1.0)
    sims = np.asarray(sub @ centroid).ravel()
    return Group(
        tuple(members),
        label,
        tuple(round(float(min(max(x, 0.0), 1.0)), 4) for x in sims),
        terms,
    )


def _phrase(label_stems: list[str], first_tokens: list[str], surface: dict[str, str]) -> str:
    """The label words in the order the text writes them, so they read like a phrase."""

    def position(s: str) -> int:
        try:
            return first_tokens.index(s)
        except ValueError:
            return len(first_tokens)

    ordered = sorted(label_stems, key=lambda s: (position(s), s))
    return " ".join(surface.get(s, s) for s in ordered) or UNSTATED_LABEL
