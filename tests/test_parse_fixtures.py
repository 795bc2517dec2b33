"""Expected-output tests: every `tests/fixtures/parse/*.md` is parsed and compared with the
`*.expected.json` beside it.

An expectation lists only what it checks: a dict compares the keys it names, a list must match
element by element (same length), and "problems" is the list of "code@line" strings, compared
as a multiset. Expectations are worked out by hand from each fixture and list only what a
person checked: a value the labelling guide (docs/labelling-guide.md) leaves debatable, such as
the kind of a row that records the change which caused the outage, is left out rather than
frozen at whatever the parser says.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.parse import parse_document
from pipeline.parse.serialize import as_dict

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CASES = sorted(FIXTURES.glob("*.md"))


def _check(expected, actual, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a mapping, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: no key {key!r}"
            _check(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{where}: {len(actual)} items, expected {len(expected)}: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual)):
            _check(e, a, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: got {actual!r}, expected {expected!r}"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixture_matches_expectation(case: Path) -> None:
    expected_file = case.with_suffix(".expected.json")
    assert expected_file.exists(), f"{case.name} has no {expected_file.name}"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    actual = as_dict(parse_document(case.read_bytes(), source_path=case.name))
    problems = expected.pop("problems", None)
    _check(expected, actual, case.stem)
    if problems is not None:
        assert Counter(actual["problems"]) == Counter(problems), actual["problems"]


def test_fixtures_exist() -> None:
    assert CASES, "no fixture documents found"
