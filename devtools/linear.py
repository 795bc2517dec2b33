"""The linear models the parser ships: fit with scikit-learn, keep what matters, write JSON.

Both learned models (row kinds, failure mechanisms) are multinomial logistic regressions over
sparse binary features. The runtime (`pipeline.linear_model`, used by `pipeline.parse.kinds` and
`pipeline.clusters.mechanism`) only sums weights, so what is written here is the whole model: classes, intercepts, and per
feature the classes it pushes with their weights. A feature seen in fewer than MIN_COUNT
training samples is left out before fitting (it would be noise, and file size), and weights
under the pruning threshold are dropped after.
"""

from __future__ import annotations

from collections import Counter

MIN_COUNT = 2


class Fitted:
    def __init__(self, vectorizer, model) -> None:
        self.vectorizer, self.model = vectorizer, model

    def predict(self, samples: list[dict[str, int]]) -> list[str]:
        return list(self.model.predict(self.vectorizer.transform(samples)))


def fit(samples: list[dict[str, int]], labels: list[str], c: float, class_weight) -> Fitted:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen = Counter(f for sample in samples for f in sample)
    kept = [{f: v for f, v in sample.items() if seen[f] >= MIN_COUNT} for sample in samples]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(kept)
    model = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000)
    model.fit(x, labels)
    return Fitted(vectorizer, model)


def export(fitted: Fitted, about: str, prune_below: float, decimals: int = 3) -> dict:
    model = fitted.model
    classes = [str(c) for c in model.classes_]
    weights: dict[str, list[list[float]]] = {}
    for j, name in enumerate(fitted.vectorizer.get_feature_names_out()):
        pairs = [
            [ci, round(float(model.coef_[ci, j]), decimals)]
            for ci in range(len(classes))
            if abs(model.coef_[ci, j]) >= prune_below
        ]
        if pairs:
            weights[str(name)] = pairs
    return {
        "about": about,
        "classes": classes,
        "intercept": [round(float(b), decimals) for b in model.intercept_],
        "weights": dict(sorted(weights.items())),
    }


def recorded_setting(path) -> tuple[float, object]:
    """(C, class_weight) a shipped weights file was trained with."""
    import json

    trained_on = json.loads(path.read_text(encoding="utf-8"))["trained_on"]
    return trained_on["C"], trained_on["class_weight"]


def choose(results: list[tuple[float, float, object]], what: str) -> tuple[float, object]:
    """Print the cross-validation sweep; the best (accuracy, then the smaller C) setting."""
    accuracy, c, class_weight = max(results, key=lambda r: (r[0], -r[1]))
    for acc, cc, cw in results:
        print(f"  C={cc:<5} class_weight={cw!s:9} cross-validated accuracy {acc:.3f}")
    print(f"chosen: C={c} class_weight={class_weight} ({accuracy:.3f}) on {what}")
    return c, class_weight


def write(fitted: Fitted, out, about: str, prune_below: float, trained_on: dict) -> dict:
    """Write the model's JSON deterministically (a test compares a retrain byte for byte)."""
    import json

    data = export(fitted, about, prune_below)
    data["trained_on"] = trained_on
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(data['weights'])} features)")
    return data
