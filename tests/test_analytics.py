"""Every figure of the analytics module, on a hand-built corpus, worked out by hand.

The corpus is tests/fixtures/analytics/ (10 template postmortems), loaded through the real
`pipeline.ingest.ingest` into a DuckDB file, so the views under test are the ones ingest
creates. The facts the arithmetic below uses (letters are used in the comments):

  id                   date   last upd  sev  status team          services                cause (pinned)
A INC-2026-01-10-001  01-10  01-20     P1   FINAL  payments      checkout-api,payments-db certificate_expiry
B INC-2026-01-15-002  01-15  01-16     P3   FINAL  payments      checkout-api             certificate_expiry
C INC-2026-02-14-003  02-14  02-20     P2   FINAL  platform      edge-proxy               dns
D INC-2026-04-02-004  04-02  04-10     P0   FINAL  payments      checkout-api             certificate_expiry
E INC-2026-04-20-005  04-20  04-21     P3   DRAFT  search        search-api               capacity
F INC-2026-05-05-006  05-05  05-12     P2   FINAL  platform      edge-proxy,search-api    config_change
G INC-2026-05-20-007  05-20  05-25     P1   FINAL  search        search-api               config_change
H INC-2026-07-03-008  07-03  07-10     P2   FINAL  payments      payments-db              db_failover
I INC-2026-07-15-009  07-15  07-16     P3   FINAL  O'Neil's SRE  edge-proxy               network
J INC-2026-08-05-010  08-05  08-06     P2   FINAL  payments      payments-db              db_failover
(all dates 2026)

Minutes from the first alert (ack / root cause / mitigate / restore) and the duration:
A 5 / 30 / 50 / 60, duration 60        B no timeline, duration 20 (written)
C 10 / 40 / 60 / 90 (23:40 -> 01:10 the next day: crosses midnight), duration 90,
  impact started 23:25 -> time to detect 15
D 2 / 45 / 60 / 80, duration 80, impact started 07:50 -> time to detect 10
E no timeline, no duration written (NULL)
F 20 / 60 / 70 / 120, duration 120     G 3 / - / 30 / 40, duration not written: derived 40
H 10 / 60 / 90 / 150, duration 150     I - / - / - / 30, duration 45
J 15 / - / - / 60, duration 60

Detection ticked: A mon; B internal; C customer; D mon+customer; E internal; F test;
G customer; H mon; I none; J mon.

Actions (as of 2026-06-15):
A1 alice due 01-31 done (prevention)   A2 bob due 02-15 done (detection)
C1 carol due 03-01 in progress -> 106 days overdue   C2 dave due 06-15 todo -> due TODAY
D1 alice due 05-01 todo -> 45 overdue   D2 no owner, due "TBD", todo   D3 erin due 04-20 won't do
E1 frank due 05-10 todo -> 36 overdue (draft)
F1 carol due 05-20 done (detection)    F2 bob due 06-01 in progress -> 14 overdue (response)
G1 gina due 06-10 todo -> 5 overdue    H1 alice due 07-20 done (no categories in H)
H2 no owner, due 08-01 todo            J1 hank due 09-01 todo
B and I have no actions.

Percentiles are quantile_cont: position (n - 1) * q in the sorted values, interpolated.
"""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import analytics
from pipeline.analytics import Filters
from pipeline.db import DatabaseError
from pipeline.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "analytics"
AS_OF = date(2026, 6, 15)

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
ALL = Filters()
INJECTIONS = ("'; DROP TABLE incidents; --", "x' OR '1'='1", '"; DELETE FROM actions; --', "_")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("analytics")
    corpus = folder / "postmortems"
    shutil.copytree(FIXTURES, corpus)
    path = folder / "postmortems.duckdb"
    summary = ingest([corpus], path, workers=1)
    assert summary.loaded == 10 and summary.rejected == 0, summary
    return path


@pytest.fixture(scope="module")
def con(db_path):
    con = analytics.connect(db_path)
    yield con
    con.close()


def row(df, **where):
    """The single row of df matching every column=value given."""
    mask = True
    for column, value in where.items():
        mask = mask & (df[column] == value)
    found = df[mask]
    assert len(found) == 1, f"{where}: {len(found)} rows\n{df}"
    return found.iloc[0]


def figures(df, **where) -> tuple:
    """(incidents, median, p90, max) of one response_times row, NaN as None."""
    r = row(df, **where)
    return tuple(
        None if isinstance(v, float) and math.isnan(v) else v
        for v in (int(r["incidents"]), r["median"], r["p90"], r["max"])
    )


# ---------------------------------------------------------------------------------------------
# The corpus and the views


def test_ingest_creates_every_view(con):
    names = {
        r[0]
        for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()
    }
    assert {
        "incident_facts",
        "response_times",
        "detection_hits",
        "incident_detection",
        "action_facts",
        "service_hits",
        "incident_links",
        "cause_occurrences",
    } <= names
    # the as-of table macro: C2 (due 06-15) is not overdue on 06-15, 1 day overdue on 06-16
    sql = "select days_overdue from actions_as_of(?) where incident_id = ? and action_id = '2'"
    assert con.execute(sql, [AS_OF, C]).fetchone() == (None,)
    assert con.execute(sql, [date(2026, 6, 16), C]).fetchone() == (1,)


