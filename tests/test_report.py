"""postmortems report: run for real on a database ingested from template postmortems.

The corpus (built below) has two incidents in 2026Q2 and four in 2026Q3, so the figures can be
worked out by hand; the main check is that the report's headline equals what `postmortems
stats` prints for the same period and day, both CLIs run as subprocesses on the same file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import template_postmortem, write_corpus

POSTMORTEMS = [sys.executable, "-m", "pipeline"]
XSS_TITLE = '<img src="https://evil.example/x.png" onerror="alert(1)">'
PIPE_TITLE = "Search | results empty"


def timeline(alert: str, restored: str) -> list[tuple[str, str]]:
    return [(alert, "First alert triggered"), (restored, "Service restored")]


def corpus_documents() -> dict[str, str]:
    def doc(incident_id, date, severity, alert, restored, **kw):
        return template_postmortem(
            incident_id, date=date, severity=severity, timeline=timeline(alert, restored), **kw
        )

    actions_open = [("1", "Add an expiry alert", "alice", "2026-08-01", "[ ] TODO")]
    actions_done = [("1", "Rotate the key", "bob", "2026-07-20", "[x] DONE")]
    return {
        # 2026Q2: the previous quarter
        "q2/a.md": doc(
            "INC-2026-04-10-001", "2026-04-10", "P2", "09:00", "09:45", actions=actions_done
        ),
        "q2/b.md": doc(
            "INC-2026-05-10-002", "2026-05-10", "P3", "09:00", "10:15", actions=actions_done
        ),
        # 2026Q3: restore times 30, 60, 65 and 120 minutes
        "q3/c.md": doc(
            "INC-2026-07-02-003",
            "2026-07-02",
            "P0",
            "10:00",
            "10:30",
            title=XSS_TITLE,
            detection=("Customer report",),
            actions=actions_open,
        ),
        "q3/d.md": doc(
            "INC-2026-08-03-004",
            "2026-08-03",
            "P1",
            "10:00",
            "11:00",
            title=PIPE_TITLE,
            actions=actions_done,
        ),
        "q3/e.md": doc(
            "INC-2026-08-20-005", "2026-08-20", "P1", "14:02", "15:07", actions=actions_open
        ),
        "q3/f.md": doc(
            "INC-2026-09-15-006",
            "2026-09-15",
            "P2",
            "10:00",
            "12:00",
            status="DRAFT",
            actions=actions_done,
        ),
    }


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*POSTMORTEMS, *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    write_corpus(folder / "postmortems", corpus_documents())
    db_path = folder / "pm.duckdb"
    result = cli("ingest", str(folder / "postmortems"), "--db", str(db_path), "--quiet")
    assert result.returncode == 0, result.stderr
    return db_path


@pytest.fixture(scope="module")
def html_report(db) -> Path:
    out = db.parent / "review-2026Q3.html"
    result = cli(
        "report", "--quarter", "2026Q3", "--db", str(db), "--out", str(out), "--as-of", "2026-09-30"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}")
    return out


class Headline(HTMLParser):
    """Reads the headline table's data-value cells: {key: (this quarter, previous quarter)}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list] = {}
        self.key: str | None = None
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action", "poster", "data"):
            if attrs.get(name):
                self.urls.append((tag, name, attrs[name]))
        if tag == "tr" and "data-key" in attrs:
            self.key = attrs["data-key"]
            self.rows[self.key] = []
        elif tag == "td" and self.key and "data-value" in attrs:
            self.rows[self.key].append(json.loads(attrs["data-value"]))

    def handle_endtag(self, tag):
        if tag == "tr":
            self.key = None


