"""The generator against the parser and the loader: every generated document's true values must
come back out of `parse_document` and out of the DuckDB tables ingest writes.

One test per field, each over a few hundred documents written with every quirk the generator
knows (front matter, severity spellings, renamed headings, bullet timelines, other zones,
CRLF, BOM, placeholders, missing durations, restated actions), so a failure names the field
and lists the documents where parser and truth part.

Deliberate exceptions are listed in EXCEPTIONS with the reason; a disagreement that is the
parser's bug fails the test until the parser is fixed.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import date

import pytest

from devtools.generate import generate_corpus
from devtools.generate.truth import GeneratedDoc, Truth
from pipeline.model import KIND_COLUMNS

SEED = 20261127
START = date(2024, 11, 28)
END = date(2026, 11, 27)
COUNT = 300

FIELDS = (
    "incident_id",
    "title",
    "authors",
    "tags",
    "root_cause",
    "status",
    "incident_date",
    "last_updated",
    "severity",
    "duration",
    "users",
    "data_loss",
    "team",
    "services",
    "root_cause_category",
    "timeline_times",
    "timeline_kinds",
    "first_times",
    "actions",
    "detection_methods",
    "related",
)

# field -> reason the parser is not expected to agree (none so far: every field must agree).
EXCEPTIONS: dict[str, str] = {}


@pytest.fixture(scope="module")
def corpus() -> list[GeneratedDoc]:
    return list(generate_corpus(COUNT, SEED, START, END))


# ---------------------------------------------------------------------------------------------
# Views: the same dict of comparable values, from the truth, a ParsedDocument, or the tables.


def _action_key(action_id, description, owner, due_date, due_text, status, category):
    return (
        action_id or "",
        description,
        owner,
        due_date,
        due_text,
        status,
        category,
    )


def _first_times(events) -> dict:
    """The first time of each kind, as the incidents table's *_at columns hold it."""
    first: dict = {}
    for kind, at in events:
        if kind in KIND_COLUMNS and at is not None and kind not in first:
            first[kind] = at
    return first


def truth_view(t: Truth) -> dict:
    return {
        "incident_id": t.incident_id,
        "title": t.title,
        "authors": t.authors,
        "tags": sorted(t.tags),
        "root_cause": t.root_cause,
        "status": t.status,
        "incident_date": t.incident_date,
        "last_updated": t.last_updated,
        "severity": t.severity,
        "duration": (t.duration_minutes, t.duration_derived),
        "users": (t.users_affected, t.traffic_pct),
        "data_loss": t.data_loss,
        "team": t.team,
        "services": sorted(t.services),
        "root_cause_category": t.root_cause_category,
        "timeline_times": [e.occurred_at for e in t.timeline],
        "timeline_kinds": [(e.kind, e.event) for e in t.timeline],
        "first_times": _first_times((e.kind, e.occurred_at) for e in t.timeline),
        "actions": sorted(
            _action_key(
                a.action_id, a.description, a.owner, a.due_date, a.due_text, a.status, a.category
            )
            for a in t.actions
        ),
        "detection_methods": sorted(t.detection_methods),
        "related": sorted(t.related),
    }


def parsed_view(parsed) -> dict:
    inc = parsed.incident
    return {
        "incident_id": inc.incident_id,
        "title": inc.title,
        "authors": inc.authors,
        "tags": sorted(inc.tags),
        "root_cause": inc.root_cause,
        "status": inc.status,
        "incident_date": inc.incident_date,
        "last_updated": inc.last_updated,
        "severity": inc.severity,
        "duration": (inc.duration_minutes, inc.duration_derived),
        "users": (inc.users_affected, inc.traffic_pct),
        "data_loss": inc.data_loss,
        "team": inc.team,
        "services": sorted(inc.services),
        "root_cause_category": inc.root_cause_category,
        "timeline_times": [e.occurred_at for e in parsed.timeline],
        "timeline_kinds": [(e.kind, e.event) for e in parsed.timeline],
        "first_times": _first_times((e.kind, e.occurred_at) for e in parsed.timeline),
        "actions": sorted(
            _action_key(
                a.action_id, a.description, a.owner, a.due_date, a.due_text, a.status, a.category
            )
            for a in parsed.actions
        ),
        "detection_methods": sorted(parsed.detection_methods),
        "related": sorted(r.reference for r in parsed.related_incidents),
    }