def test_corpus_was_read_as_the_comments_say(con):
    # A guard for the arithmetic below: if the parser read a fixture differently, say where.
    facts = con.execute(
        "select incident_id, severity, status, team, duration_minutes, duration_derived "
        "from incidents order by incident_id"
    ).fetchall()
    assert facts == [
        (A, "P1", "FINAL", "payments", 60, None),
        (B, "P3", "FINAL", "payments", 20, None),
        (C, "P2", "FINAL", "platform", 90, None),
        (D, "P0", "FINAL", "payments", 80, None),
        (E, "P3", "DRAFT", "search", None, None),
        (F, "P2", "FINAL", "platform", 120, None),
        (G, "P1", "FINAL", "search", 40, "timeline"),
        (H, "P2", "FINAL", "payments", 150, None),
        (I, "P3", "FINAL", "O'Neil's SRE", 45, None),
        (J, "P2", "FINAL", "payments", 60, None),
    ]
    categories = con.execute(
        "select incident_id, action_id, status, category from actions "
        "where action_id is not null order by incident_id, action_id"
    ).fetchall()
    assert categories == [
        (A, "1", "done", "prevention"),
        (A, "2", "done", "detection"),
        (C, "1", "in_progress", None),
        (C, "2", "todo", None),
        (D, "1", "todo", None),
        (D, "2", "todo", None),
        (D, "3", "wont_do", None),
        (E, "1", "todo", None),
        (F, "1", "done", "detection"),
        (F, "2", "in_progress", "response"),
        (G, "1", "todo", None),
        (H, "1", "done", None),
        (H, "2", "todo", None),
        (J, "1", "todo", None),
    ]


# ---------------------------------------------------------------------------------------------
# Response times


def test_response_times_overall(con):
    rt = analytics.response_times(con, ALL)
    assert list(rt["metric"]) == list(analytics.RESPONSE_METRICS)
    # acknowledge: A5 C10 D2 F20 G3 H10 J15 -> sorted 2,3,5,10,10,15,20 (odd, n=7)
    #   median = 4th = 10; p90 at (7-1)*0.9 = 5.4 -> 15 + 0.4*(20-15) = 17; max 20
    assert figures(rt, metric="time_to_acknowledge") == (7, 10.0, 17.0, 20.0)
    # root cause: A30 C40 D45 F60 H60 -> 30,40,45,60,60: median 45; p90 at 3.6 -> 60 + 0.6*0
    assert figures(rt, metric="time_to_root_cause") == (5, 45.0, 60.0, 60.0)
    # mitigate: A50 C60 D60 F70 G30 H90 -> 30,50,60,60,70,90 (even, n=6)
    #   median = (60+60)/2 = 60; p90 at 4.5 -> 70 + 0.5*(90-70) = 80
    assert figures(rt, metric="time_to_mitigate") == (6, 60.0, 80.0, 90.0)
    # restore: A60 C90 D80 F120 G40 H150 I30 J60 -> 30,40,60,60,80,90,120,150 (even, n=8)
    #   median = (60+80)/2 = 70; p90 at 6.3 -> 120 + 0.3*(150-120) = 129
    assert figures(rt, metric="time_to_restore") == (8, 70.0, 129.0, 150.0)
    # duration: A60 B20 C90 D80 F120 G40 H150 I45 J60 (E unknown) -> 20,40,45,60,60,80,90,120,150
    #   median = 5th = 60; p90 at 7.2 -> 120 + 0.2*(150-120) = 126
    assert figures(rt, metric="duration") == (9, 60.0, 126.0, 150.0)


def test_response_times_even_and_odd_counts_under_filters(con):
    # P2 only: restore C90 F120 H150 J60 -> 60,90,120,150: median (90+120)/2 = 105;
    #   p90 at 2.7 -> 120 + 0.7*30 = 141
    p2 = analytics.response_times(con, Filters(severities=("P2",)))
    assert figures(p2, metric="time_to_restore") == (4, 105.0, 141.0, 150.0)
    # since 2026-02-01 (A and B out): restore 90,80,120,40,150,30,60 -> 30,40,60,80,90,120,150
    #   median 80; p90 at 5.4 -> 120 + 0.4*30 = 132
    later = analytics.response_times(con, Filters(since=date(2026, 2, 1)))
    assert figures(later, metric="time_to_restore") == (7, 80.0, 132.0, 150.0)


def test_response_times_by_severity(con):
    rt = analytics.response_times(con, ALL, by="severity")
    assert list(rt.columns) == ["severity", "metric", "incidents", "median", "p90", "max"]
    assert list(dict.fromkeys(rt["severity"])) == ["P0", "P1", "P2", "P3"]
    # P0: D only, restore 80
    assert figures(rt, severity="P0", metric="time_to_restore") == (1, 80.0, 80.0, 80.0)
    # P1: A60 G40 -> median 50; p90 at 0.9 -> 40 + 0.9*20 = 58
    assert figures(rt, severity="P1", metric="time_to_restore") == (2, 50.0, 58.0, 60.0)
    # P2: 60,90,120,150 -> 105 / 141 (as above)
    assert figures(rt, severity="P2", metric="time_to_restore") == (4, 105.0, 141.0, 150.0)
    # P3: B and E have no timeline, I acknowledged nothing: no acknowledge figure at all
    assert figures(rt, severity="P3", metric="time_to_acknowledge") == (0, None, None, None)
    assert figures(rt, severity="P3", metric="time_to_restore") == (1, 30.0, 30.0, 30.0)
    # P3 duration: B20 I45 (E unknown) -> median 32.5; p90 at 0.9 -> 20 + 0.9*25 = 42.5
    assert figures(rt, severity="P3", metric="duration") == (2, 32.5, 42.5, 45.0)


