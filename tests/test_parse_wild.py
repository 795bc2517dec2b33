"""Every real-world postmortem of the wild corpus parses without a crash, and the files that
clearly have a timeline or action items yield them.

The minimums below were read off the documents by hand (rows a reader would call timeline
events / action items); they are floors, not exact counts, so better extraction never fails.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.parse import parse_document

WILD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
FILES = sorted(WILD.glob("*.md")) if WILD.is_dir() else []

# file name prefix -> (minimum timeline rows, minimum actions)
MINIMUMS = {
    "dfds__postmortems__PM2019-009": (14, 4),
    "dfds__postmortems__PM2023-001": (10, 5),
    "dfds__postmortems__PM2025-002": (10, 1),
    "hachyderm__community__2023-07-16": (5, 5),
    "openfoodfacts__openfoodfacts-infrastructure__2021-10-03": (10, 5),
    "cosmos__incidents__0326_v23stack": (20, 3),
    "cosmos__incidents__0207_upgrade": (10, 3),
    "jupyterhub__mybinder.org-deploy__2018-01-18": (15, 3),
    "usdigitalresponse__univaf__2021-06-03": (5, 3),
    "usdigitalresponse__univaf__2021-06-29": (10, 3),
    "kubernetes__test-infra__2019-02-05": (8, 1),
    "kubernetes__test-infra__2019-05-30": (8, 1),
    "portswigger-cloud__postmortems__2024-10__saas-outage": (5, 1),
    "PostHog__post-mortems__2025-09-29": (5, 3),
    "PostHog__post-mortems__2025-10-03": (5, 3),
    "persistenceOne__incident-reports__07-Sept-2022": (20, 3),
    "persistenceOne__incident-reports__20-Sept-2023": (10, 3),
    "Chia-Network__post-mortem__2021-05-26": (8, 3),
    "Chia-Network__post-mortem__2023-08-04": (5, 0),
    "ministryofjustice__cloud-platform__2023-06-06": (3, 0),
    "ministryofjustice__cloud-platform__2025-07-23": (5, 1),
    "pypi__warehouse__2025-04-14": (5, 0),
    "Chia-Network__post-mortem__2021-10-31": (15, 0),
    "Chia-Network__post-mortem__2022-08-19": (12, 0),
    "hachyderm__community__2022-12-13": (10, 3),
    "hachyderm__community__2023-02-27": (5, 3),
    "cosmos__incidents__0414_upgrade": (10, 3),
    "dfds__postmortems__PM2021-011": (20, 3),
    "cheqd__product-docs__v4.x": (10, 5),
    "2i2c-org__infrastructure__2020-10-28": (5, 3),
    "ministryofjustice__cloud-platform__2020-08-14": (3, 0),
    "openfoodfacts__openfoodfacts-infrastructure__2024-03-17": (0, 3),
}

# file name prefix -> (incident date, severity) that the document states in a labelled field
FIELDS = {
    "openfoodfacts__openfoodfacts-infrastructure__2021-10-03": ("2021-10-03", None),
    "persistenceOne__incident-reports__07-Sept-2022": ("2022-09-07", None),
    "persistenceOne__incident-reports__20-Sept-2023": ("2023-09-20", None),
    "portswigger-cloud__postmortems__load-balancer": ("2026-01-12", "P0"),
    "portswigger-cloud__postmortems__Unable-to-start": ("2024-11-29", "P1"),
    "PostHog__post-mortems__2025-10-03": ("2025-10-03", "P1"),
    "cheqd__product-docs__v4.x": ("2025-05-28", "P1"),
    "cosmos__incidents__0207_upgrade": ("2025-02-07", None),
}

pytestmark = pytest.mark.skipif(not FILES, reason=f"wild corpus not found at {WILD}")


def test_corpus_is_complete() -> None:
    assert len(FILES) == 54


@pytest.mark.parametrize("path", FILES, ids=[p.name[:60] for p in FILES])
def test_wild_file_parses(path: Path) -> None:
    doc = parse_document(path.read_bytes(), source_path=path.name)
    assert not doc.rejected, [p for p in doc.problems if p.level == "error"]
    assert all(p.line is None or p.line >= 1 for p in doc.problems)
    for prefix, (min_rows, min_actions) in MINIMUMS.items():
        if path.name.startswith(prefix):
            assert len(doc.timeline) >= min_rows, f"{len(doc.timeline)} timeline rows"
            assert len(doc.actions) >= min_actions, f"{len(doc.actions)} actions"
    for prefix, (day, severity) in FIELDS.items():
        if path.name.startswith(prefix):
            assert str(doc.incident.incident_date) == day
            assert doc.incident.severity == severity
    timed = [e.occurred_at for e in doc.timeline if e.occurred_at is not None]
    assert all(t.year >= 2000 for t in timed)


def test_minimum_table_names_real_files() -> None:
    names = [p.name for p in FILES]
    for prefix in [*MINIMUMS, *FIELDS]:
        assert any(n.startswith(prefix) for n in names), prefix


def test_corpus_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Print per-file counts (run with -s to see them) and check the corpus-wide picture."""
    warnings: Counter[str] = Counter()
    rows = actions = 0
    for path in FILES:
        doc = parse_document(path.read_bytes(), source_path=path.name)
        codes = Counter(p.code for p in doc.problems)
        warnings.update(codes)
        rows += len(doc.timeline)
        actions += len(doc.actions)
        print(f"{path.name[:58]:58} timeline={len(doc.timeline):3} actions={len(doc.actions):2} "
              f"learnings={len(doc.learnings):2} {dict(codes)}")  # fmt: skip
    print(f"TOTAL timeline={rows} actions={actions} warnings={dict(warnings)}")
    assert "parser_crash" not in warnings
    assert rows > 400 and actions > 150
