"""The dashboard's pages, run by Streamlit's AppTest over a database ingested from fixture
postmortems (tests/fixtures/dashboard/corpus, six incidents).

Every expected figure is worked out by hand from those six documents:

    id    date        quarter  sev  team      services                  status  detected by
    005   2026-04-10  2026Q2   P1   payments  checkout-api              FINAL   customer
    006   2026-05-20  2026Q2   P2   data      etl                       FINAL   automated test
    001   2026-07-14  2026Q3   P1   payments  checkout-api, payments-db FINAL   customer
    002   2026-08-03  2026Q3   P2   platform  search                    FINAL   monitoring
    003   2026-09-21  2026Q3   P0   payments  checkout-api              FINAL   monitoring
    004   2026-09-30  2026Q3   P3   platform  search                    DRAFT   internal user

Time to restore (first alert to "Service restored"), minutes: 005 08:00-10:00 = 120,
006 02:00-04:30 = 150, 001 14:02-15:10 = 68, 002 09:10-10:20 = 70, 003 23:40-00:50 (next day)
= 70, 004 16:00-17:00 = 60. Percentiles interpolate linearly (analytics' quantile_cont).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest
from dashboard_pages import PAGES, metric, open_page, tile_words
from streamlit.testing.v1 import AppTest

from pipeline.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "dashboard"
CORPUS = FIXTURES / "corpus"
XSS = FIXTURES / "xss"
Q3 = {"period": "custom", "from": "2026-07-01", "to": "2026-09-30"}


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dashboard") / "postmortems.duckdb"
    summary = ingest([CORPUS], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (6, 0), summary
    return db


def figures(at: AppTest) -> list[dict]:
    """The figures on the page as plain JSON (plotly sends numeric arrays base64-packed)."""
    return [_plain(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def _plain(value):
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:  # plotly's packed typed array
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return array.tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def traces_by_name(figure: dict) -> dict[str, dict]:
    return {trace.get("name"): trace for trace in figure["data"]}


def xy(trace: dict) -> dict:
    return dict(zip(trace["x"], trace["y"], strict=True))


def tables(at: AppTest, column: str) -> list:
    """The tables on the page that have `column`, in page order."""
    return [frame.value for frame in at.dataframe if column in frame.value.columns]


def table(at: AppTest, column: str):
    """The first table on the page that has `column`."""
    found = tables(at, column)
    assert found, f"no table with a {column!r} column"
    return found[0]


def info_text(at: AppTest) -> str:
    return " ".join(str(i.value) for i in at.info)


# ---------------------------------------------------------------------------------------------
# Every page renders


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exception(monkeypatch, corpus_db, page):
    at = open_page(monkeypatch, corpus_db, page, period="all")
    assert at.title, "each page has a title"
    assert not at.error


@pytest.mark.parametrize(
    ("page", "charts"),
    [
        ("overview", 2),
        ("severity", 1),
        ("response", 3),
        ("detection", 2),
        ("actions", 3),
        ("postmortems", 1),
        ("causes", 2),
    ],
)
def test_pages_draw_their_charts_with_titles_and_axis_labels(monkeypatch, corpus_db, page, charts):
    at = open_page(monkeypatch, corpus_db, page, period="all")
    figs = figures(at)
    assert len(figs) == charts
    for fig in figs:
        layout = fig["layout"]
        assert layout["title"]["text"]
        assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]


# ---------------------------------------------------------------------------------------------
# Overview: 2026Q3 against 2026Q2


def test_overview_compares_the_quarter_with_the_previous_one(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "overview", **Q3)
    assert "2026Q3, against 2026Q2" in at.caption[0].value
    # Q3 has 4 incidents (one of each severity), Q2 has 2 (one P1, one P2): far too few to
    # call any change one, so no tile has an arrow and each says so, with the difference.
    for label in ("Incidents", "P0 incidents", "P1 incidents", "P3 incidents"):
        assert metric(at, label).delta == "", label
    assert metric(at, "Incidents").value == "4"
    assert tile_words(at, "Incidents") == "too few incidents to tell (+2; n = 4 against 2)"
    assert metric(at, "P0 incidents").value == "1"
    assert tile_words(at, "P0 incidents").startswith("too few incidents to tell (+1;")
    assert tile_words(at, "P1 incidents").startswith("too few incidents to tell (0;")
    assert tile_words(at, "P3 incidents").startswith("too few incidents to tell (+1;")
    # Q3 restore times [60, 68, 70, 70]: median (68 + 70) / 2 = 69, p90 at rank 2.7 = 70.
    # Q2 [120, 150]: median 135, p90 = 120 + 0.9 * 30 = 147.
    ttr = metric(at, "Median time to restore")
    assert (ttr.value, ttr.delta) == ("1 h 9 min", "")
    assert tile_words(at, "Median time to restore") == (
        "too few incidents to tell (-66 min; n = 4 against 2)"
    )
    p90 = metric(at, "p90 time to restore")
    assert p90.value == "1 h 10 min" and "(-77 min;" in tile_words(at, "p90 time to restore")
    # Customers found 1 of 4 in Q3 (001), 1 of 2 in Q2 (005).
    customers = metric(at, "Detected by customers")
    assert customers.value == "25%"
    assert "too few incidents to tell (-25 pts;" in tile_words(at, "Detected by customers")
    # Open actions of the Q3 incidents: 001 #2 #3, 002 #2, 003 #1 #2 (in progress), 004 #1.
    # Action counts are records, not estimates: the previous quarter's is stated, not judged.
    assert metric(at, "Open actions").value == "6"
    assert metric(at, "Done actions").value == "2"
    assert tile_words(at, "Done actions") == "2 in 2026Q2"


def test_overview_chart_shows_both_quarters_by_severity(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "overview", **Q3)
    [fig] = [f for f in figures(at) if f["layout"]["title"]["text"] == "Incidents by severity"]
    bars = {(t["name"], x): y for t in fig["data"] for x, y in zip(t["x"], t["y"], strict=True)}
    assert bars[("P0, 2026Q3", "P0")] == 1
    assert bars[("P2, 2026Q2", "P2")] == 1
    assert bars[("P0, 2026Q2", "P0")] == 0


def test_overview_filters_change_the_figures(monkeypatch, corpus_db):
    # Leaving out drafts drops 004 (P3, restored in 60 min): [68, 70, 70] -> median 70.
    at = open_page(monkeypatch, corpus_db, "overview", drafts="0", **Q3)
    assert metric(at, "Incidents").value == "3"
    assert metric(at, "P3 incidents").value == "0"
    assert metric(at, "Median time to restore").value == "1 h 10 min"
    assert metric(at, "Detected by customers").value == "33%"
    # The payments team alone: 001 (P1) and 003 (P0) in Q3; 005 in Q2.
    at = open_page(monkeypatch, corpus_db, "overview", team="payments", **Q3)
    assert metric(at, "Incidents").value == "2"
    assert tile_words(at, "Incidents") == "too few incidents to tell (+1; n = 2 against 1)"


def test_changing_a_sidebar_filter_rewrites_the_url(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "overview", **Q3)
    at.sidebar.multiselect(key="filter_severities").set_value(["P0", "P1"]).run()
    assert metric(at, "Incidents").value == "2"
    assert at.query_params["sev"] == ["P0", "P1"]
    assert at.query_params["from"] == "2026-07-01"
    at.sidebar.checkbox(key="filter_drafts").uncheck().run()
    assert at.query_params["drafts"] == "0"


def test_overview_links_each_number_to_its_incidents(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "overview", **Q3)
    links = {
        link.proto.label: dict(parse_qsl(link.proto.query_string)) for link in at.get("page_link")
    }
    # Each link carries the view's filters, and what to show of it.
    view = {"period": "custom", "from": "2026-07-01", "to": "2026-09-30"}
    assert links["The P0 incidents"] == {**view, "show": "severity:P0"}
    assert links["The 1 found by customers"] == {**view, "show": "customer"}
    assert links["All of them"] == view


# ---------------------------------------------------------------------------------------------
# Severity trends


def test_severity_trends_stack_incidents_per_quarter(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "severity", period="all")
    counts = traces_by_name(figures(at)[0])
    assert set(counts) == {"P0", "P1", "P2", "P3"}
    assert dict(zip(counts["P1"]["x"], counts["P1"]["y"], strict=True)) == {
        "2026Q2": 1,
        "2026Q3": 1,
    }
    assert dict(zip(counts["P0"]["x"], counts["P0"]["y"], strict=True)) == {
        "2026Q2": 0,
        "2026Q3": 1,
    }
    assert counts["P0"]["marker"]["color"] == "#b2182b", "P0 keeps its colour on every page"


def test_severity_filter_and_period_switch_change_the_chart(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "severity", period="all", sev="P2")
    counts = traces_by_name(figures(at)[0])
    assert set(counts) == {"P2"}
    at.segmented_control(key="severity_period").set_value("month").run()
    counts = traces_by_name(figures(at)[0])
    # Every month from 2026-05 to 2026-08 is on the axis, even the empty ones.
    assert dict(zip(counts["P2"]["x"], counts["P2"]["y"], strict=True)) == {
        "2026-05": 1,
        "2026-06": 0,
        "2026-07": 0,
        "2026-08": 1,
    }


def test_response_times_mark_median_and_p90(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "response", period="all")
    by_quarter, response, _ = figures(at)
    assert by_quarter["layout"]["yaxis"]["type"] == "log", "durations are drawn on a log scale"
    response = traces_by_name(response)
    # By severity, time to restore: P1 = [68, 120] -> median 94, p90 68 + 0.9 * 52 = 114.8.
    medians = dict(zip(response["median"]["x"], response["median"]["y"], strict=True))
    p90s = dict(zip(response["p90"]["x"], response["p90"]["y"], strict=True))
    assert medians["P1"] == pytest.approx(94)
    assert p90s["P1"] == pytest.approx(114.8)
    assert medians["P2"] == pytest.approx(110)  # [70, 150]
    at.selectbox(key="response_clock").set_value("time_to_acknowledge").run()
    response = traces_by_name(figures(at)[1])
    # Acknowledged minus first alert: 005 20, 001 3 -> P1 median 11.5.
    assert dict(zip(response["median"]["x"], response["median"]["y"], strict=True))["P1"] == (
        pytest.approx(11.5)
    )


# ---------------------------------------------------------------------------------------------
# Detection


def test_detection_shares_and_customer_list(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "detection", period="all")
    by_quarter = traces_by_name(figures(at)[0])
    monitoring = dict(
        zip(
            by_quarter["Automated monitoring"]["x"],
            by_quarter["Automated monitoring"]["y"],
            strict=True,
        )
    )
    assert monitoring == {"2026Q3": pytest.approx(0.5)}  # 002 and 003 of Q3's four
    customer = dict(
        zip(by_quarter["Customer report"]["x"], by_quarter["Customer report"]["y"], strict=True)
    )
    assert customer == {"2026Q2": pytest.approx(0.5), "2026Q3": pytest.approx(0.25)}
    customers = tables(at, "detection_gap")[0]
    assert sorted(customers["link"]) == [
        "explorer?incident=INC-2026-04-10-005",
        "explorer?incident=INC-2026-07-14-001",
    ]
    # No fixture timeline records when the impact started, so time to detect is unknown.
    assert "impact start" in info_text(at)


def test_detection_follows_the_team_filter(monkeypatch, corpus_db):
    # The platform team: 002 (monitoring) and 004 (internal user), both in 2026Q3.
    at = open_page(monkeypatch, corpus_db, "detection", period="all", team="platform")
    shares = {name: xy(trace) for name, trace in traces_by_name(figures(at)[0]).items()}
    assert shares == {"Automated monitoring": {"2026Q3": 0.5}, "Internal user": {"2026Q3": 0.5}}
    assert "No incident in view was reported by a customer" in info_text(at)


def test_detection_gaps_are_searchable(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "detection", period="all")
    assert len(tables(at, "detection_gap")[-1]) == 6
    at.text_input(key="detection_search").input("certificate").run()
    # 005 "certificate expiry", 001 "certificate expiry dates", 003 "every certificate".
    assert len(tables(at, "detection_gap")[-1]) == 3


# ---------------------------------------------------------------------------------------------
# Action items


def test_overdue_actions_most_urgent_first(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "actions", as_of="2026-11-01", **Q3)
    tiles = {m.label: m.value for m in at.metric}
    # Q3 actions: 001 x3, 002 x2, 003 x2, 004 x1; done 001#1 and 002#1; 001#3 has no owner.
    assert tiles == {
        "Actions": "8",
        "Open": "6",
        "Overdue": "4",
        "Done": "2",
        "Won't do": "0",
        "No owner": "1",
    }
    overdue = table(at, "days_overdue")
    # P0/P1 first, then the longest overdue as of 2026-11-01: 001#2 due 09-01 (61 days),
    # 003#1 due 10-01 (31), 001#3 due 10-15 (17); then 004#1 (P3) due 10-10 (22).
    assert list(overdue["days_overdue"]) == [61, 31, 17, 22]
    assert list(overdue["link"]) == [
        f"explorer?incident=INC-2026-{i}"
        for i in ("07-14-001", "09-21-003", "07-14-001", "09-30-004")
    ]
    assert at.get("download_button"), "the overdue list can be downloaded as CSV"
    at.text_input(key="actions_owner").input("alice").run()
    assert list(table(at, "days_overdue")["days_overdue"]) == [31]


def test_as_of_date_changes_what_is_overdue(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "actions", as_of="2026-09-15", **Q3)
    # Only 001#2 (due 09-01) is past due on 2026-09-15.
    assert list(table(at, "days_overdue")["days_overdue"]) == [14]
    assert at.query_params["as_of"] == "2026-09-15"


def test_actions_missing_owner_or_due_date(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "actions", as_of="2026-11-01", **Q3)
    missing = table(at, "missing")
    # 001#3 has no owner; 002#2 is due "TBD".
    assert sorted(missing["missing"]) == ["due_date", "owner"]


# ---------------------------------------------------------------------------------------------
# Root causes


def test_recurring_certificate_cause_is_ranked_first_and_flagged(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "causes", period="all")
    ranked, timeline = figures(at)
    bars = {t["name"]: dict(zip(t["y"], t["x"], strict=True)) for t in ranked["data"]}
    # The expired-certificate incidents 005, 001, 003 share a cause. 001 came after 005's
    # done prevention action ("renew and document", postmortem last updated 2026-04-15), and
    # 003 after 001's done expiry alerting (last updated 2026-07-20): two recurrences. The
    # three other incidents each have a cause of their own.
    [(label, count)] = bars["yes"].items()
    assert "certificate" in label and count == 3
    assert sorted(bars["no"].values()) == [1, 1, 1]
    [note] = [t["text"] for t in ranked["data"] if t["name"] == "yes"]
    assert note == ["2 after a done fix"]
    # The cause picked for drilling is the top one, and its incidents are listed with links.
    members = table(at, "incident_date")
    assert sorted(members["link"]) == [
        f"explorer?incident=INC-2026-{i}" for i in ("04-10-005", "07-14-001", "09-21-003")
    ]
    # each recurrence names the earlier incident whose fix it came after, on the service both hit
    recurrences = members[members["recurred_after_fix"]].sort_values("incident_date")
    assert [(r.fixed_in_incident_id, r.fixed_service) for r in recurrences.itertuples()] == [
        ("INC-2026-04-10-005", "checkout-api"),
        ("INC-2026-07-14-001", "checkout-api"),
    ]
    assert any(
        "first 2026-04-10, last 2026-09-21" in m.value
        and "2 of them came after a done prevention action" in m.value
        for m in at.markdown
    )
    # The timeline of the chosen cause: 005 first, then the two recurrences (crosses).
    marks = {t["name"]: sorted(x[:10] for x in t["x"]) for t in timeline["data"]}
    assert marks == {
        "P1, first / before fix": ["2026-04-10"],
        "P1, after a done fix": ["2026-07-14"],
        "P0, after a done fix": ["2026-09-21"],
    }
    at.selectbox(key="causes_cluster").select_index(1).run()
    assert len(table(at, "incident_date")) == 1
    assert sum(len(t["x"]) for t in figures(at)[1]["data"]) == 1


# ---------------------------------------------------------------------------------------------
# Incident explorer


def test_explorer_search_and_open_an_incident(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "explorer", period="all")
    assert len(table(at, "completeness")) == 6
    at.text_input(key="explorer_q").input("certificate").run()
    found = table(at, "completeness")
    assert sorted(found["incident_id"]) == [
        "INC-2026-04-10-005",
        "INC-2026-07-14-001",
        "INC-2026-09-21-003",
    ]
    assert at.query_params["q"] == "certificate"
    at.selectbox(key="explorer_pick").set_value("INC-2026-09-21-003").run()
    assert at.query_params["incident"] == "INC-2026-09-21-003"
    assert "Checkout down" in at.title[0].value
    timeline = traces_by_name(figures(at)[0])
    # Six events, the last three after midnight (2026-09-22).
    [trace] = timeline.values()
    assert len(trace["x"]) == 6 and trace["x"][-1].startswith("2026-09-22T01:10")
    assert len(table(at, "description")) == 2  # its two action items
    assert metric(at, "Severity").value == "P0"
    assert any("Source document" == s.value for s in at.subheader)
    # Its Related Incidents section names 001, a loaded incident: a link to its page.
    assert list(table(at, "reference")["link"]) == ["explorer?incident=INC-2026-07-14-001"]
    assert "INC-2026-09-21-003" in at.code[0].value, "the source is shown as text"
    # Its cause came back after 001's done fix, on the service both hit.
    assert any(
        "recurred on checkout-api after the fix done in INC-2026-07-14-001"
        in m.value.replace("\\", "")
        for m in at.markdown
    )


def test_explorer_shows_the_incidents_behind_a_number(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "explorer", show="severity:P2", period="all")
    assert sorted(table(at, "completeness")["incident_id"]) == [
        "INC-2026-05-20-006",
        "INC-2026-08-03-002",
    ]
    at = open_page(monkeypatch, corpus_db, "explorer", show="customer", **Q3)
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-07-14-001"]
    at.button(key="explorer_clear_show").click().run()
    assert len(table(at, "completeness")) == 4


def test_explorer_narrows_to_a_bar_of_the_severity_chart(monkeypatch, corpus_db):
    # A bar of "Incidents per quarter" links to show=severity:<sev>@<period>.
    at = open_page(monkeypatch, corpus_db, "explorer", show="severity:P2@2026Q3", period="all")
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-08-03-002"]
    assert "P2 incidents of 2026Q3" in info_text(at)
    at = open_page(monkeypatch, corpus_db, "explorer", show="severity:P2@2026-05", period="all")
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-05-20-006"]
    # Inside the sidebar's period only: Q3 asked, Q2 in view -> nothing.
    at = open_page(monkeypatch, corpus_db, "explorer", show="severity:P2@2026Q2", **Q3)
    assert "No incident matches" in info_text(at)


def test_explorer_notes_a_source_file_changed_since_ingest(monkeypatch, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    source = corpus / "INC-2026-08-03-002.md"
    # Saved on Windows: CRLF line endings and a byte-order mark.
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes().replace(b"\n", b"\r\n"))
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, full=True, workers=1)
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-08-03-002", period="all")
    assert not at.warning, "an unchanged file is not reported as changed"
    assert at.code[0].value.startswith("---\r\nteam: platform"), "shown as written, BOM aside"
    source.write_bytes(source.read_bytes() + b"Edited after the load.\r\n")
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-08-03-002", period="all")
    assert any("changed since it was loaded" in w.value for w in at.warning)
    source.unlink()
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-08-03-002", period="all")
    assert "cannot be read any more" in info_text(at)


def test_explorer_unknown_incident_is_an_empty_state(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "explorer", incident="INC-0000", period="all")
    assert "No incident INC\\-0000 is loaded" in info_text(at)


# ---------------------------------------------------------------------------------------------
# Postmortem text is shown as text


def test_hostile_text_is_escaped_on_the_incident_page(monkeypatch, tmp_path):
    db = tmp_path / "xss.duckdb"
    ingest([XSS], db, full=True, workers=1)
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-08-15-666", period="all")
    title = at.title[0].value
    # Every '<' of the title is backslash-escaped, so Markdown shows it instead of reading a tag.
    assert "<script>" in title.replace("\\", "") and "\\<script\\>" in title
    rendered = at.get("html")[0].proto.body
    assert "<script" not in rendered and "<img" not in rendered and "<svg" not in rendered
    assert "<iframe" not in rendered and "<div" not in rendered and "<a href" not in rendered
    assert "&lt;script&gt;" in rendered, "tags come out as text"
    for markdown in at.markdown:
        assert "<" not in markdown.value.replace("\\<", ""), markdown.value


# ---------------------------------------------------------------------------------------------
# Empty states and a new load


def test_filters_matching_nothing_show_an_empty_state_on_every_page(monkeypatch, corpus_db):
    for page in PAGES:
        at = open_page(
            monkeypatch,
            corpus_db,
            page,
            period="custom",
            **{"from": "2020-01-01", "to": "2020-03-31"},
        )
        assert not at.get("plotly_chart"), page
        assert at.info, f"{page} explains why it is empty"


def test_empty_database_explains_what_to_run(monkeypatch, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "empty.duckdb"
    ingest([empty], db, full=True, workers=1)
    for page in PAGES:
        at = open_page(monkeypatch, db, page)
        assert "No postmortems are loaded yet" in info_text(at)
        assert "postmortems ingest" in info_text(at)


def test_missing_or_broken_database_is_a_friendly_message(monkeypatch, tmp_path):
    at = open_page(monkeypatch, tmp_path / "nowhere.duckdb", "overview")
    assert "cannot read its database" in info_text(at)
    assert "postmortems ingest" in info_text(at)
    broken = tmp_path / "broken.duckdb"
    broken.write_text("not a database", encoding="utf-8")
    at = open_page(monkeypatch, broken, "explorer")
    assert "not a readable DuckDB database" in info_text(at)


def test_new_ingest_is_shown_without_restart(monkeypatch, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "INC-2026-09-21-003.md").unlink()
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, full=True, workers=1)
    at = open_page(monkeypatch, db, "overview", **Q3)
    assert metric(at, "P0 incidents").value == "0"
    shutil.copy(CORPUS / "INC-2026-09-21-003.md", corpus)
    ingest([corpus], db, workers=1)  # writes a new file and renames it over the old one
    at.run()  # the same session, as a browser would rerun
    assert metric(at, "P0 incidents").value == "1"
    assert metric(at, "Incidents").value == "4"


# ---------------------------------------------------------------------------------------------
# What users type reaches SQL only as values


def test_quotes_and_sql_in_the_url_and_search_are_just_text(monkeypatch, corpus_db):
    # A team that does not exist (whatever it says) is dropped from the filter, not queried.
    at = open_page(monkeypatch, corpus_db, "overview", team="payments' OR '1'='1", **Q3)
    assert metric(at, "Incidents").value == "4"
    assert "team" not in at.query_params
    at = open_page(monkeypatch, corpus_db, "explorer", period="all")
    for text in ("'; DROP TABLE incidents; --", "\\", "' OR 1=1 --"):
        at.text_input(key="explorer_q").input(text).run()
        assert not at.exception
        assert "No incident matches" in info_text(at), text
    # As LIKE patterns '%' and '_' would match every incident; the search is a literal
    # substring: only 002 has a '%' in searched text (its detection gap: "alert at 80%"),
    # only 006 an '_' (what happened: "the column discount_code").
    at.text_input(key="explorer_q").input("%").run()
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-08-03-002"]
    at.text_input(key="explorer_q").input("_").run()
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-05-20-006"]
    at.text_input(key="explorer_q").input("payments-db").run()
    assert list(table(at, "completeness")["incident_id"]) == ["INC-2026-07-14-001"]


def test_views_slice_inside_the_cache_and_say_when_rows_were_cut(monkeypatch, corpus_db):
    from dashboard import data
    from pipeline import analytics
    from pipeline.analytics import Filters

    monkeypatch.setenv("POSTMORTEMS_DB", str(corpus_db))
    # incidents() takes a limit: asked for 2 of 6, the view knows only that there are more.
    rows, total = data.view(analytics.incidents, Filters(), columns=["incident_id"], head=2)
    assert list(rows["incident_id"]) == ["INC-2026-09-30-004", "INC-2026-09-21-003"]
    assert total is None
    rows, total = data.view(analytics.incidents, Filters(), columns=["incident_id"], head=10)
    assert (len(rows), total) == (6, 6)
    # response_time_values takes the metric as a parameter: SQL picks the rows.
    rows, total = data.view(analytics.response_time_values, Filters(), where={"metric": "duration"})
    assert set(rows["metric"]) == {"duration"} and total == len(rows) == 6


def test_page_timings_cover_every_page(corpus_db):
    from dashboard.timing import bench_entries, page_timings

    timings = page_timings(corpus_db)
    assert set(timings) == {*PAGES, "explorer_incident"}
    assert all(seconds > 0 for seconds in timings.values())
    names = [name for name, _ in bench_entries()]
    assert names == [f"dashboard {page}" for page in timings]


def test_sidebar_says_when_the_data_was_loaded(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "overview", period="all")
    [stamp] = [c.value for c in at.sidebar.caption if c.value.startswith("Data loaded")]
    assert re.fullmatch(r"Data loaded \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", stamp)