def test_response_times_by_quarter(con):
    rt = analytics.response_times(con, ALL, by="quarter")
    # Q1: A60 C90 -> median 75; p90 at 0.9 -> 60 + 0.9*30 = 87
    assert figures(rt, quarter="2026Q1", metric="time_to_restore") == (2, 75.0, 87.0, 90.0)
    # Q2: D80 F120 G40 -> 40,80,120: median 80; p90 at 1.8 -> 80 + 0.8*40 = 112
    assert figures(rt, quarter="2026Q2", metric="time_to_restore") == (3, 80.0, 112.0, 120.0)
    # Q3: H150 I30 J60 -> 30,60,150: median 60; p90 at 1.8 -> 60 + 0.8*90 = 132
    assert figures(rt, quarter="2026Q3", metric="time_to_restore") == (3, 60.0, 132.0, 150.0)


def test_midnight_crossing_timeline_measures_across_the_day_change(con):
    values = analytics.response_time_values(con, ALL)
    c = values[values["incident_id"] == C].set_index("metric")["minutes"].to_dict()
    # 23:40 alert; 23:50 ack (10); 00:20 root cause (40); 00:40 mitigated (60); 01:10 restored (90)
    assert c == {
        "time_to_acknowledge": 10.0,
        "time_to_root_cause": 40.0,
        "time_to_mitigate": 60.0,
        "time_to_restore": 90.0,
        "duration": 90.0,
    }


def test_incidents_without_a_timeline_have_no_timeline_figures(con):
    values = analytics.response_time_values(con, ALL)
    # B: only its written duration (20); E (draft, no timeline, no duration): nothing
    assert values[values["incident_id"] == B][["metric", "minutes"]].values.tolist() == [
        ["duration", 20.0]
    ]
    assert values[values["incident_id"] == E].empty
    # 7 + 5 + 6 + 8 + 9 rows, the counts of test_response_times_overall
    assert len(values) == 35


def test_derived_duration_comes_from_the_timeline(con):
    values = analytics.response_time_values(con, ALL)
    # G has no written duration: the loader derives first alert 09:00 -> restored 09:40 = 40
    assert row(values, incident_id=G, metric="duration")["minutes"] == 40.0


# ---------------------------------------------------------------------------------------------
# Incidents per period and severity


def test_incident_counts_per_quarter(con):
    counts = analytics.incident_counts(con, ALL, "quarter")
    table = {(r.period, r.severity): r.incidents for r in counts.itertuples()}
    # Q1: A P1, B P3, C P2; Q2: D P0, E P3, F P2, G P1; Q3: H P2, I P3, J P2
    assert table == {
        ("2026Q1", "P0"): 0,
        ("2026Q1", "P1"): 1,
        ("2026Q1", "P2"): 1,
        ("2026Q1", "P3"): 1,
        ("2026Q2", "P0"): 1,
        ("2026Q2", "P1"): 1,
        ("2026Q2", "P2"): 1,
        ("2026Q2", "P3"): 1,
        ("2026Q3", "P0"): 0,
        ("2026Q3", "P1"): 0,
        ("2026Q3", "P2"): 2,
        ("2026Q3", "P3"): 1,
    }


def test_incident_counts_per_month_fill_the_quiet_months(con):
    counts = analytics.incident_counts(con, ALL, "month")
    per_month = counts.groupby("period", sort=False)["incidents"].sum().to_dict()
    # March and June had no incident but are listed: a time axis without silent gaps
    assert per_month == {
        "2026-01": 2,
        "2026-02": 1,
        "2026-03": 0,
        "2026-04": 2,
        "2026-05": 2,
        "2026-06": 0,
        "2026-07": 2,
        "2026-08": 1,
    }
    assert len(counts) == 8 * 4


def test_severity_share_and_quarter_over_quarter_change(con):
    share = analytics.severity_share(con, ALL).set_index("quarter")
    # Q1 3 incidents, 1 P0/P1 (A) -> 1/3; Q2 4, 2 (D, G) -> 1/2, count +1/3 = +33.3%;
    # Q3 3, 0 -> 0, count -1/4 = -25%
    assert share["incidents"].to_dict() == {"2026Q1": 3, "2026Q2": 4, "2026Q3": 3}
    assert share["p0_p1"].to_dict() == {"2026Q1": 1, "2026Q2": 2, "2026Q3": 0}
    assert share.loc["2026Q1", "p0_p1_share"] == pytest.approx(1 / 3)
    assert share.loc["2026Q2", "p0_p1_share"] == pytest.approx(0.5)
    assert share.loc["2026Q3", "p0_p1_share"] == 0
    assert math.isnan(share.loc["2026Q1", "change_pct"])
    assert share.loc["2026Q2", "change_pct"] == pytest.approx(100 * 1 / 3)
    assert share.loc["2026Q3", "change_pct"] == pytest.approx(-25.0)
    # share change in points: 50 - 33.3 = +16.7; 0 - 50 = -50
    assert share.loc["2026Q2", "p0_p1_share_change"] == pytest.approx(100 / 6)
    assert share.loc["2026Q3", "p0_p1_share_change"] == pytest.approx(-50.0)


def test_drafts_excluded_change_the_figures(con):
    share = analytics.severity_share(con, Filters(include_drafts=False)).set_index("quarter")
    # without E (draft, Q2): Q2 has 3, of which 2 P0/P1 -> 2/3, count change 3 -> 3 = 0%
    assert share["incidents"].to_dict() == {"2026Q1": 3, "2026Q2": 3, "2026Q3": 3}
    assert share.loc["2026Q2", "p0_p1_share"] == pytest.approx(2 / 3)
    assert share.loc["2026Q2", "change_pct"] == 0
    assert E not in set(analytics.incidents(con, Filters(include_drafts=False))["incident_id"])
    assert E in set(analytics.incidents(con, ALL)["incident_id"])