def read_headline(path: Path) -> Headline:
    parser = Headline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def stats(db: Path, since: str, until: str, as_of: str) -> dict:
    result = cli(
        "stats",
        "--db",
        str(db),
        "--since",
        since,
        "--until",
        until,
        "--as-of",
        as_of,
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


FIGURES = (
    "incidents",
    "p0_p1_share",
    "ttr_median",
    "ttr_p90",
    "customer_detected",
    "customer_detected_share",
    "open_actions",
    "overdue_actions",
    "done_actions",
)


def test_headline_equals_postmortems_stats_for_the_same_quarter(db, html_report):
    headline = read_headline(html_report).rows
    now = stats(db, "2026-07-01", "2026-09-30", "2026-09-30")
    before = stats(db, "2026-04-01", "2026-06-30", "2026-06-30")
    for key in FIGURES:
        assert headline[key] == [now[key], before[key]], key
    for severity in ("P0", "P1", "P2", "P3"):
        assert headline[f"by_severity.{severity}"] == [
            now["by_severity"][severity],
            before["by_severity"][severity],
        ]


def test_headline_figures_worked_out_by_hand(html_report):
    headline = read_headline(html_report).rows
    assert headline["incidents"] == [4, 2]
    assert headline["p0_p1_share"] == [0.75, 0.0]
    # restore times 30, 60, 65, 120: median (60 + 65) / 2; p90 at rank 0.9 * 3 = 2.7,
    # 65 + 0.7 * (120 - 65) = 103.5. Previous quarter: 45 and 75 -> 60 and 45 + 0.9 * 30 = 72.
    assert headline["ttr_median"] == [62.5, 60.0]
    assert headline["ttr_p90"] == pytest.approx([103.5, 72.0])
    assert headline["customer_detected"] == [1, 0]
    # open actions due 2026-08-01 in c and e: overdue on 2026-09-30
    assert headline["open_actions"] == [2, 0]
    assert headline["overdue_actions"] == [2, 0]
    assert headline["done_actions"] == [2, 2]


def test_html_holds_every_section_and_the_quarters_incidents(html_report):
    text = html_report.read_text(encoding="utf-8")
    for heading in (
        "Headline",
        "Severity trend",
        "Time to restore",
        "Detection",
        "Detected by customers",
        "Action items",
        "Recurring causes",
        "Incidents (4)",
    ):
        assert f">{heading}" in text, heading
    for incident in (
        "INC-2026-07-02-003",
        "INC-2026-08-03-004",
        "INC-2026-08-20-005",
        "INC-2026-09-15-006",
    ):
        assert incident in text
    assert "INC-2026-04-10-001" not in text.split('id="incidents"')[1]
    assert "Checkout requests failed for an hour because a certificate expired." in text


def test_done_actions_listed_are_those_the_headline_counts(html_report):
    # d and f (2026Q3, both last updated in the quarter) each have one done action; the list
    # holds them whether it comes from analytics.closed_actions or from the incidents' actions.
    text = html_report.read_text(encoding="utf-8")
    match = re.search(
        r"<h3>(?:Closed this quarter|Done actions of this quarter's incidents) \((\d+)\)</h3>(.*?)<h2",
        text,
        re.DOTALL,
    )
    assert match, "no closed-actions section"
    assert int(match.group(1)) == read_headline(html_report).rows["done_actions"][0] == 2
    assert match.group(2).count("Rotate the key") == 2
    assert "INC-2026-08-03-004" in match.group(2) and "INC-2026-09-15-006" in match.group(2)


def test_postmortem_text_is_escaped_and_nothing_points_outside_the_file(html_report):
    text = html_report.read_text(encoding="utf-8")
    assert XSS_TITLE not in text
    assert "&lt;img src=&#34;https://evil.example/x.png&#34; onerror=&#34;alert(1)&#34;&gt;" in text
    parser = read_headline(html_report)
    external = [u for u in parser.urls if u[2].lower().startswith(("http:", "https:", "//"))]
    assert external == []
    assert "<link" not in text and "@import" not in text and "@font-face" not in text


def test_markdown_variant(db, tmp_path):
    out = tmp_path / "review.md"
    result = cli(
        "report",
        "--quarter",
        "2026q3",
        "--db",
        str(db),
        "--out",
        str(out),
        "--format",
        "md",
        "--as-of",
        "2026-09-30",
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Incident review 2026Q3\n")
    assert "| Incidents | 4 | 2 |" in text
    assert "| Median time to restore | 1 h 02 min | 1 h 00 min |" in text
    # severity trend: quarter x severity, worked out from the corpus above
    assert "| Quarter | P0 | P1 | P2 | P3 |\n|---|---:|---:|---:|---:|\n" in text
    assert "| 2026Q2 | 0 | 0 | 1 | 1 |\n| 2026Q3 | 1 | 2 | 1 | 0 |\n" in text
    # A pipe in a title must not split the table row; HTML must not reach the wiki as HTML.
    assert "Search \\| results empty" in text
    assert XSS_TITLE not in text and "&lt;img src=" in text


def test_bad_options_are_one_line_and_exit_2(db, tmp_path):
    for args, message in [
        (
            ("--quarter", "2026Q5"),
            "error: --quarter '2026Q5' is not a quarter; expected e.g. 2026Q3",
        ),
        (
            ("--quarter", "2026Q3", "--format", "pdf"),
            "error: --format 'pdf' is not one of: html, md",
        ),
        (
            ("--quarter", "2026Q3", "--db", str(tmp_path / "none.duckdb")),
            f"error: {tmp_path / 'none.duckdb'}: no such database; run: postmortems ingest PATH --db {tmp_path / 'none.duckdb'}",
        ),
    ]:
        result = cli("report", *args, "--out", str(tmp_path / "r.html"))
        assert result.returncode == 2, args
        assert result.stderr.strip() == message
    assert not (tmp_path / "r.html").exists()


def test_default_output_name(db, tmp_path):
    result = cli("report", "--quarter", "2026Q3", "--db", str(db), "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "incident-review-2026Q3.md").is_file()


# ---------------------------------------------------------------------------------------------
# The real browser: the file opens offline, renders its charts, asks the network for nothing.


LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.mark.browser
def test_report_opens_offline_in_chromium_with_charts_and_no_request(html_report):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian chromium not installed (make browser)")
    requests: list[str] = []
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html_report.as_uri(), wait_until="load")
            # plotly draws each chart into an SVG inside its div once the data is laid out
            page.wait_for_function(
                "[...document.querySelectorAll('.js-plotly-plot')]"
                ".filter((chart) => chart.querySelector('.main-svg')).length >= 4"
            )
            charts = page.locator(".js-plotly-plot").count()
            bars = page.locator(".js-plotly-plot .bars .point").count()
            boxes = page.locator(".js-plotly-plot .boxes .box").count()
            title = page.title()
        finally:
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
    assert requests[0] == html_report.as_uri()
    assert title == "Incident review 2026Q3"
    assert charts == 4  # severity trend, restore by quarter, severity against duration, detection
    assert bars > 0 and boxes > 0


def test_headline_says_what_each_change_may_be_called(html_report):
    text = html_report.read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr data-key="([^"]+)">.*?<td class="change">([^<]*)</td>', text))
    # 4 incidents against 2: every estimate's change is too few to tell, with the difference
    assert rows["incidents"] == "too few incidents to tell (+2; n = 4 against 2)"
    assert rows["ttr_median"] == "too few incidents to tell (+2 min; n = 4 against 2)"
    assert rows["p0_p1_share"].startswith("too few incidents to tell (+75 pts;")
    assert rows["open_actions"] == "", "action counts are records, not estimates"
    assert rows["by_severity.P1"].startswith("too few incidents to tell (+2;")


