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


def generated_cause_texts(count: int, seed: int):
    """(CauseTexts, id -> true theme) for generated documents read through the real parser,
    joined the way the loader should join them (root-cause why first, blank lines between)."""
    from datetime import date

    from devtools.generate import generate_corpus
    from pipeline.clusters import CauseText
    from pipeline.parse import parse_document

    docs, truth = [], {}
    for generated in generate_corpus(
        count, seed=seed, start=date(2025, 1, 1), end=date(2026, 11, 1)
    ):
        parsed = parse_document(generated.text)
        whys = sorted(parsed.whys, key=lambda w: (not w.is_root_cause, w.level))
        parts = [w.text for w in whys]
        parts += [parsed.incident.root_cause or "", parsed.incident.what_happened or ""]
        text = "\n\n".join(p for p in parts if p and p.strip())
        incident_id = generated.truth.incident_id
        docs.append(CauseText(incident_id, text, parsed.incident.root_cause_category))
        truth[incident_id] = generated.truth.theme
    return docs, truth


_KNOBS = {
    "min_score": ("themes", "MIN_THEME_SCORE"),
    "root_factor": ("themes", "ROOT_PART_FACTOR"),
    "root_first": ("themes", "ROOT_FIRST"),
    "threshold": ("similar", "SIMILARITY_THRESHOLD"),
}


def score_with(docs, truth, **settings) -> PairScores:
    """Cluster `docs` with some settings changed for the call, and score against `truth`."""
    from pipeline.clusters import cluster_root_causes, similar, themes

    modules = {"themes": themes, "similar": similar}
    saved = {knob: getattr(modules[m], name) for knob, (m, name) in _KNOBS.items()}
    try:
        for knob, value in settings.items():
            module, name = _KNOBS[knob]
            setattr(modules[module], name, value)
        out = cluster_root_causes(docs)
    finally:
        for knob, (module, name) in _KNOBS.items():
            setattr(modules[module], name, saved[knob])
    return pairwise_scores({a.incident_id: a.cluster_id for a in out}, truth)


def sweep(docs, truth, title: str) -> None:
    def run(**settings) -> PairScores:
        return score_with(docs, truth, **settings)

    print(f"== {title}: {len(docs)} texts, {len(set(truth.values()))} themes")
    print(f"defaults: {run()}")
    print("vocabulary threshold (MIN_THEME_SCORE):")
    for value in (2, 3, 4, 5, 6, 7, 8):
        print(f"  min_score {value:>4}: {run(min_score=value)}")
    print("weight of the root-cause why (ROOT_PART_FACTOR), root-first on / off:")
    for first in (True, False):
        for value in (1.0, 2.0, 3.0):
            scores = run(root_first=first, root_factor=value)
            print(f"  root_first {first!s:5} factor {value}: {scores}")
    print("TF-IDF similarity threshold for the texts the vocabulary leaves:")
    for value in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.01):
        print(f"  threshold {value:>5}: {run(threshold=value)}")
    print("vocabulary off (TF-IDF alone), by threshold:")
    for value in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        print(f"  threshold {value:>5}: {run(min_score=1e9, threshold=value)}")
    print()


if __name__ == "__main__":
    from pipeline.clusters import CauseText

    default = Path(__file__).resolve().parents[2] / "tests" / "data" / "root_cause_eval.yaml"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    rows = load_eval_set(path)
    sweep(
        [CauseText(i, text, None) for i, _, text in rows],
        {i: theme for i, theme, _ in rows},
        f"hand-labelled eval set {path.name}",
    )
    docs, truth = generated_cause_texts(300, seed=11)
    sweep(docs, truth, "generated corpus, 300 documents, seed 11")