# ---------------------------------------------------------------------------------------------
# Detection


def test_detection_share_by_quarter(con):
    share = analytics.detection_share(con, ALL, by="quarter")
    got = {
        (r.quarter, r.method): (r.incidents, round(r.share, 4), r.with_method_known)
        for r in share.itertuples()
    }
    # Q1: A mon, B internal, C customer -> 3 known, 1/3 each
    # Q2: D mon+customer, E internal, F test, G customer -> 4 known
    # Q3: H mon, I nothing ticked (not in the denominator), J mon -> 2 known, mon 2/2
    assert got == {
        ("2026Q1", "automated_monitoring"): (1, 0.3333, 3),
        ("2026Q1", "customer_report"): (1, 0.3333, 3),
        ("2026Q1", "internal_user"): (1, 0.3333, 3),
        ("2026Q2", "customer_report"): (2, 0.5, 4),
        ("2026Q2", "automated_monitoring"): (1, 0.25, 4),
        ("2026Q2", "automated_test"): (1, 0.25, 4),
        ("2026Q2", "internal_user"): (1, 0.25, 4),
        ("2026Q3", "automated_monitoring"): (2, 1.0, 2),
    }


def test_detection_share_by_severity(con):
    share = analytics.detection_share(con, ALL, by="severity")
    got = {(r.severity, r.method): (r.incidents, r.share) for r in share.itertuples()}
    # P0: D mon+customer (1 known, both 1.0: several ticked, shares add up past 1)
    # P1: A mon, G customer; P2: C customer, F test, H mon, J mon; P3: B, E internal (I none)
    assert got == {
        ("P0", "automated_monitoring"): (1, 1.0),
        ("P0", "customer_report"): (1, 1.0),
        ("P1", "automated_monitoring"): (1, 0.5),
        ("P1", "customer_report"): (1, 0.5),
        ("P2", "automated_monitoring"): (2, 0.5),
        ("P2", "automated_test"): (1, 0.25),
        ("P2", "customer_report"): (1, 0.25),
        ("P3", "internal_user"): (2, 1.0),
    }


def test_customer_detected_and_time_to_detect(con):
    found = analytics.customer_detected(con, ALL)
    assert list(found["incident_id"]) == [G, D, C]  # newest first
    assert row(found, incident_id=C)["detection_gap"] == (
        "No synthetic DNS resolution check on the edge hostnames."
    )
    ttd = analytics.time_to_detect(con, ALL)
    # C impact 23:25 -> alert 23:40 = 15; D 07:50 -> 08:00 = 10; nobody else has both
    assert ttd[["incident_id", "quarter", "minutes"]].values.tolist() == [
        [C, "2026Q1", 15.0],
        [D, "2026Q2", 10.0],
    ]


def test_detection_gaps_and_their_search(con):
    gaps = analytics.detection_gaps(con, ALL)
    # every incident but I (its gap is empty) has a text
    assert set(gaps["incident_id"]) == {A, B, C, D, E, F, G, H, J}
    # "alert" is in D ("not alerted on"), E ("forecast alert"), G ("Alert on cache..."),
    # J ("Alert on read-only"); newest first
    assert list(analytics.detection_gaps(con, ALL, search="ALERT")["incident_id"]) == [J, G, E, D]
    # a LIKE wildcard is searched for literally, not as a pattern
    assert analytics.detection_gaps(con, ALL, search="%").empty


# ---------------------------------------------------------------------------------------------
# Action items


def test_overdue_actions_most_urgent_first(con):
    overdue = analytics.overdue_actions(con, ALL, as_of=AS_OF)
    # P0/P1 first: D1 (P0, 45 days: May 1 -> Jun 15 = 30 + 15), G1 (P1, 5: Jun 10 -> 15);
    # then by days: C1 (106: Mar 1 -> Jun 15 = 30 + 30 + 31 + 15), E1 (36: 21 + 15), F2 (14)
    assert [(r.incident_id, r.action_id, r.days_overdue) for r in overdue.itertuples()] == [
        (D, "1", 45),
        (G, "1", 5),
        (C, "1", 106),
        (E, "1", 36),
        (F, "2", 14),
    ]
    assert list(overdue.columns[:10]) == [
        "incident_id",
        "severity",
        "title",
        "action_id",
        "description",
        "owner",
        "team",
        "due_date",
        "days_overdue",
        "status",
    ]


def test_limit_keeps_the_top_of_a_list(con):
    top2 = analytics.overdue_actions(con, ALL, as_of=AS_OF, limit=2)
    assert [(r.incident_id, r.action_id) for r in top2.itertuples()] == [(D, "1"), (G, "1")]
    assert list(analytics.incidents(con, ALL, limit=1)["incident_id"]) == [J]  # newest
    assert len(analytics.detection_gaps(con, ALL, limit=3)) == 3
    assert len(analytics.actions_missing_owner_or_due(con, ALL, limit=0)) == 0
    with pytest.raises(ValueError):
        analytics.incidents(con, ALL, limit=-1)


