"""Score a grouping against true labels, and sweep the clustering's settings.

`pairwise_scores` is what the tests use: over every pair of documents, a pair is a true
positive when both the grouping and the labels put the two together. `python -m
pipeline.clusters.evaluate [FILE]` prints the sweep quoted in the package docstring.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}"
            f"  (pairs: {self.true_pairs} true, {self.predicted_pairs} predicted)"
        )


def _pairs(counts: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def pairwise_scores(predicted: dict[str, object], truth: dict[str, object]) -> PairScores:
    """Pairwise precision/recall/F1 of `predicted` (id -> cluster) against `truth` (id -> label),
    over the ids both know. Counted from contingency tables, so 100,000 ids cost nothing."""
    ids = [i for i in predicted if i in truth]
    both = _pairs(Counter((predicted[i], truth[i]) for i in ids))
    said = _pairs(Counter(predicted[i] for i in ids))
    true = _pairs(Counter(truth[i] for i in ids))
    precision = both / said if said else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, true, said)


def load_eval_set(path: Path) -> list[tuple[str, str, str]]:
    """(id, theme, text) from the YAML evaluation file."""
    import yaml

    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(f"eval-{n:03d}", item["theme"], item["text"]) for n, item in enumerate(items, 1)]


def _sweep(path: Path) -> None:
    from pipeline.clusters import CauseText, cluster_root_causes, similar, themes

    rows = load_eval_set(path)
    docs = [CauseText(i, text, None) for i, _, text in rows]
    truth = {i: theme for i, theme, _ in rows}

    def run(**settings) -> PairScores:
        saved = {name: getattr(mod, name) for mod, name in _KNOBS.values()}
        try:
            for knob, value in settings.items():
                mod, name = _KNOBS[knob]
                setattr(mod, name, value)
            out = cluster_root_causes(docs)
        finally:
            for mod, name in _KNOBS.values():
                setattr(mod, name, saved[name])
        return pairwise_scores({a.incident_id: a.cluster_id for a in out}, truth)

    _KNOBS = {
        "min_score": (themes, "MIN_THEME_SCORE"),
        "root_factor": (themes, "ROOT_PART_FACTOR"),
        "root_first": (themes, "ROOT_FIRST"),
        "threshold": (similar, "SIMILARITY_THRESHOLD"),
    }
    print(f"{len(rows)} texts, {len(set(truth.values()))} themes; defaults: {run()}")
    print("\nvocabulary threshold (MIN_THEME_SCORE), similarity threshold at default:")
    for value in (2, 3, 4, 5, 6, 7, 8):
        print(f"  min_score {value:>4}: {run(min_score=value)}")
    print("\nweight of the root-cause why (ROOT_PART_FACTOR), root-first on / off:")
    for first in (True, False):
        for value in (1.0, 2.0, 3.0):
            print(
                f"  root_first {first!s:5} factor {value}: {run(root_first=first, root_factor=value)}"
            )
    print("\nTF-IDF similarity threshold for the texts the vocabulary leaves:")
    for value in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.01):
        print(f"  threshold {value:>5}: {run(threshold=value)}")
    print("\nvocabulary off (TF-IDF alone), by threshold:")
    for value in (0.1, 0.2, 0.3, 0.4, 0.5):
        print(f"  threshold {value:>5}: {run(min_score=1e9, threshold=value)}")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "tests" / "data" / "root_cause_eval.yaml"
    _sweep(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
