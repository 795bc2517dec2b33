"""The grouping's settings, and a digest that changes with any of them or with the model.

Kept free of heavy imports: a load checks whether anything it depends on changed before it
imports the grouping itself.
"""

from __future__ import annotations

import hashlib

from pipeline.clusters.mechanism import MODEL_PATH

MIN_CONFIDENCE = 0.30
"""A mechanism decided with less confidence leaves the text to the similarity stage. Chosen by
5-fold cross-validation on the real training documents, through this grouping. With the first
model: pairwise F1 0.376 at 0.2, 0.365 at 0.3, 0.303 at 0.4, 0.19 at 0.5 (precision rising
from 0.31 to 0.63); 0.3 kept more precision for a figure within noise of the best. With the
model that reads the mechanisms' word lists, F1 is flat (within 0.006) from 0 to 0.3."""

SIMILARITY_THRESHOLD = 0.30
"""Cosine at which two leftover texts are linked (0.30: the lowest threshold at which TF-IDF
made no false link on the earlier hand-labelled set)."""
TOP_TERMS = 12
MAX_POSTING = 5_000
CACHE_FORMAT = 2


def settings_digest() -> str:
    """Changes whenever the model or a setting changes, so a kept cache never serves answers
    from an older version of the grouping."""
    model = MODEL_PATH.read_bytes() if MODEL_PATH.exists() else b""
    settings = (MIN_CONFIDENCE, SIMILARITY_THRESHOLD, TOP_TERMS, MAX_POSTING, CACHE_FORMAT)
    return hashlib.sha1(repr(settings).encode() + model).hexdigest()[:12]