def db_views(db_path) -> dict[str, dict]:
    """incident_id -> view, read back from the tables of an ingested database."""
    import duckdb

    views: dict[str, dict] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        for row in con.execute(
            """
            SELECT incident_id, title, status, incident_date, last_updated, severity,
                   duration_minutes, duration_derived, users_affected, traffic_pct, data_loss,
                   team, services, root_cause_category, authors, tags, root_cause,
                   impact_started_at, detected_at, acknowledged_at, root_caused_at,
                   mitigated_at, restored_at, resolved_at
            FROM incidents
            """
        ).fetchall():
            (
                iid,
                title,
                status,
                inc_date,
                last_updated,
                severity,
                minutes,
                derived,
                users,
                pct,
                data_loss,
                team,
                services,
                rcc,
                authors,
                tags,
                root_cause,
                *firsts,
            ) = row
            views[iid] = {
                "incident_id": iid,
                "title": title,
                "authors": list(authors or []),
                "tags": sorted(tags or []),
                "root_cause": root_cause,
                "status": status,
                "incident_date": inc_date,
                "last_updated": last_updated,
                "severity": severity,
                "duration": (minutes, derived),
                "users": (users, pct),
                "data_loss": data_loss,
                "team": team,
                "services": sorted(services or []),
                "root_cause_category": rcc,
                "timeline_times": [],
                "timeline_kinds": [],
                "first_times": {
                    kind: at for kind, at in zip(KIND_COLUMNS, firsts) if at is not None
                },
                "actions": [],
                "detection_methods": [],
                "related": [],
            }
        for iid, occurred_at, kind, event in con.execute(
            "SELECT incident_id, occurred_at, kind, event FROM timeline ORDER BY incident_id, seq"
        ).fetchall():
            views[iid]["timeline_times"].append(occurred_at)
            views[iid]["timeline_kinds"].append((kind, event))
        for iid, *action in con.execute(
            "SELECT incident_id, action_id, description, owner, due_date, due_text, status, category "
            "FROM actions"
        ).fetchall():
            views[iid]["actions"].append(_action_key(*action))
        for iid, method in con.execute(
            "SELECT incident_id, method FROM detection_methods"
        ).fetchall():
            views[iid]["detection_methods"].append(method)
        for iid, reference in con.execute(
            "SELECT incident_id, reference FROM related_incidents"
        ).fetchall():
            views[iid]["related"].append(reference)
    for view in views.values():
        view["actions"].sort()
        view["detection_methods"].sort()
        view["related"].sort()
    return views


def _mismatches(corpus, views_by_id, field) -> list[tuple[str, object, object]]:
    out = []
    for doc in corpus:
        expected = truth_view(doc.truth)[field]
        view = views_by_id.get(doc.truth.incident_id)
        got = view[field] if view is not None else "<not loaded>"
        if expected != got:
            out.append((doc.filename, expected, got))
    return out


def _field_param(field: str):
    marks = []
    if field in EXCEPTIONS:
        marks.append(pytest.mark.skip(reason=EXCEPTIONS[field]))
    return pytest.param(field, marks=marks, id=field)


def _difference(expected, got) -> str:
    """The part that differs: for lists, the items only on one side."""
    if isinstance(expected, list) and isinstance(got, list):
        missing = [x for x in expected if x not in got]
        extra = [x for x in got if x not in expected]
        if missing or extra:
            return f"only in truth {missing!r}\n    only parsed   {extra!r}"
    return f"expected {expected!r}\n    got      {got!r}"


