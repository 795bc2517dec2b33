"""The quarterly review's figures on the hand-built analytics corpus (tests/fixtures/analytics;
its facts are listed in tests/test_analytics.py): response clocks as distributions, a period
against the one before with intervals and verdicts, follow-through of actions, postmortem
hygiene, near misses and the quarter a review opens on. Worked out by hand:

Last Updated - incident date, FINAL postmortems only (E is the one DRAFT):
  A 10  B 1  C 6 | D 8  F 7  G 5 | H 7  I 1  J 1        (2026Q1 | Q2 | Q3)
Where we got lucky: C "The registrar kept a copy of the deleted records."; D two items ("The
  old certificate was still on disk..." then "It expired on a Thursday..."); H "The replica
  had caught up seconds before the failover."; every other "Traffic was low at the time."
E (DRAFT, 2026-04-20) is written by Jordan Lee and Priya Nair.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline import analytics
from pipeline.analytics import Filters
from pipeline.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "analytics"
AS_OF = date(2026, 6, 15)
ALL = Filters()
A, B, C, D, E = (
    "INC-2026-01-10-001",
    "INC-2026-01-15-002",
    "INC-2026-02-14-003",
    "INC-2026-04-02-004",
    "INC-2026-04-20-005",
)
F, G, H, I, J = (
    "INC-2026-05-05-006",
    "INC-2026-05-20-007",
    "INC-2026-07-03-008",
    "INC-2026-07-15-009",
    "INC-2026-08-05-010",
)
Q1, Q2, Q3 = (analytics.quarter_filters(ALL, q) for q in ("2026Q1", "2026Q2", "2026Q3"))


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    shutil.copytree(FIXTURES, folder / "postmortems")
    summary = ingest([folder / "postmortems"], folder / "pm.duckdb", workers=1)
    assert summary.loaded == 10 and summary.rejected == 0, summary
    con = analytics.connect(folder / "pm.duckdb")
    yield con
    con.close()


def rows(df, *columns) -> list[tuple]:
    return [tuple(r) for r in df[list(columns)].itertuples(index=False)]


# ---------------------------------------------------------------------------------------------
# The quarter a review opens on


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 6, 15), "2026Q1"),  # Q2 is still running
        (date(2026, 7, 1), "2026Q2"),  # the day after Q2 ended
        (date(2026, 10, 1), "2026Q3"),
        (date(2030, 1, 1), "2026Q3"),  # an old corpus: its newest quarter, not an empty one
        (date(2026, 1, 5), "2026Q3"),  # nothing complete yet: the newest quarter with incidents
    ],
)
def test_review_quarter_is_the_last_complete_quarter_with_incidents(con, today, quarter):
    assert analytics.review_quarter(con, today) == quarter


# ---------------------------------------------------------------------------------------------
# Response clocks


def test_clock_distribution_per_quarter_with_the_median_interval(con):
    restore = analytics.clock_distribution(con, ALL, "time_to_restore", by="quarter")
    # Q1 A60 C90 (B has no timeline); Q2 D80 F120 G40; Q3 H150 I30 J60 (as test_analytics)
    assert rows(restore, "quarter", "incidents", "median", "p90", "max") == [
        ("2026Q1", 2, 75.0, 87.0, 90.0),
        ("2026Q2", 3, 80.0, 112.0, 120.0),
        ("2026Q3", 3, 60.0, 132.0, 150.0),
    ]
    # with 2 or 3 values the order-statistic interval is the whole range
    assert rows(restore, "median_low", "median_high") == [(60, 90), (40, 120), (30, 150)]


def test_time_to_detect_is_a_clock_too(con):
    # impact start to first alert: C 15 (P2), D 10 (P0); nobody else has both
    detect = analytics.clock_distribution(con, ALL, "time_to_detect", by="severity")
    assert rows(detect, "severity", "incidents", "median") == [("P0", 1, 10.0), ("P2", 1, 15.0)]
    values = analytics.clock_values(con, ALL, "time_to_detect")
    assert rows(values, "incident_id", "quarter", "minutes") == [
        (C, "2026Q1", 15.0),
        (D, "2026Q2", 10.0),
    ]
    with pytest.raises(ValueError):
        analytics.clock_values(con, ALL, "time_to_coffee")


def test_clock_change_between_quarters_is_too_few_to_tell(con):
    change = analytics.clock_change(con, Q2, Q1, "time_to_restore")
    # median 80 against 75: +5, on 3 and 2 incidents
    assert (change.now, change.before, change.difference) == (80.0, 75.0, 5.0)
    assert (change.n_now, change.n_before) == (3, 2)
    assert change.verdict == "too_few" and change.words == "too few incidents to tell"
    assert change.low <= 5.0 <= change.high


# ---------------------------------------------------------------------------------------------
# A period against the one before


def test_compare_periods_gives_each_estimate_its_interval_and_verdict(con):
    review = analytics.compare_periods(con, Q2, as_of=AS_OF)
    assert review["previous"] == Q1
    assert review["now"]["incidents"] == 4 and review["before"]["incidents"] == 3
    changes = review["changes"]
    incidents = changes["incidents"]
    # 4 against 3: of the 7, the share now 4/7 has Wilson centre 0.5461, half-width 0.2957,
    # (0.25046, 0.84178), so the change lies in 7 * (2p - 1): -3.494 to +4.785
    assert (incidents.now, incidents.before, incidents.difference) == (4.0, 3.0, 1.0)
    assert (round(incidents.low, 3), round(incidents.high, 3)) == (-3.494, 4.785)
    # P0/P1 share 2/4 against 1/3; customers 2/4 (D, G) against 1/3 (C)
    assert changes["p0_p1_share"].difference == pytest.approx(0.5 - 1 / 3)
    assert changes["customer_detected_share"].n_now == 4
    assert changes["ttr_median"].now == 80.0 and changes["ttr_median"].before == 75.0
    assert changes["ttr_p90"].now == 112.0 and changes["ttr_p90"].before == 87.0
    verdicts = {k: v.verdict for k, v in changes.items() if k != "by_severity"}
    assert set(verdicts.values()) == {"too_few"}, verdicts
    assert changes["by_severity"]["P0"].difference == 1.0
    # an open period has nothing before it
    assert analytics.compare_periods(con, ALL, as_of=AS_OF)["changes"] == {}


def test_headline_intervals(con):
    h = analytics.headline(con, Q2, as_of=AS_OF)
    intervals = h["intervals"]
    # 4 incidents: Garwood (1.090, 10.242); P0/P1 2 of 4: Wilson (0.1500, 0.8500)
    assert (round(intervals["incidents"]["low"], 3), round(intervals["incidents"]["high"], 3)) == (
        1.09,
        10.242,
    )
    share = intervals["p0_p1_share"]
    assert (share["n"], round(share["low"], 4), round(share["high"], 4)) == (4, 0.15, 0.85)
    assert intervals["ttr_median"] == {
        "n": 3,
        "low": 40.0,
        "high": 120.0,
        "method": "order statistics",
    }
    assert h["detection_known"] == 4


# ---------------------------------------------------------------------------------------------
# Follow-through


def test_open_action_ages(con):
    ages = analytics.open_action_ages(con, ALL, as_of=AS_OF)
    # open on 06-15, incident on or before it: C1 C2 (Feb 14 -> 121 days), D1 D2 (Apr 2 -> 74),
    # E1 (Apr 20 -> 56), F2 (May 5 -> 41), G1 (May 20 -> 26); H2 and J1 belong to later incidents
    assert rows(ages, "incident_id", "action_id", "age_days", "is_overdue") == [
        (C, "1", 121, True),
        (C, "2", 121, False),
        (D, "1", 74, True),
        (D, "2", 74, False),
        (E, "1", 56, True),
        (F, "2", 41, True),
        (G, "1", 26, True),
    ]


def test_final_postmortems_with_open_actions(con):
    final = analytics.final_with_open_actions(con, ALL, as_of=AS_OF)
    # E is a draft. Most overdue first, then most open, then the oldest incident.
    assert rows(final, "incident_id", "open_actions", "overdue_actions") == [
        (C, 2, 1),
        (D, 2, 1),
        (F, 1, 1),
        (G, 1, 1),
        (H, 1, 0),
        (J, 1, 0),
    ]
    assert str(final.iloc[0]["oldest_due"])[:10] == "2026-03-01"  # C1


def test_completion_by_category_and_quarter(con):
    done = analytics.completion_by_category(con, ALL)
    # Q1: A1 prevention done, A2 detection done, C1 C2 uncategorised open.
    # Q2: F1 detection done, F2 response open; D1 D2 D3 E1 G1 uncategorised, D3 won't do.
    # Q3: H1 done, H2 J1 open, all uncategorised.
    assert rows(done, "quarter", "category", "actions", "done", "decided") == [
        ("2026Q1", "prevention", 1, 1, 1),
        ("2026Q1", "detection", 1, 1, 1),
        ("2026Q1", "uncategorised", 2, 0, 2),
        ("2026Q2", "detection", 1, 1, 1),
        ("2026Q2", "response", 1, 0, 1),
        ("2026Q2", "uncategorised", 5, 0, 4),
        ("2026Q3", "uncategorised", 3, 1, 3),
    ]
    q3 = done.iloc[-1]
    # 1 of 3: Wilson (0.0615, 0.7923)
    assert q3["completion_rate"] == pytest.approx(1 / 3)
    assert (round(q3["rate_low"], 4), round(q3["rate_high"], 4)) == (0.0615, 0.7923)


# ---------------------------------------------------------------------------------------------
# Postmortem hygiene and near misses


def test_days_to_final(con):
    days = analytics.days_to_final(con, ALL)
    assert rows(days, "incident_id", "quarter", "days") == [
        (A, "2026Q1", 10),
        (B, "2026Q1", 1),
        (C, "2026Q1", 6),
        (D, "2026Q2", 8),
        (F, "2026Q2", 7),
        (G, "2026Q2", 5),
        (H, "2026Q3", 7),
        (I, "2026Q3", 1),
        (J, "2026Q3", 1),
    ]


def test_stale_drafts_with_their_owners(con):
    stale = analytics.stale_drafts(con, ALL, as_of=AS_OF)
    # E: Apr 20 -> Jun 15 = 56 days, more than 30
    assert rows(stale, "incident_id", "owners", "age_days") == [(E, "Jordan Lee, Priya Nair", 56)]
    assert analytics.stale_drafts(con, ALL, as_of=AS_OF, older_than=56).empty
    assert list(analytics.stale_drafts(con, ALL, AS_OF, older_than=55)["incident_id"]) == [E]
    with pytest.raises(ValueError):
        analytics.stale_drafts(con, ALL, AS_OF, older_than=-1)


def test_near_misses_newest_first(con):
    lucky = analytics.near_misses(con, Q2)
    # Q2: G (May 20), F (May 5), E (Apr 20), D (Apr 2, two items in their order)
    assert rows(lucky, "incident_id", "text") == [
        (G, "Traffic was low at the time."),
        (F, "Traffic was low at the time."),
        (E, "Traffic was low at the time."),
        (D, "The old certificate was still on disk, so rollback took minutes."),
        (D, "It expired on a Thursday, not before a long weekend."),
    ]
    assert set(lucky["quarter"]) == {"2026Q2"}
    assert len(analytics.near_misses(con, ALL)) == 11
    assert list(analytics.near_misses(con, ALL, limit=1)["incident_id"]) == [J]