def test_due_today_and_wont_do_are_not_overdue(con):
    overdue = analytics.overdue_actions(con, ALL, as_of=AS_OF)
    keys = {(r.incident_id, r.action_id) for r in overdue.itertuples()}
    assert (C, "2") not in keys  # due 2026-06-15, the as-of day itself
    assert (D, "3") not in keys  # due 04-20, long past, but won't do
    assert (D, "2") not in keys  # no due date ("TBD")
    tomorrow = analytics.overdue_actions(con, ALL, as_of=date(2026, 6, 16))
    assert row(tomorrow, incident_id=C, action_id="2")["days_overdue"] == 1
    assert (D, "3") not in {(r.incident_id, r.action_id) for r in tomorrow.itertuples()}


def test_overdue_actions_by_owner_and_team(con):
    carol = analytics.overdue_actions(con, ALL, as_of=AS_OF, owner="@Carol")
    assert [(r.incident_id, r.action_id) for r in carol.itertuples()] == [(C, "1")]
    search = analytics.overdue_actions(con, ALL, as_of=AS_OF, team="search")
    assert [(r.incident_id, r.action_id) for r in search.itertuples()] == [(G, "1"), (E, "1")]
    drafts_out = analytics.overdue_actions(con, Filters(include_drafts=False), as_of=AS_OF)
    assert len(drafts_out) == 4 and E not in set(drafts_out["incident_id"])
    # nothing due before New Year: nothing overdue
    assert analytics.overdue_actions(con, ALL, as_of=date(2026, 1, 1)).empty


def test_action_summary(con):
    s = analytics.action_summary(con, ALL, as_of=AS_OF).iloc[0].to_dict()
    # 14 actions: open C1 C2 D1 D2 E1 F2 G1 H2 J1 = 9; done A1 A2 F1 H1 = 4; won't do D3 = 1
    # overdue C1 D1 E1 F2 G1 = 5; no owner D2 H2 = 2; no due date D2 ("TBD") = 1
    assert s == {
        "total": 14,
        "open": 9,
        "overdue": 5,
        "done": 4,
        "wont_do": 1,
        "no_owner": 2,
        "no_due_date": 1,
    }
    # Q2 only (D E F G): 7 actions, open D1 D2 E1 F2 G1 = 5, overdue D1 E1 F2 G1 = 4, done F1
    q2 = analytics.action_summary(con, analytics.quarter_filters(ALL, "2026Q2"), AS_OF).iloc[0]
    assert (q2["total"], q2["open"], q2["overdue"], q2["done"]) == (7, 5, 4, 1)


def test_action_completion_by_owner(con):
    by_owner = analytics.action_completion(con, ALL, by="owner", as_of=AS_OF)
    assert list(by_owner["owner"]) == [
        "alice",
        "(no owner)",
        "bob",
        "carol",
        "dave",
        "erin",
        "frank",
        "gina",
        "hank",
    ]
    alice = row(by_owner, owner="alice")
    # A1 done (A: Jan 10 -> last updated Jan 20 = 10 days), D1 overdue, H1 done (Jul 3 -> 10 = 7)
    # rate 2/3; median days to close (7 + 10) / 2 = 8.5
    assert (alice["actions"], alice["done"], alice["overdue"]) == (3, 2, 1)
    assert alice["completion_rate"] == pytest.approx(2 / 3)
    assert alice["median_days_to_close"] == 8.5
    carol = row(by_owner, owner="carol")  # C1 overdue, F1 done (May 5 -> 12 = 7 days)
    assert (carol["completion_rate"], carol["median_days_to_close"], carol["overdue"]) == (
        0.5,
        7.0,
        1,
    )
    erin = row(by_owner, owner="erin")  # only a won't-do: no rate (0 / 0)
    assert erin["wont_do"] == 1 and math.isnan(erin["completion_rate"])
    dave = row(by_owner, owner="dave")  # C2 due today: open, not overdue, nothing done
    assert (dave["completion_rate"], dave["overdue"]) == (0.0, 0)
    assert math.isnan(dave["median_days_to_close"])


def test_action_completion_by_team(con):
    by_team = analytics.action_completion(con, ALL, by="team", as_of=AS_OF)
    got = {
        r.team: (r.actions, r.done, r.wont_do, round(r.completion_rate, 4), r.overdue)
        for r in by_team.itertuples()
    }
    # payments: A1 A2 D1 D2 D3 H1 H2 J1 = 8, done 3, won't do 1 -> 3/7; overdue D1
    # platform: C1 C2 F1 F2 = 4, done 1 -> 1/4; overdue C1 F2.  search: E1 G1, both overdue
    assert got == {
        "payments": (8, 3, 1, 0.4286, 1),
        "platform": (4, 1, 0, 0.25, 2),
        "search": (2, 0, 0, 0.0, 2),
    }
    # payments days to close: A1 10, A2 10, H1 7 -> median 10
    assert row(by_team, team="payments")["median_days_to_close"] == 10.0
    assert list(by_team["team"]) == ["payments", "platform", "search"]


def test_closed_actions_by_last_update(con):
    # done: A1 A2 (A last updated Jan 20), F1 (May 12), H1 (Jul 10)
    q2 = analytics.closed_actions(con, ALL, date(2026, 4, 1), date(2026, 6, 30))
    assert [
        (r.incident_id, r.action_id, str(r.closed_by.date()), r.days_to_close)
        for r in q2.itertuples()
    ] == [(F, "1", "2026-05-12", 7)]  # May 5 -> 12
    everything = analytics.closed_actions(con, ALL, date(2026, 1, 1), date(2026, 12, 31))
    # newest first; A's two share Jan 20 (10 days after Jan 10)
    assert [(r.incident_id, r.action_id) for r in everything.itertuples()] == [
        (H, "1"),
        (F, "1"),
        (A, "1"),
        (A, "2"),
    ]
    # the window is on the closing day, not the incident: Jan 20 is in, Jan 21 out
    assert len(analytics.closed_actions(con, ALL, date(2026, 1, 20), date(2026, 1, 20))) == 2
    assert analytics.closed_actions(con, ALL, date(2026, 1, 21), date(2026, 5, 11)).empty