def test_report_shows_distributions_follow_through_hygiene_and_near_misses(html_report):
    text = html_report.read_text(encoding="utf-8")
    for heading in (
        "Severity against duration",
        "Follow-through",
        "Days from the incident to FINAL",
        "Drafts older than 30 days on 2026-09-30 (0)",
        "Where we got lucky (4)",
    ):
        assert f">{heading}" in text, heading
    # every q3 postmortem records one near miss: the template's "It happened on a quiet day."
    lucky = text.split('id="near-misses"')[1].split("<h2")[0]
    assert lucky.count("It happened on a quiet day.") == 4
    # restore by quarter with the median's interval: q2 45 and 75 (n = 2), q3 30..120 (n = 4)
    restore = text.split('id="restore"')[1].split("<h3")[0]
    assert '<td>2026Q3</td><td class="num">4</td>' in restore
    assert '<td>2026Q2</td><td class="num">2</td>' in restore


def test_report_without_a_quarter_reviews_the_last_complete_one_with_incidents(db, tmp_path):
    result = cli("report", "--db", str(db), "--format", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # the corpus ends in 2026Q3, long complete by the time this runs
    assert result.stdout.strip().endswith(": 2026Q3, the last complete quarter with incidents")
    text = (tmp_path / "incident-review-2026Q3.md").read_text(encoding="utf-8")
    assert text.startswith("# Incident review 2026Q3\n")
    assert "| Incidents | 4 | 2 |" in text


def test_a_quarter_without_incidents_still_gives_a_report(db, tmp_path):
    out = tmp_path / "empty.html"
    result = cli("report", "--quarter", "2025Q1", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    headline = read_headline(out).rows
    assert headline["incidents"] == [0, 0]
    assert headline["ttr_median"] == [None, None]
    text = out.read_text(encoding="utf-8")
    assert "No incidents this quarter." in text
    assert "Plotly" not in text  # no chart, so no plotly.js either


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_report_of_real_postmortems_written_by_other_teams(wild_corpus, tmp_path, fmt):
    """Real documents leave dates, times and owners missing; the report shows a dash."""
    from pipeline.ingest import ingest

    db = tmp_path / "wild.duckdb"
    summary = ingest([wild_corpus], db, full=True, workers=1)
    assert summary.loaded == len(list(wild_corpus.glob("*.md")))
    out = tmp_path / f"wild.{fmt}"
    for quarter in ([], ["--quarter", "2021Q4"], ["--quarter", "2025Q3"]):
        result = cli("report", "--db", str(db), "--format", fmt, "--out", str(out), *quarter)
        assert result.returncode == 0, (quarter, result.stderr)
        text = re.sub(r"<script.*?</script>", "", out.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert "Incident review" in text
        assert not re.search(r"\bNaT\b|\bnan\b", text), quarter
        assert not re.search(r"<td[^>]*>\s*None\s*</td>|\|\s*None\s*\|", text), quarter
        assert " (): " not in text, quarter  # a near miss without a severity: no empty brackets
    # No real document names a service: whether a cause recurred after a fix can't be told
    assert "can't tell" in text, "the 2025Q3 causes"
