"""The dashboard in a real headless Chromium: every page renders its charts without an error,
and nothing typed into a postmortem runs as script.

The app is started the way users start it (`postmortems dashboard --db FILE --port N`) on a free
localhost port, over the fixture postmortems plus one hostile document
(tests/fixtures/dashboard/xss) whose title, summary, timeline, actions, whys and free text carry
<script>, <img onerror>, <svg onload>, javascript: links (plain, mixed case, entity-encoded,
autolinks, reference links, images) and Markdown-embedded HTML. Each payload would assign
`window.xssmark`; a trap installed before any page script records every assignment.
Screenshots of every page go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from conftest import running_dashboard

from pipeline.ingest import ingest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "dashboard"
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
XSS_ID = "INC-2026-08-15-666"
# url path -> (screenshot name, plotly charts the page draws over the fixtures, all time)
PAGES = {
    "": ("overview", 2),
    "severity": ("severity", 1),
    "response": ("response", 3),
    "detection": ("detection", 2),
    "actions": ("actions", 3),
    "postmortems": ("postmortems", 1),
    "causes": ("causes", 2),
    "explorer": ("explorer", 0),
    f"explorer?incident={XSS_ID}": ("explorer-incident-xss", 1),
    "explorer?incident=INC-2026-09-21-003": ("explorer-incident", 1),
}
# Runs before any page script: records every attempt to set the marker, and any dialog.
TRAP = """
window.__xss_hits = [];
Object.defineProperty(window, 'xssmark', {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__xss_hits.push(String(value)); },
});
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (m) => window.__xss_hits.push(name + ':' + m);
}
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed; run `make browser`")
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "postmortems.duckdb"
    corpus = folder / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    shutil.copytree(FIXTURES / "xss", corpus / "xss")
    summary = ingest([corpus], db, full=True, workers=1)
    assert (summary.loaded, summary.rejected) == (7, 0), summary
    with running_dashboard(db, folder / "streamlit.log", timeout=60) as url:
        yield url, corpus, db


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    context.add_init_script(TRAP)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def _script_ran(page) -> list[str]:
    """Every marker assignment or dialog call recorded, in the page and in any frame in it."""
    hits: list[str] = []
    for frame in page.frames:
        hits += frame.evaluate("window.__xss_hits || []")
    return hits + page.dialogs


# Plotly gives each chart several svg.main-svg layers, so counting layers would count a chart
# twice: count the charts that have drawn theirs.
DRAWN_CHARTS = """(expected) => [...document.querySelectorAll('.js-plotly-plot')]
    .filter((chart) => chart.querySelector('.main-svg')).length >= expected"""


def _settled(page, title: str | None = None) -> None:
    """Wait until the app's script run ended with a title on the page (`title` in it, when
    given): a click while a run is still going would race it."""
    page.wait_for_function(
        "title => document.querySelector('[data-testid=stApp]')?.getAttribute("
        "'data-test-script-state') === 'notRunning' && [...document.querySelectorAll('h1')]"
        ".some(h => title === null || h.textContent.includes(title))",
        arg=title,
        timeout=30_000,
    )


def _open(page, url: str, charts: int) -> None:
    """Load a page and wait until the script run ended and its charts are drawn."""
    page.goto(url)
    _settled(page)
    if charts:
        page.wait_for_function(DRAWN_CHARTS, arg=charts, timeout=30_000)


def _screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("path", list(PAGES), ids=[name for name, _ in PAGES.values()])
def test_page_renders_charts_without_error(app_url, page, path):
    app_url, _, _ = app_url
    name, charts = PAGES[path]
    separator = "&" if "?" in path else "?"
    _open(page, f"{app_url}/{path}{separator}period=all", charts)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator(".js-plotly-plot").count() == charts
    assert _script_ran(page) == [], "no postmortem text ran as script"
    _screenshot(page, name)


def test_hostile_postmortem_runs_no_script(app_url, page):
    app_url, _, _ = app_url
    _open(page, f"{app_url}/explorer?incident={XSS_ID}&period=all", 1)
    page.get_by_role("tab", name="Rendered").click()
    page.wait_for_timeout(500)  # let any load-time handler (onerror, onload) fire
    assert _script_ran(page) == []
    title = page.locator("h1").first.inner_text()
    # The payloads are on the page, as text.
    assert "<script>" in title and "onerror=" in title
    assert page.title() != "XSS"
    # The rendered document: tags escaped to text, no element the payloads asked for.
    rendered = page.locator("[data-testid=stHtml]").first
    assert "<img src=x onerror=" in rendered.inner_text()
    for tag in ("script", "img", "svg", "iframe", "object", "details", "marquee", "style"):
        assert rendered.locator(tag).count() == 0, tag
    # No link anywhere on the page leads to script; hover and click what could carry a handler.
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [
        h for h in hrefs if h.strip().lower().startswith(("javascript:", "vbscript:", "data:"))
    ]
    for anchor in rendered.locator("a").all():
        anchor.click()
    for text in ("cover", "raw anchor", "hover"):
        for match in page.get_by_text(text).all()[:3]:
            if match.is_visible():
                match.hover(timeout=5_000)
    page.get_by_role("tab", name="Markdown source").click()
    assert "window.xssmark" in page.locator("[data-testid=stCode]").first.inner_text()
    page.wait_for_timeout(500)  # let any handler the clicks and hovers triggered run
    assert _script_ran(page) == []
    assert page.title() != "XSS"
    _screenshot(page, "explorer-incident-xss-rendered")


