"""Synthetic postmortems for demos, tests and the benchmark, each with its true values.

    from devtools.generate import generate_corpus
    for doc in generate_corpus(300, seed=7, start=date(2025, 1, 1), end=date(2026, 11, 27)):
        doc.filename, doc.text, doc.truth.severity, doc.truth.theme

`draw` decides what happened and how it is written (all randomness, one seeded RNG);
`render` lays it out in the template; `truth` holds what a parser must extract;
`vocabulary` holds the words.
"""

from devtools.generate.corpus import generate_corpus, truth_record, write_corpus
from devtools.generate.truth import GeneratedDoc, Truth, TruthAction, TruthEvent
from devtools.generate.vocabulary import THEMES

__all__ = [
    "THEMES",
    "GeneratedDoc",
    "Truth",
    "TruthAction",
    "TruthEvent",
    "generate_corpus",
    "truth_record",
    "write_corpus",
]
