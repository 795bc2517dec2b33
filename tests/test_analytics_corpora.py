"""The analytics functions on databases nobody hand-built: an empty load and the wild corpus.

The figures here are not worked out by hand (tests/test_analytics.py does that); these tests
check that every function answers on real, messy data (unknown dates and severities, no
detection ticked, timelines that cannot be read) and that the figures agree with each other,
since each is defined once and the others are built from it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline import analytics
from pipeline.analytics import Filters
from pipeline.ingest import ingest

WILD_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wild"
AS_OF = date(2026, 6, 15)
ALL = Filters()

TABLE_FUNCTIONS = [
    lambda con, f: analytics.incidents(con, f),
    lambda con, f: analytics.incidents(con, f, search="database"),
    lambda con, f: analytics.incident_counts(con, f, "quarter"),
    lambda con, f: analytics.incident_counts(con, f, "month"),
    lambda con, f: analytics.severity_share(con, f),
    lambda con, f: analytics.response_times(con, f),
    lambda con, f: analytics.response_times(con, f, "severity"),
    lambda con, f: analytics.response_times(con, f, "quarter"),
    lambda con, f: analytics.response_time_values(con, f),
    lambda con, f: analytics.detection_share(con, f, "quarter"),
    lambda con, f: analytics.detection_share(con, f, "severity"),
    lambda con, f: analytics.customer_detected(con, f),
    lambda con, f: analytics.time_to_detect(con, f),
    lambda con, f: analytics.detection_gaps(con, f, search="alert"),
    lambda con, f: analytics.overdue_actions(con, f, AS_OF),
    lambda con, f: analytics.action_summary(con, f, AS_OF),
    lambda con, f: analytics.action_completion(con, f, "owner", AS_OF),
    lambda con, f: analytics.action_completion(con, f, "team", AS_OF),
    lambda con, f: analytics.actions_missing_owner_or_due(con, f),
    lambda con, f: analytics.repeat_incidents(con, f, 30),
    lambda con, f: analytics.linked_incidents(con, f),
    lambda con, f: analytics.recurring_causes(con, f),
    lambda con, f: analytics.cause_occurrences(con, f),
]


@pytest.fixture(scope="module")
def empty_con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("empty")
    (folder / "postmortems").mkdir()
    ingest([folder / "postmortems"], folder / "empty.duckdb", workers=1)
    con = analytics.connect(folder / "empty.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def wild_con(tmp_path_factory):
    if not WILD_CORPUS.is_dir():
        pytest.skip(f"wild corpus not found at {WILD_CORPUS}")
    path = tmp_path_factory.mktemp("wild") / "wild.duckdb"
    ingest([WILD_CORPUS], path, workers=1)
    con = analytics.connect(path)
    yield con
    con.close()


def test_an_empty_database_answers_everything_with_nothing(empty_con):
    for fn in TABLE_FUNCTIONS:
        out = fn(empty_con, ALL)
        if "p90" in out.columns:  # a distribution lists each metric (when not grouped), 0 incidents
            assert set(out["incidents"]) <= {0}
        elif "total" in out.columns:  # action_summary: one row of zeros
            assert out.iloc[0].sum() == 0
        else:
            assert out.empty
    h = analytics.headline(empty_con, ALL, AS_OF)
    assert h["incidents"] == 0 and h["ttr_median"] is None and h["p0_p1_share"] is None
    assert h["customer_detected_share"] is None and h["top_causes"] == []
    assert analytics.filter_options(empty_con)["min_date"] is None


def test_every_function_answers_on_the_wild_corpus(wild_con):
    for fn in TABLE_FUNCTIONS:
        fn(wild_con, ALL)
        fn(wild_con, Filters(include_drafts=False, severities=("P0", "P1")))


def test_wild_figures_agree_with_each_other(wild_con):
    every = analytics.incidents(wild_con, ALL)
    dated = every["incident_date"].notna().sum()
    # each incident with a date is counted in exactly one period, whatever the period
    assert analytics.incident_counts(wild_con, ALL, "month")["incidents"].sum() == dated
    assert analytics.incident_counts(wild_con, ALL, "quarter")["incidents"].sum() == dated
    assert analytics.severity_share(wild_con, ALL)["incidents"].sum() == dated
    # the headline counts what the incident list lists
    headline = analytics.headline(wild_con, ALL, AS_OF)
    assert headline["incidents"] == len(every)
    assert headline["overdue_actions"] == len(analytics.overdue_actions(wild_con, ALL, AS_OF))
    # a distribution counts exactly the values it is made of, and no time is negative
    values = analytics.response_time_values(wild_con, ALL)
    assert (values["minutes"] >= 0).all()
    per_metric = values.groupby("metric").size().to_dict()
    for r in analytics.response_times(wild_con, ALL).itertuples():
        assert r.incidents == per_metric.get(r.metric, 0)
        if r.incidents:
            assert r.median <= r.p90 <= r.max
    # shares are shares
    share = analytics.detection_share(wild_con, ALL)
    assert ((share["share"] > 0) & (share["share"] <= 1)).all()
    # every clustered incident is counted once in the ranking
    causes = analytics.recurring_causes(wild_con, ALL)
    assert causes["incidents"].sum() == len(analytics.cause_occurrences(wild_con, ALL))