def test_filters_follow_the_user_and_numbers_lead_to_their_incidents(app_url, page):
    app_url, _, _ = app_url
    query = "period=custom&from=2026-07-01&to=2026-09-30&sev=P0&sev=P1"
    _open(page, f"{app_url}/?{query}", 2)
    page.get_by_role("link", name="Severity trends").click()
    page.wait_for_url(f"**/severity?{query}")
    _open(page, page.url, 1)  # a pasted link reproduces the view
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(f"**/?{query}")
    page.wait_for_selector("text=The P0 incidents")
    page.get_by_role("link", name="The P0 incidents").click()
    page.wait_for_url("**/explorer?*show=severity%3AP0*")
    page.wait_for_selector("text=1 incident, newest first")
    assert page.locator("[data-testid=stException]").count() == 0


def test_clicking_a_bar_lists_its_incidents(app_url, page):
    app_url, _, _ = app_url
    _open(page, f"{app_url}/severity?period=all", 1)
    # Traces are P0..P3 in order; the P1 trace's first bar is 2026Q2 (one incident, 005).
    bar = page.locator(".js-plotly-plot").first.locator(".barlayer .trace").nth(1)
    box = bar.locator(".point path").first.bounding_box()
    # Plotly's drag layer sits on top of the bars: click the spot, as a user does.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/explorer?*show=severity%3AP1%402026Q2*")
    page.wait_for_selector("text=1 incident, newest first")
    assert page.locator("[data-testid=stException]").count() == 0


def test_picking_a_row_opens_the_incident_and_back_returns(app_url, page):
    app_url, _, _ = app_url
    _open(page, f"{app_url}/explorer?period=all", 0)
    grid = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    # The row-selection checkbox of the second row (header and rows are 35 px high);
    # newest first, the second row is INC-2026-09-21-003.
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 35 + 17)
    page.wait_for_url("**/explorer?period=all&incident=INC-2026-09-21-003")
    _settled(page, "Checkout down")  # the incident's run has ended: Back does not race it
    page.get_by_role("button", name="Back to the list").click()
    page.wait_for_url("**/explorer?period=all")
    _settled(page, "Incident explorer")
    assert page.locator("[data-testid=stException]").count() == 0


def test_nothing_is_requested_from_any_other_host(app_url, browser):
    # Postmortems are sensitive and some teams are air-gapped: every page, its icons, fonts,
    # favicon and charts come from the dashboard itself.
    app_url, _, _ = app_url
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        for path, (_, charts) in PAGES.items():
            separator = "&" if "?" in path else "?"
            _open(page, f"{app_url}/{path}{separator}period=all", charts)
        _open(page, f"{app_url}/?period=latest", 2)  # the default view, too
        favicon = page.eval_on_selector("link[rel='shortcut icon']", "link => link.href")
    finally:
        context.close()
    assert len(requests) > len(PAGES), "the pages were loaded"
    local = (app_url + "/", "data:", "blob:", "about:")
    assert [url for url in requests if not url.startswith(local)] == []
    assert favicon.startswith("data:image/svg+xml"), "the tab icon is drawn, not fetched"


def _incidents_tile(page) -> str:
    tile = page.locator("[data-testid=stMetric]").filter(has_text="Incidents").first
    return tile.locator("[data-testid=stMetricValue]").inner_text()


def test_keeps_serving_during_a_load_and_shows_it_after(app_url, page):
    # Runs last in this module: it adds an eighth incident to the served database.
    app_url, corpus, db = app_url
    _open(page, f"{app_url}/?period=all", 2)
    assert _incidents_tile(page) == "7"
    source = (corpus / "INC-2026-09-30-004.md").read_text(encoding="utf-8")
    (corpus / "INC-2026-10-01-007.md").write_text(
        source.replace("INC-2026-09-30-004", "INC-2026-10-01-007").replace(
            "2026-09-30", "2026-10-01"
        ),
        encoding="utf-8",
    )
    load = threading.Thread(target=ingest, args=([corpus], db), kwargs={"workers": 1})
    load.start()
    while load.is_alive():  # the page keeps answering while the file is replaced
        _open(page, f"{app_url}/?period=all", 2)
        assert page.locator("[data-testid=stException]").count() == 0
    load.join()
    _open(page, f"{app_url}/?period=all", 2)
    assert _incidents_tile(page) == "8"
    assert page.locator("[data-testid=stException]").count() == 0