def _report(field, bad, total) -> str:
    lines = [f"{field}: {len(bad)} of {total} documents disagree with the generator's truth"]
    for filename, expected, got in bad[:6]:
        lines.append(f"  {filename}\n    {_difference(expected, got)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Parser and loader against the truth


@pytest.fixture(scope="module")
def parsed_views(corpus) -> dict[str, dict]:
    from pipeline.parse import parse_document

    views = {}
    for doc in corpus:
        parsed = parse_document(doc.data, doc.filename)
        assert not parsed.rejected, (doc.filename, parsed.problems)
        views[doc.truth.incident_id] = parsed_view(parsed)
    return views


@pytest.mark.parametrize("field", [_field_param(f) for f in FIELDS])
def test_parser_recovers_every_true_value(corpus, parsed_views, field):
    bad = _mismatches(corpus, parsed_views, field)
    assert not bad, _report(field, bad, len(corpus))


@pytest.fixture(scope="module")
def ingested_views(corpus, tmp_path_factory) -> dict[str, dict]:
    from pipeline.ingest import ingest

    folder = tmp_path_factory.mktemp("generated")
    for doc in corpus:
        (folder / doc.filename).write_bytes(doc.data)
    db_path = folder.parent / "generated.duckdb"
    summary = ingest([folder], db_path, full=True)
    assert summary.seen == len(corpus)
    assert summary.rejected == 0, summary.rejected_files
    assert summary.loaded == len(corpus)
    return db_views(db_path)


@pytest.mark.parametrize("field", [_field_param(f) for f in FIELDS])
def test_ingest_loads_every_true_value(corpus, ingested_views, field):
    assert len(ingested_views) == len(corpus)
    bad = _mismatches(corpus, ingested_views, field)
    assert not bad, _report(field, bad, len(corpus))


# ---------------------------------------------------------------------------------------------
# The generator itself


def test_same_seed_gives_the_same_bytes():
    first = [(d.filename, d.data) for d in generate_corpus(120, 5, START, END)]
    again = [(d.filename, d.data) for d in generate_corpus(120, 5, START, END)]
    other = [(d.filename, d.data) for d in generate_corpus(120, 6, START, END)]
    assert first == again
    assert first != other


def test_incident_ids_are_unique_and_name_the_incident_date(corpus):
    ids = [d.truth.incident_id for d in corpus]
    assert len(set(ids)) == len(ids)
    for doc in corpus:
        match = re.fullmatch(r"INC-(\d{4}-\d{2}-\d{2})-(\d{3})", doc.truth.incident_id)
        assert match, doc.truth.incident_id
        assert date.fromisoformat(match.group(1)) == doc.truth.incident_date
        assert START <= doc.truth.incident_date <= END
    assert len({d.filename for d in corpus}) == len(corpus)


def test_related_incidents_point_to_earlier_incidents_of_the_same_theme(corpus):
    seen: dict[str, str] = {}
    links = 0
    for doc in corpus:
        for ref in doc.truth.related:
            assert seen.get(ref) == doc.truth.theme, (doc.filename, ref)
            links += 1
        seen[doc.truth.incident_id] = doc.truth.theme
    assert links > 0


@pytest.fixture(scope="module")
def large_sample() -> list[Truth]:
    return [d.truth for d in generate_corpus(3000, 11, START, END)]


def test_severities_lean_to_p2_and_p3(large_sample):
    counts = Counter(t.severity for t in large_sample if t.severity)
    total = sum(counts.values())
    assert (counts["P2"] + counts["P3"]) / total > 0.7
    assert 0 < counts["P0"] < counts["P1"] < counts["P2"]


def test_customers_find_a_shrinking_share_of_incidents(large_sample):
    third = len(large_sample) // 3

    def customer_share(truths: list[Truth]) -> float:
        return sum("customer_report" in t.detection_methods for t in truths) / len(truths)

    first, last = customer_share(large_sample[:third]), customer_share(large_sample[-third:])
    assert last < first - 0.08, (first, last)
    monitoring = sum("automated_monitoring" in t.detection_methods for t in large_sample)
    assert monitoring / len(large_sample) > 0.5


def test_durations_have_a_long_right_tail(large_sample):
    minutes = sorted(t.duration_minutes for t in large_sample if t.duration_minutes)
    median = statistics.median(minutes)
    p95 = minutes[int(len(minutes) * 0.95)]
    # A uniform spread would give p95 < 2x the median; log-normal gives several times it.
    assert p95 > 3 * median
    assert minutes[-1] > 10 * median


def test_timelines_move_forward_and_some_cross_midnight(large_sample):
    crossing = 0
    for t in large_sample:
        times = [e.occurred_at for e in t.timeline]
        assert times == sorted(times), t.incident_id
        assert len(set(times)) == len(times), t.incident_id
        if "crosses_midnight" in t.quirks:
            crossing += 1
    assert crossing > 0.03 * len(large_sample)


def test_action_items_have_owners_due_dates_and_mixed_states(large_sample):
    states = Counter()
    for t in large_sample:
        in_table = [a for a in t.actions if a.action_id is not None]
        assert 2 <= len(in_table) <= 8, t.incident_id
        states.update(a.status for a in t.actions)
    assert states["done"] and states["in_progress"] and states["todo"]
    overdue = sum(len(t.overdue_actions(END)) for t in large_sample)
    assert overdue > 0
    # Overdue depends on the day you look: nothing is overdue before any action falls due.
    assert sum(len(t.overdue_actions(START)) for t in large_sample) == 0


def test_each_quirk_appears_at_a_realistic_rate(large_sample):
    counts = Counter(q for t in large_sample for q in t.quirks)
    n = len(large_sample)
    for quirk in (
        "front_matter",
        "crlf",
        "bom",
        "heading_level",
        "renamed_headings",
        "bullet_timeline",
        "duration_missing",
    ):
        assert 0.05 <= counts[quirk] / n <= 0.25, (quirk, counts[quirk] / n)
    for rare in (
        "zone_header",
        "zone_cell",
        "placeholder_time",
        "severity_from_front_matter",
        "front_matter_disagrees",
        "detection_unticked",
        "extra_section",
        "dropped_sections",
        "reordered_sections",
        "full_timestamps",
    ):
        assert counts[rare] > 0, rare


def test_every_theme_is_worded_several_ways(large_sample):
    from devtools.generate import THEMES

    seen = Counter(t.theme for t in large_sample)
    assert set(seen) == {theme.key for theme in THEMES}
    for theme in THEMES:
        assert len(set(theme.what_happened)) >= 4
        assert len(set(theme.whys)) >= 2
        # each story has a whys chain that tells it
        assert len(theme.whys_for) == len(theme.what_happened)
        assert set(theme.whys_for) == set(range(len(theme.whys)))


DEMO_COMMAND = (
    "postmortems generate --out data/corpus --count 150 --seed 2026 "
    "--start 2024-11-28 --end 2026-11-27"
)


def test_demo_corpus_is_what_the_documented_command_makes():
    """data/corpus must be regenerated when the generator changes (data/README.md says how)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert DEMO_COMMAND in (root / "data" / "README.md").read_text()
    expected = {
        d.filename: d.data
        for d in generate_corpus(150, 2026, date(2024, 11, 28), date(2026, 11, 27))
    }
    committed = {p.name: p.read_bytes() for p in (root / "data" / "corpus").glob("*.md")}
    assert sorted(committed) == sorted(expected)
    stale = [name for name, data in expected.items() if committed[name] != data]
    assert not stale, f"{len(stale)} files differ; rerun: {DEMO_COMMAND}"
