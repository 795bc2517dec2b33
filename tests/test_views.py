"""Checks that sit beside the SQL views, dbt style: unique keys, no NULL where a figure needs a
value, only accepted values, rows that point at a loaded incident, and a few invariants each
view promises in its header. They run on the hand-built analytics corpus
(tests/fixtures/analytics) and on the demo corpus (data/corpus, 150 generated postmortems), both
loaded by the real ingest.

Each check is a query for the rows that break it; a check passes when it finds none.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import ingest
from pipeline.model import ACTION_STATUSES, DETECTION_METHODS, SEVERITIES, TIMELINE_KINDS

REPO = Path(__file__).resolve().parents[1]
CORPORA = {
    "analytics": REPO / "tests" / "fixtures" / "analytics",
    "demo": REPO / "data" / "corpus",
}
RESPONSE_METRICS = (
    "time_to_acknowledge",
    "time_to_root_cause",
    "time_to_mitigate",
    "time_to_restore",
    "duration",
)


def unique(relation: str, *columns: str) -> str:
    keys = ", ".join(columns)
    return f"select {keys}, count(*) from {relation} group by all having count(*) > 1"


def not_null(relation: str, column: str) -> str:
    return f"select * from {relation} where {column} is null"


def accepted(relation: str, column: str, values, *, nullable: bool = False) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    where = f"{column} not in ({listed})" + ("" if nullable else f" or {column} is null")
    return f"select * from {relation} where {where}"


def references(relation: str, column: str, target: str = "incident_facts") -> str:
    return (
        f"select * from {relation} r where r.{column} is not null and not exists "
        f"(select 1 from {target} t where t.incident_id = r.{column})"
    )


def holds(relation: str, condition: str) -> str:
    """Rows where `condition` is not true (false or NULL both fail)."""
    return f"select * from {relation} where not coalesce({condition}, false)"


AS_OF = "actions_as_of(date '2026-06-15')"
QUARTER_PATTERN = r"regexp_full_match(quarter, '\d{4}Q[1-4]')"
CHECKS = {
    # incident_facts
    "incident_facts unique id": unique("incident_facts", "incident_id"),
    "incident_facts id not null": not_null("incident_facts", "incident_id"),
    "incident_facts severity": accepted("incident_facts", "severity", SEVERITIES, nullable=True),
    "incident_facts flags": holds(
        "incident_facts", "is_draft is not null and is_p0_p1 is not null"
    ),
    "incident_facts quarter label": holds(
        "incident_facts",
        f"(incident_date is null and quarter is null) or ({QUARTER_PATTERN} "
        "and quarter_start <= incident_date and month_start <= incident_date)",
    ),
    "incident_facts derived duration has a duration": holds(
        "incident_facts",
        "coalesce(cast(duration_derived as varchar), '') in ('', 'false') "
        "or duration_minutes is not null",
    ),
    "every incident is in view without filters": (
        "select * from (select (select count(*) from incident_facts) as n, "
        "(select count(*) from incidents_in_view(null, null, null, null, null, null)) as m) "
        "where n <> m"
    ),
    # response_times
    "response_times unique": unique("response_times", "incident_id", "metric"),
    "response_times metric": accepted("response_times", "metric", RESPONSE_METRICS),
    "response_times minutes": holds("response_times", "minutes >= 0"),
    "response_times incident": references("response_times", "incident_id"),
    "incident_facts display title": holds("incident_facts", "length(trim(display_title)) > 0"),
    "response_clocks unique": unique("response_clocks", "incident_id", "clock"),
    "response_clocks clock": accepted(
        "response_clocks", "clock", ("time_to_detect", *RESPONSE_METRICS)
    ),
    "response_clocks minutes": holds("response_clocks", "minutes >= 0"),
    "response_clocks incident": references("response_clocks", "incident_id"),
    # detection
    "detection_hits unique": unique("detection_hits", "incident_id", "method"),
    "detection_hits method": accepted("detection_hits", "method", DETECTION_METHODS),
    "incident_detection unique": unique("incident_detection", "incident_id"),
    "incident_detection one per incident": (
        "select * from incident_facts f where not exists "
        "(select 1 from incident_detection d where d.incident_id = f.incident_id)"
    ),
    "incident_detection flags": holds(
        "incident_detection",
        "method_known is not null and customer_detected is not null "
        "and method_known = (len(methods) > 0)",
    ),
    "incident_detection time to detect": holds(
        "incident_detection", "time_to_detect is null or time_to_detect >= 0"
    ),
    # actions
    "action_facts status": accepted("action_facts", "status", ACTION_STATUSES),
    "action_facts exactly one state": holds(
        "action_facts",
        "cast(is_open as int) + cast(is_done as int) + cast(is_wont_do as int) = 1 "
        "and (status = 'wont_do') = is_wont_do",
    ),
    "action_facts one per action": (
        "select * from (select (select count(*) from actions) as n, "
        "(select count(*) from action_facts) as m) where n <> m"
    ),
    "action_facts days to close": holds(
        "action_facts", "days_to_close is null or (is_done and days_to_close >= 0)"
    ),
    "action_facts prevention fix": holds(
        "action_facts", "is_prevention_fix is not null and (not is_prevention_fix or is_done)"
    ),
    "action_facts incident": references("action_facts", "incident_id"),
    "action_facts title": holds("action_facts", "length(trim(title)) > 0"),
    "actions_as_of overdue": holds(
        AS_OF,
        "is_overdue is not null and (is_overdue = (days_overdue is not null)) "
        "and (not is_overdue or (is_open and days_overdue > 0))",
    ),
    # repeats, links, causes
    "service_hits unique": unique("service_hits", "service", "incident_id"),
    "service_hits gap": holds(
        "service_hits",
        "(previous_incident_id is null and days_between is null) or days_between >= 0",
    ),
    "incident_links one per related row": (
        "select * from (select (select count(*) from related_incidents) as n, "
        "(select count(*) from incident_links) as m) where n <> m"
    ),
    "incident_links linked incident": references("incident_links", "linked_incident_id"),
    "cause_occurrences unique": unique("cause_occurrences", "incident_id"),
    "cause_occurrences flag": holds(
        "cause_occurrences",
        "recurred_after_fix = (fixed_in_incident_id is not null) "
        "and (fix_done_by is null or fix_done_by < incident_date)",
    ),
    "cause_occurrences fixed in": references("cause_occurrences", "fixed_in_incident_id"),
    "timeline kind": accepted("timeline", "kind", TIMELINE_KINDS),
}


@pytest.fixture(scope="module", params=list(CORPORA))
def con(request, tmp_path_factory):
    corpus = CORPORA[request.param]
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is missing")
    folder = tmp_path_factory.mktemp(f"views-{request.param}")
    shutil.copytree(corpus, folder / "postmortems")
    summary = ingest([folder / "postmortems"], folder / "pm.duckdb", workers=1)
    assert summary.loaded > 0 and summary.rejected == 0, summary
    con = duckdb.connect(str(folder / "pm.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("check", list(CHECKS))
def test_view_check(con, check):
    broken = con.execute(f"select * from ({CHECKS[check]}) limit 5").fetchall()
    assert broken == [], f"{check}: {broken}"


def test_checks_catch_what_they_guard(con):
    # A check that could never fail checks nothing: each kind finds a planted break.
    planted = {
        unique("(select 1 as k union all select 1)", "k"): 1,
        not_null("(select null as c)", "c"): 1,
        accepted("(select 'P9' as severity)", "severity", SEVERITIES): 1,
        holds("(select -1 as minutes)", "minutes >= 0"): 1,
        references("(select 'INC-nobody' as incident_id)", "incident_id"): 1,
    }
    for sql, rows in planted.items():
        assert len(con.execute(sql).fetchall()) == rows, sql


def test_the_corpora_have_what_the_checks_look_at(con):
    # Guards against passing vacuously: each view the checks read has rows.
    for view in ("incident_facts", "response_times", "response_clocks", "action_facts"):
        assert con.execute(f"select count(*) from {view}").fetchone()[0] > 0, view
    assert con.execute(f"select count(*) from {AS_OF} where is_overdue").fetchone()[0] > 0
    assert date(2026, 1, 1) <= con.execute("select max(incident_date) from incidents").fetchone()[0]
