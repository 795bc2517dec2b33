"""Reading a document leaves nothing for the garbage collector.

Whatever the parser builds for one document (blocks, the section tree, labelled values) is
freed by reference counting as soon as the document is read. Objects caught in reference
cycles wait for the collector instead: at ~500 per document that cost an ingest of 20,000
files ~7 CPU-s (docs/loader.md), and a tree that links children to parents or a recursive
closure brings them back.
"""

from __future__ import annotations

import gc
from collections import Counter

from conftest import REPO_ROOT, WILD_CORPUS

from pipeline.parse import parse_document

DOCUMENTS = sorted((REPO_ROOT / "tests" / "fixtures").rglob("*.md")) + sorted(
    WILD_CORPUS.glob("*.md")
)


def test_parsing_leaves_no_reference_cycles() -> None:
    assert len(DOCUMENTS) > 40
    parse_document(DOCUMENTS[0].read_bytes(), str(DOCUMENTS[0]))  # first-use loading
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for path in DOCUMENTS:
            doc = parse_document(path.read_bytes(), str(path))
            assert not doc.rejected, path
        del doc
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = Counter(type(obj).__name__ for obj in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert not left, f"objects left in reference cycles: {dict(left.most_common(8))}"


def test_the_check_sees_a_cycle() -> None:
    """The same check, on a cycle made on purpose: it does not pass by accident."""

    class Node:
        def __init__(self) -> None:
            self.me = self

    gc.collect()
    gc.disable()
    try:
        Node()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = Counter(type(obj).__name__ for obj in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left["Node"] == 1
