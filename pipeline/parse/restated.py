"""Whether a categorized action item restates an earlier action in other words: the overlap of
their content stems, each stem weighted by how few of the document's items use it."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from pipeline.parse.text import clean_inline
from pipeline.words import GRAMMAR_STEMS, stem

_PARENS = re.compile(r"\(.*?\)")

RESTATED_OVERLAP = 0.45
"""Share of the lighter item's (weighted) content stems the two items must have in common.
Chosen on the training split of hand-labelled pairs of real action items
(data/real/action_pairs.tsv: strict restatements against different actions, many sharing
words; `python -m devtools.action_pairs`) as the threshold with the best F0.5 there, 0.71
(precision 1.00, recall 0.33; the test pairs give the same). Precision counts double: a false
merge loses an action silently, a missed one shows as a near-duplicate a reviewer can see."""
RESTATED_MIN_SHARED = 2
"""Content stems two items must share at least: one common word ("alert") is a coincidence."""


# Hyphenated names stay one word ("api-gateway", "on-call", "kafka-cluster"): split, one
# service name would count as two or three shared words.
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+|[a-z0-9]+")


@lru_cache(maxsize=16384)
def content_stems(text: str) -> frozenset[str]:
    """The stems of an item's content words (inline Markdown, parentheses and grammar words out;
    incident words such as "page", "alert" or "runbook" are what an action is about)."""
    words = _COMPOUND.findall(_PARENS.sub(" ", clean_inline(text)).lower())
    return frozenset(s for s in map(stem, words) if s not in GRAMMAR_STEMS and len(s) > 1)


def word_weights(items: list[frozenset[str]]) -> dict[str, float]:
    """A stem many of a document's items use (the service's name, "on-call") says little
    about which action an item restates: weight 1 / (number of the items using it), over the
    item itself and the actions it may restate."""
    counts: dict[str, int] = {}
    for item in items:
        for word in item:
            counts[word] = counts.get(word, 0) + 1
    return {word: 1.0 / n for word, n in counts.items()}


def restatement_score(
    a: frozenset[str], b: frozenset[str], weights: dict[str, float] | None = None
) -> float:
    """Weighted overlap coefficient of two items' content stems: the weight they share over
    the weight of the lighter item; 0 when they share fewer than RESTATED_MIN_SHARED stems."""
    shared = a & b
    if len(shared) < RESTATED_MIN_SHARED:
        return 0.0
    weights = weights or {}

    def weight(stems: frozenset[str]) -> float:
        # fsum: exactly rounded whatever the order. A plain sum follows the set's order,
        # which moves with the hash seed, so two equally good matches could swap per run.
        return math.fsum(weights.get(s, 1.0) for s in stems)

    return weight(shared) / min(weight(a), weight(b))
