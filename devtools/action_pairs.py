"""Choose the restated-action threshold on hand-labelled pairs of real action items.

    python -m devtools.action_pairs              the sweep on the training pairs, then the
                                                 chosen threshold on the test pairs

`data/real/action_pairs.tsv` pairs two action items written in two places of one real
document, labelled the same action or not (labelling guide: the brief beside the file).
Strict restatements count as positives; loose, gap-phrased, partial and borderline pairs are
left out of the figures. A pair is scored as the parser scores it (`restatement_score`, with
the word weights of its document's actions), and the threshold with the best F0.5 on the
pairs of training-split documents (precision counts double: a false merge loses an action) is
the one the parser ships.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache

from devtools import labels as L
from pipeline.parse.restated import RESTATED_OVERLAP, content_stems, restatement_score, word_weights

AMBIGUOUS = ("loose", "gap-phrased", "partial", "borderline")
GRID = tuple(round(0.05 * n, 2) for n in range(2, 20))


@dataclass(frozen=True, slots=True)
class Pair:
    doc: str
    text_a: str
    text_b: str
    same: bool


def pairs() -> list[Pair]:
    out = []
    for row in L.read_tsv(L.REAL / "action_pairs.tsv"):
        if row["note"].lower().startswith(AMBIGUOUS):
            continue
        out.append(Pair(row["doc"], row["text_a"], row["text_b"], row["same"] == "yes"))
    return out


@cache
def _document_actions(doc: str) -> tuple[frozenset[str], ...]:
    from pipeline.parse import parse_document

    parsed = parse_document(L.doc_path(doc).read_bytes(), doc)
    return tuple(content_stems(a.description) for a in parsed.actions)


def score(pair: Pair) -> float:
    """As the parser scores a categorized item (B) against an earlier action (A): the word
    weights count B and the actions it could restate, the document's actions with A among
    them (B itself left out of those)."""
    a, b = content_stems(pair.text_a), content_stems(pair.text_b)
    candidates = [s for s in _document_actions(pair.doc) if s != b]
    if a not in candidates:
        candidates.append(a)
    return restatement_score(b, a, word_weights([*candidates, b]))


def f_half(scored: list[tuple[float, bool]], threshold: float) -> float:
    p, r, _ = figures(scored, threshold)
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def figures(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    everything = pairs()
    train = [(score(p), p.same) for p in everything if not L.in_test_split(p.doc)]
    test = [(score(p), p.same) for p in everything if L.in_test_split(p.doc)]
    count = Counter((L.in_test_split(p.doc), p.same) for p in everything)
    print(
        f"training pairs: {count[(False, True)]} same, {count[(False, False)]} different; "
        f"test pairs: {count[(True, True)]} same, {count[(True, False)]} different"
    )
    best = max(GRID, key=lambda t: (f_half(train, t), t))
    for threshold in GRID:
        p, r, f = figures(train, threshold)
        mark = " <- best" if threshold == best else ""
        print(
            f"  threshold {threshold:.2f}: precision {p:.2f} recall {r:.2f} F1 {f:.2f}"
            f" F0.5 {f_half(train, threshold):.2f}{mark}"
        )
    p, r, f = figures(test, RESTATED_OVERLAP)
    print(
        f"shipped threshold {RESTATED_OVERLAP:.2f} on the test pairs: precision {p:.2f} recall {r:.2f} F1 {f:.2f}"
    )
    return 0 if best == RESTATED_OVERLAP else 1


if __name__ == "__main__":
    sys.exit(main())
