"""The dashboard as a quarterly review, run by Streamlit's AppTest over databases made by the real
ingest: the first view of an old corpus has data, a change gets an arrow only when the data can
tell it from chance, distributions carry their n, follow-through and hygiene are shown, and no
"None" reaches the screen.

Corpora are written here with conftest.template_postmortem, so each figure is known by
construction; the six fixture postmortems of tests/test_dashboard.py serve the rest.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import template_postmortem, write_corpus
from dashboard_pages import PAGES, metric, open_page, tile_words
from streamlit.testing.v1 import AppTest

from pipeline.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "dashboard" / "corpus"
UNTITLED = "INC-2026-08-20-777"


def layouts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]


def restored_after(minutes: int) -> list[tuple[str, str]]:
    hours, mins = divmod(10 * 60 + minutes, 60)
    return [("10:00", "First alert triggered"), (f"{hours:02d}:{mins:02d}", "Service restored")]


# ---------------------------------------------------------------------------------------------
# The first view has data


@pytest.fixture(scope="module")
def old_db(tmp_path_factory) -> Path:
    # Four incidents in 2021Q4 and three in 2022Q1, years before any "last quarter".
    days = ["2021-10-05", "2021-11-09", "2021-11-30", "2021-12-14", "2022-01-11", "2022-02-08"]
    days.append("2022-03-22")
    documents = {
        f"{day}.md": template_postmortem(f"INC-{day}-001", date=day, severity="P2") for day in days
    }
    folder = tmp_path_factory.mktemp("old")
    write_corpus(folder / "postmortems", documents)
    ingest([folder / "postmortems"], folder / "pm.duckdb", workers=1)
    return folder / "pm.duckdb"


def test_the_default_view_of_an_old_corpus_shows_its_last_quarter(monkeypatch, old_db):
    at = open_page(monkeypatch, old_db, "overview")  # no period in the URL: the default
    assert at.query_params["period"] == "latest"
    assert "2022Q1, the last complete quarter with incidents, against 2021Q4" in at.caption[0].value
    assert metric(at, "Incidents").value == "3"
    assert not [i for i in at.info if "No incidents" in i.value]
    assert "Showing 2022Q1, the last complete quarter with incidents" in [
        c.value for c in at.sidebar.caption
    ]
    # every page opens on data, not on an empty state
    for page in ("severity", "response", "explorer"):
        at = open_page(monkeypatch, old_db, page)
        assert not [i for i in at.info if "match the filters" in i.value], page


# ---------------------------------------------------------------------------------------------
# An arrow only for a change the data can tell from chance


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    # 25 incidents a quarter. 2025Q1: restored after 120 min; 2025Q2: after 30 min (a real
    # drop of 90 min). P1 in both: 5 then 5; customers found 10 of 25, then 2 of 25.
    documents = {}
    for quarter, month, minutes, customers in (("q1", 2, 120, 10), ("q2", 5, 30, 2)):
        for n in range(25):
            day = f"2025-{month:02d}-{n + 1:02d}"
            documents[f"{quarter}/{n}.md"] = template_postmortem(
                f"INC-{day}-{n:03d}",
                date=day,
                severity="P1" if n < 5 else "P3",
                timeline=restored_after(minutes),
                detection=("Customer report",) if n < customers else ("Automated monitoring",),
            )
    folder = tmp_path_factory.mktemp("large")
    write_corpus(folder / "postmortems", documents)
    ingest([folder / "postmortems"], folder / "pm.duckdb", workers=1)
    return folder / "pm.duckdb"


def test_a_detectable_change_gets_an_arrow_and_an_undetectable_one_words(monkeypatch, large_db):
    at = open_page(
        monkeypatch,
        large_db,
        "overview",
        period="custom",
        **{"from": "2025-04-01"},
        to="2025-06-30",
    )
    ttr = metric(at, "Median time to restore")
    # Every restore took 120 min before and 30 min after: the interval is the difference.
    assert (ttr.value, ttr.delta) == ("30 min", "-90 min")
    assert tile_words(at, "Median time to restore") == "95% CI -90 min to -90 min"
    # Customers: 10 of 25 then 2 of 25: -32 pts, Newcombe interval clear of zero.
    customers = metric(at, "Detected by customers")
    assert (customers.value, customers.delta) == ("8%", "-32 pts")
    # 25 incidents against 25, P1 5 against 5: nothing changed, and the tile says so.
    assert metric(at, "Incidents").delta == ""
    assert tile_words(at, "Incidents").startswith("no detectable change (0; 95% CI -")
    assert tile_words(at, "P1 incidents").startswith("no detectable change (0;")


# ---------------------------------------------------------------------------------------------
# The review's pages


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    """The six dashboard fixtures, plus one postmortem without a title, team or severity."""
    folder = tmp_path_factory.mktemp("review")
    shutil.copytree(CORPUS, folder / "postmortems")
    untitled = template_postmortem(UNTITLED, date="2026-08-20", severity="unknown")
    untitled = untitled.replace("# Incident Postmortem: Checkout API returned 503s\n", "").replace(
        "Checkout requests failed for an hour because a certificate expired.",
        "Search went dark for ten minutes. Nobody was paged.",
    )
    (folder / "postmortems" / "untitled.md").write_text(untitled, encoding="utf-8")
    summary = ingest([folder / "postmortems"], folder / "pm.duckdb", full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (7, 0), summary
    return folder / "pm.duckdb"


def test_response_page_draws_each_clock_as_a_distribution_with_n(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "response", period="all")
    by_quarter, by_severity, durations = layouts(at)
    # Time to restore: 005 and 006 in 2026Q2; 001-004 and the untitled one in 2026Q3.
    assert by_quarter["xaxis"]["ticktext"] == ["2026Q2<br>n=2", "2026Q3<br>n=5"]
    # the untitled incident has no severity: it is counted as 'unknown', not dropped
    assert by_severity["xaxis"]["ticktext"][-1] == "unknown<br>n=1"
    assert by_quarter["yaxis"]["type"] == "log"
    assert durations["title"]["text"].startswith("Severity against duration")
    at.selectbox(key="response_clock").set_value("time_to_detect").run()
    assert "No incident in view has a time to detect" in " ".join(i.value for i in at.info)


def test_action_items_page_shows_follow_through(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "actions", as_of="2026-11-01", period="all")
    titles = [layout["title"]["text"] for layout in layouts(at)]
    assert any(t.startswith("Age of open actions by severity") for t in titles)
    assert any(t.startswith("Actions done, by category and quarter") for t in titles)
    final_open = [d.value for d in at.dataframe if "open_actions" in d.value.columns]
    # FINAL postmortems with actions open on 2026-11-01: 001 (2), 002 (1), 003 (2), and the
    # untitled one's #2 (TODO); 004 is a draft.
    assert sorted(final_open[0]["open_actions"]) == [1, 1, 2, 2]


def test_postmortems_page_lists_stale_drafts_with_owners_and_near_misses(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "postmortems", period="all")
    stale = next(d.value for d in at.dataframe if "owners" in d.value.columns)
    # The one draft, 004 (2026-09-30, by Bob Example), is months old by now.
    assert list(stale["owners"]) == ["Bob Example"]
    lucky = next(d.value for d in at.dataframe if "text" in d.value.columns)
    assert "It was at night." in list(lucky["text"])
    assert len(lucky) == 7  # one near miss in each postmortem
    at.number_input(key="postmortems_stale_days").set_value(100_000).run()
    assert "No draft is more than 100000 days old." in " ".join(i.value for i in at.info)


# ---------------------------------------------------------------------------------------------
# No "None" on screen


def _texts(at: AppTest) -> list[str]:
    texts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption")
        for e in at.get(kind)
    ]
    texts += [e.value for kind in ("info", "warning", "error", "success") for e in at.get(kind)]
    for m in at.metric:
        texts += [m.label, m.value, m.delta or ""]
    return texts


@pytest.mark.parametrize("page", list(PAGES))
def test_no_none_on_any_page(monkeypatch, corpus_db, page):
    at = open_page(monkeypatch, corpus_db, page, period="all")
    shown = [t for t in _texts(at) if re.search(r"\bNone\b|\bnan\b|\bNaN\b", str(t))]
    assert shown == []
    # Tables leave a missing value's cell empty (Streamlit writes "None" otherwise).
    assert at.dataframe, page
    assert {d.proto.placeholder for d in at.dataframe} == {""}


def test_an_untitled_incident_shows_its_id_and_first_sentence(monkeypatch, corpus_db):
    at = open_page(monkeypatch, corpus_db, "explorer", incident=UNTITLED, period="all")
    assert at.title[0].value == "INC\\-2026\\-08\\-20\\-777: Search went dark for ten minutes\\."
    at = open_page(monkeypatch, corpus_db, "explorer", period="all")
    listed = next(d.value for d in at.dataframe if "completeness" in d.value.columns)
    assert listed.set_index("incident_id").loc[UNTITLED, "title"] == (
        "Search went dark for ten minutes."
    )


def test_the_note_on_cut_documents_appears_only_for_a_cut_document(monkeypatch, tmp_path):
    corpus = tmp_path / "postmortems"
    long_text = template_postmortem("INC-2026-07-01-900", date="2026-07-01").replace(
        "## Executive Summary\n", "## Executive Summary\n" + "A very long story. " * 17_000 + "\n"
    )
    write_corpus(corpus, {"long.md": long_text, "short.md": template_postmortem(date="2026-07-02")})
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-03-14-001", period="all")
    notes = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert not [n for n in notes if "are shown" in n or "cut for display" in n]
    assert at.title[0].value.startswith("INC\\-2026\\-03\\-14\\-001"), "the page title comes first"
    at = open_page(monkeypatch, db, "explorer", incident="INC-2026-07-01-900", period="all")
    assert [c.value for c in at.caption if "the first 300,000 are shown" in c.value]