def test_actions_missing_owner_or_due_date(con):
    missing = analytics.actions_missing_owner_or_due(con, ALL)
    assert [(r.incident_id, r.action_id, r.missing, r.due_text) for r in missing.itertuples()] == [
        (D, "2", "both", "TBD"),
        (H, "2", "owner", "2026-08-01"),
    ]


# ---------------------------------------------------------------------------------------------
# Repeats and links


def test_repeat_incidents_within_n_days(con):
    repeats = analytics.repeat_incidents(con, ALL, within_days=30)
    # checkout-api: A Jan 10 -> B Jan 15 (5 days); D Apr 2 is 77 days after B
    # search-api: E Apr 20 -> F May 5 (15) -> G May 20 (15)
    # payments-db: H Jul 3 -> J Aug 5 is 33 days: not within 30
    assert [
        (r.service, r.incident_id, r.previous_incident_id, r.days_between)
        for r in repeats.itertuples()
    ] == [
        ("search-api", G, F, 15),
        ("search-api", F, E, 15),
        ("checkout-api", B, A, 5),
    ]
    wider = analytics.repeat_incidents(con, ALL, within_days=33)
    assert ("payments-db", J, H, 33) in [
        (r.service, r.incident_id, r.previous_incident_id, r.days_between)
        for r in wider.itertuples()
    ]
    only_checkout = analytics.repeat_incidents(con, Filters(services=("checkout-api",)))
    assert list(only_checkout["incident_id"]) == [B]


def test_linked_incidents(con):
    links = analytics.linked_incidents(con, ALL)
    got = {(r.incident_id, r.reference): r.linked_incident_id for r in links.itertuples()}
    assert got[(D, A)] == A
    assert got[(G, F)] == F
    external = [k for k in got if k[0] == D and k[1] != A]
    assert len(external) == 1 and "status.example.com/incidents/42" in external[0][1]
    assert got[external[0]] is None or (
        isinstance(got[external[0]], float) and math.isnan(got[external[0]])
    )


# ---------------------------------------------------------------------------------------------
# Recurring causes


def test_recurring_causes_ranked_with_recurrence_after_fix(con):
    causes = analytics.recurring_causes(con, ALL)
    got = [
        (
            r.cluster_label,
            r.incidents,
            str(r.first_seen.date()),
            str(r.last_seen.date()),
            bool(r.recurred_after_fix),
            list(r.incident_ids),
        )
        for r in causes.itertuples()
    ]
    # Ranked by incidents, then the most recent. Recurred after fix:
    # - TLS: D (Apr 2) came after A's postmortem was last updated (Jan 20) with A1 (prevention)
    #   done -> yes. B (Jan 15) came before Jan 20, so B alone would not count.
    # - failover: J (Aug 5) after H's last update (Jul 10); H categorises none of its actions,
    #   so its done H1 counts as the fix -> yes.
    # - config: F's only done action is a *detection* one -> G is not a recurrence after fix.
    assert got == [
        ("Expired certificate or credential", 3, "2026-01-10", "2026-04-02", True, [A, B, D]),
        ("Database", 2, "2026-07-03", "2026-08-05", True, [H, J]),
        ("Configuration change", 2, "2026-05-05", "2026-05-20", False, [F, G]),
        ("Network or routing", 1, "2026-07-15", "2026-07-15", False, [I]),
        ("Capacity or limit reached", 1, "2026-04-20", "2026-04-20", False, [E]),
        ("DNS", 1, "2026-02-14", "2026-02-14", False, [C]),
    ]


def test_cause_occurrences_flag_the_recurrence_and_its_fix(con):
    occ = analytics.cause_occurrences(con, ALL).set_index("incident_id")
    flagged = set(occ.index[occ["recurred_after_fix"]])
    assert flagged == {D, J}
    assert occ.loc[D, "fixed_in_incident_id"] == A
    assert str(occ.loc[D, "fix_done_by"].date()) == "2026-01-20"
    assert occ.loc[J, "fixed_in_incident_id"] == H
    assert not occ.loc[B, "recurred_after_fix"]  # after A's incident, before A's last update
    causes = analytics.recurring_causes(con, ALL).set_index("cluster_label")
    # one recurrence each: D in the TLS cluster, J in the failover one
    assert causes["recurrences_after_fix"].to_dict() == {
        "Expired certificate or credential": 1,
        "Database": 1,
        "Configuration change": 0,
        "Network or routing": 0,
        "Capacity or limit reached": 0,
        "DNS": 0,
    }


