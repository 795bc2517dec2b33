"""The runtime of the two learned models (row kinds, failure mechanisms): a linear model stored
as JSON by `devtools.linear`. score(class) = intercept + the sum of the weights of the sample's
features; the class with the highest score wins and its softmax share is the confidence.
Summing a few dozen weights needs no numpy or scikit-learn at load time."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path


class LinearModel:
    def __init__(self, data: dict) -> None:
        self.classes: tuple[str, ...] = tuple(data["classes"])
        self.intercept: tuple[float, ...] = tuple(data["intercept"])
        self.weights: dict[str, tuple[tuple[int, float], ...]] = {
            feature: tuple((int(c), float(w)) for c, w in pairs)
            for feature, pairs in data["weights"].items()
        }
        # The same weights as one row per feature, a weight per class (0.0 where it pushes
        # none): a sample's scores are then a column sum C does in one zip. Adding 0.0 changes
        # no float, and the order of the terms is the same, so the scores are identical.
        width = len(self.classes)
        self._rows: dict[str, tuple[float, ...]] = {}
        for feature, pairs in self.weights.items():
            row = [0.0] * width
            for c, w in pairs:
                row[c] = w
            self._rows[feature] = tuple(row)

    @classmethod
    def load(cls, path: Path) -> LinearModel | None:
        """The model in `path`, or None when it is missing or unreadable (callers then fall
        back to what they do without a model)."""
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError):
            return None

    def predict(self, features: Iterable[str]) -> tuple[str, float]:
        """The winning class and its confidence, 0..1."""
        shares = self.shares(features)
        best = max(range(len(shares)), key=shares.__getitem__)
        return self.classes[best], shares[best]

    def shares(self, features: Iterable[str]) -> list[float]:
        """Each class's softmax share (the order of `classes`), summing to 1."""
        rows = self._rows
        scores = [
            sum(column) for column in zip(self.intercept, *(rows[f] for f in features if f in rows))
        ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def pushing(self, features: Iterable[str], cls: str) -> list[tuple[str, float]]:
        """The features that push towards `cls`, with their weights, strongest first."""
        c_wanted = self.classes.index(cls)
        return sorted(
            (
                (f, w)
                for f in features
                for c, w in self.weights.get(f, ())
                if c == c_wanted and w > 0
            ),
            key=lambda fw: (-fw[1], fw[0]),
        )