def test_a_fix_counts_only_for_the_services_it_was_made_for(tmp_path):
    """A cluster is a mechanism: after A's certificate fix on checkout-api and payments-db,
    D (checkout-api again) recurred after the fix, but the same mechanism on another service
    (K: edge-proxy) and on no named service (L) did not."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (f"{A}.md", f"{D}.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    d_text = (FIXTURES / f"{D}.md").read_text(encoding="utf-8")
    K, L = "INC-2026-04-03-011", "INC-2026-04-04-012"
    other_service = d_text.replace("  - checkout-api", "  - edge-proxy").replace(D, K)
    (corpus / f"{K}.md").write_text(other_service.replace("2026-04-02", "2026-04-03"))
    no_service = d_text.replace("services:\n  - checkout-api\n", "").replace(D, L)
    (corpus / f"{L}.md").write_text(no_service.replace("2026-04-02", "2026-04-04"))
    M = "INC-2026-04-05-013"  # the same service spelled another way
    other_spelling = d_text.replace("  - checkout-api", "  - Checkout_API").replace(D, M)
    (corpus / f"{M}.md").write_text(other_spelling.replace("2026-04-02", "2026-04-05"))
    db = tmp_path / "k.duckdb"
    ingest([corpus], db)
    with duckdb.connect(str(db), read_only=True) as con:
        occ = analytics.cause_occurrences(con, ALL).set_index("incident_id")
        [cause] = analytics.recurring_causes(con, ALL).itertuples()
    assert set(occ.index) == {A, D, K, L, M}  # one cluster: all are certificate expiries
    assert occ["cluster_id"].nunique() == 1
    assert set(occ.index[occ["recurred_after_fix"]]) == {D, M}
    assert (occ.loc[D, "fixed_in_incident_id"], occ.loc[D, "fixed_service"]) == (A, "checkout-api")
    assert occ.loc[M, "fixed_in_incident_id"] == A
    assert (cause.recurrences_after_fix, cause.naming_a_service) == (2, 4)  # all but L


def test_a_cause_whose_incidents_name_no_service_cannot_tell(tmp_path):
    """Without a service, no recurrence can be seen: the answer is "can't tell", not "no"."""
    from pipeline.presentation import recurrence_verdict

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for incident in (A, D):
        text = (FIXTURES / f"{incident}.md").read_text(encoding="utf-8")
        text = text.replace("services:\n  - checkout-api\n  - payments-db\n", "")
        (corpus / f"{incident}.md").write_text(text.replace("services:\n  - checkout-api\n", ""))
    db = tmp_path / "n.duckdb"
    ingest([corpus], db)
    with duckdb.connect(str(db), read_only=True) as con:
        [cause] = analytics.recurring_causes(con, ALL).itertuples()
    assert (cause.incidents, cause.recurred_after_fix, cause.naming_a_service) == (2, False, 0)
    verdict = recurrence_verdict(cause.recurred_after_fix, cause.recurrences_after_fix, 0)
    assert verdict == "can't tell"


def test_recurring_causes_in_a_period(con):
    causes = analytics.recurring_causes(con, Filters(since=date(2026, 4, 1)))
    # from Apr 1: failover 2 (last Aug 5), config 2 (May 20), network 1 (Jul 15),
    # capacity 1 (Apr 20), TLS 1 (D, Apr 2; still a recurrence: A's fix is outside the period)
    assert [
        (r.cluster_label, r.incidents, bool(r.recurred_after_fix)) for r in causes.itertuples()
    ] == [
        ("Database", 2, True),
        ("Configuration change", 2, False),
        ("Network or routing", 1, False),
        ("Capacity or limit reached", 1, False),
        ("Expired certificate or credential", 1, True),
    ]


# ---------------------------------------------------------------------------------------------
# Headline


def test_headline_for_everything(con):
    h = analytics.headline(con, ALL, as_of=AS_OF)
    assert h["incidents"] == 10
    assert h["by_severity"] == {"P0": 1, "P1": 2, "P2": 4, "P3": 3}
    assert h["p0_p1_share"] == pytest.approx(0.3)  # (1 + 2) / 10
    assert (h["ttr_incidents"], h["ttr_median"], h["ttr_p90"]) == (8, 70.0, 129.0)
    # customer-found C D G = 3, of the 9 with a method ticked (I has none)
    assert h["customer_detected"] == 3
    assert h["customer_detected_share"] == pytest.approx(1 / 3)
    assert (h["open_actions"], h["overdue_actions"], h["done_actions"]) == (9, 5, 4)
    assert h["top_causes"] == [
        ("Expired certificate or credential", 3),
        ("Database", 2),
        ("Configuration change", 2),
        ("Network or routing", 1),
        ("Capacity or limit reached", 1),
    ]


def test_headline_for_a_quarter(con):
    h = analytics.headline(con, analytics.quarter_filters(ALL, "2026Q2"), as_of=AS_OF)
    # Q2: D P0, E P3, F P2, G P1
    assert h["incidents"] == 4
    assert h["by_severity"] == {"P0": 1, "P1": 1, "P2": 1, "P3": 1}
    assert h["p0_p1_share"] == 0.5
    # restore D80 F120 G40 -> median 80, p90 112
    assert (h["ttr_median"], h["ttr_p90"]) == (80.0, 112.0)
    # customer: D, G of 4 known
    assert h["customer_detected_share"] == 0.5
    assert (h["open_actions"], h["overdue_actions"]) == (5, 4)


def test_quarter_helpers():
    assert analytics.quarter_bounds("2026Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert analytics.quarter_bounds("2026q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert analytics.previous_quarter("2026Q1") == "2025Q4"
    assert analytics.previous_quarter("2026Q3") == "2026Q2"
    with pytest.raises(ValueError):
        analytics.quarter_bounds("2026Q5")


# ---------------------------------------------------------------------------------------------
# Filters


def test_filters_change_the_figures(con):
    assert len(analytics.incidents(con, ALL)) == 10
    assert set(analytics.incidents(con, Filters(teams=("platform",)))["incident_id"]) == {C, F}
    # services: any overlap; edge-proxy was hit by C, F, I
    assert set(analytics.incidents(con, Filters(services=("edge-proxy",)))["incident_id"]) == {
        C,
        F,
        I,
    }
    window = Filters(since=date(2026, 4, 2), until=date(2026, 5, 5))  # both ends included
    assert set(analytics.incidents(con, window)["incident_id"]) == {D, E, F}
    p1 = analytics.headline(con, Filters(severities=("P1",)), as_of=AS_OF)
    # A and G: restore 60, 40 -> median 50, p90 58; actions A1 A2 (done), G1 (overdue)
    assert (p1["incidents"], p1["ttr_median"], p1["ttr_p90"]) == (2, 50.0, 58.0)
    assert (p1["open_actions"], p1["overdue_actions"], p1["done_actions"]) == (1, 1, 2)


def test_a_value_with_a_quote_is_just_a_value(con):
    oneil = Filters(teams=("O'Neil's SRE",))
    assert list(analytics.incidents(con, oneil)["incident_id"]) == [I]
    h = analytics.headline(con, oneil, as_of=AS_OF)
    assert (h["incidents"], h["ttr_median"]) == (1, 30.0)


@pytest.mark.parametrize("evil", INJECTIONS)
def test_sql_looking_filter_values_pass_harmlessly(db_path, evil):
    con = analytics.connect(db_path)
    try:
        f = Filters(severities=(evil,), teams=(evil,), services=(evil,))
        assert analytics.incidents(con, f).empty
        assert analytics.headline(con, f, as_of=AS_OF)["incidents"] == 0
        assert analytics.overdue_actions(con, ALL, as_of=AS_OF, owner=evil, team=evil).empty
        assert analytics.incidents(con, ALL, search=evil).empty
        assert analytics.detection_gaps(con, ALL, search=evil).empty
        assert analytics.incident_detail(con, evil) is None
        for fn in (
            analytics.response_times,
            analytics.recurring_causes,
            analytics.detection_share,
            analytics.action_completion,
            analytics.repeat_incidents,
        ):
            fn(con, f)
    finally:
        con.close()
    # and nothing was dropped or deleted
    check = duckdb.connect(str(db_path), read_only=True)
    try:
        assert check.execute("select count(*) from incidents").fetchone() == (10,)
        assert check.execute("select count(*) from actions").fetchone() == (14,)
    finally:
        check.close()


def test_grouping_names_come_from_an_allow_list(con):
    for call in (
        lambda: analytics.response_times(con, ALL, by="severity; drop table incidents"),
        lambda: analytics.incident_counts(con, ALL, period="week"),
        lambda: analytics.detection_share(con, ALL, by="team"),
        lambda: analytics.action_completion(con, ALL, by="1=1"),
    ):
        with pytest.raises(ValueError):
            call()


# ---------------------------------------------------------------------------------------------
# Filter choices, search, one incident, opening


def test_filter_options(con):
    options = analytics.filter_options(con)
    assert options["severities"] == ["P0", "P1", "P2", "P3"]
    assert options["teams"] == ["O'Neil's SRE", "payments", "platform", "search"]
    assert options["services"] == ["checkout-api", "edge-proxy", "payments-db", "search-api"]
    assert (options["min_date"], options["max_date"]) == (date(2026, 1, 10), date(2026, 8, 5))


def test_search_takes_wildcards_literally(con):
    # only E's text holds a real "%" ("reached 100%"); as a LIKE pattern "%" would match all 10
    assert list(analytics.incidents(con, ALL, search="%")["incident_id"]) == [E]


def test_incident_search(con):
    # "failover" is in H's and J's text; the search is a substring, not case-sensitive
    assert list(analytics.incidents(con, ALL, search="FailOver")["incident_id"]) == [J, H]
    assert list(analytics.incidents(con, ALL, search=C)["incident_id"]) == [C]


def test_incident_detail(con):
    detail = analytics.incident_detail(con, C)
    # (the parser keeps the H1 whole: "Incident Postmortem: Edge proxy DNS records vanished")
    assert detail["incident"]["title"].endswith("Edge proxy DNS records vanished")
    assert detail["incident"]["quarter"] == "2026Q1"
    assert len(detail["timeline"]) == 7
    assert list(detail["actions"]["action_id"]) == ["1", "2"]
    assert detail["detection_methods"] == ["customer_report"]
    assert detail["cluster"]["cluster_label"] == "DNS"
    assert detail["cluster"]["recurred_after_fix"] is False
    assert analytics.incident_detail(con, "INC-0000") is None


def test_connect_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(DatabaseError, match="no such database"):
        analytics.connect(tmp_path / "missing.duckdb")
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("hello")
    with pytest.raises(DatabaseError, match="not a readable DuckDB database"):
        analytics.connect(not_duckdb)


def test_response_time_values_for_one_metric_are_that_metrics_rows(con):
    every = analytics.response_time_values(con, Filters())
    restore = analytics.response_time_values(con, Filters(), metric="time_to_restore")
    assert set(restore["metric"]) == {"time_to_restore"}
    expected = every[every["metric"] == "time_to_restore"].reset_index(drop=True)
    assert restore.reset_index(drop=True).equals(expected)
    with pytest.raises(ValueError):
        analytics.response_time_values(con, Filters(), metric="'; drop table incidents; --")


def test_cause_occurrences_of_one_cluster(con):
    every = analytics.cause_occurrences(con, Filters())
    first_cluster = int(every["cluster_id"].iloc[0])
    one = analytics.cause_occurrences(con, Filters(), cluster_id=first_cluster)
    assert set(one["cluster_id"]) == {first_cluster}
    assert len(one) == (every["cluster_id"] == first_cluster).sum() > 0
