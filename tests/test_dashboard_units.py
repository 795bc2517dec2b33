"""The dashboard's pure parts: period arithmetic, text escaping, number formats, chart colours,
and the `postmortems dashboard` command line."""

from __future__ import annotations

import ast
import socket
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import charts, data, filters, periods, safe_text, tiles, ui
from pipeline import analytics
from pipeline.analytics import uncertainty
from pipeline.cli import app
from pipeline.commands.dashboard import streamlit_command

# ---------------------------------------------------------------------------------------------
# Periods


@pytest.mark.parametrize(
    ("pick", "today", "expected"),
    [
        ("this-quarter", date(2026, 11, 27), (date(2026, 10, 1), date(2026, 12, 31))),
        ("last-quarter", date(2026, 11, 27), (date(2026, 7, 1), date(2026, 9, 30))),
        ("last-quarter", date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        ("last-12-months", date(2026, 11, 27), (date(2025, 11, 28), date(2026, 11, 27))),
        ("last-12-months", date(2024, 2, 29), (date(2023, 3, 1), date(2024, 2, 29))),
        ("all", date(2026, 11, 27), (None, None)),
    ],
)
def test_quick_picks(pick, today, expected):
    assert periods.quick_pick(pick, today) == expected


def test_the_latest_quick_pick_is_the_quarter_analytics_names():
    # the last complete quarter with incidents comes from the data (analytics.review_quarter)
    assert periods.quick_pick("latest", date(2026, 12, 3), "2022Q1") == (
        date(2022, 1, 1),
        date(2022, 3, 31),
    )
    assert periods.quick_pick("latest", date(2026, 12, 3), None) == (None, None)
    assert next(iter(periods.QUICK_PICKS)) == filters.DEFAULT_PERIOD == "latest"


def test_a_trend_is_the_period_and_the_three_quarters_before():
    q3 = analytics.Filters(since=date(2026, 7, 1), until=date(2026, 9, 30), teams=("x",))
    assert filters.trend(q3) == analytics.Filters(
        since=date(2025, 10, 1), until=date(2026, 9, 30), teams=("x",)
    )
    assert filters.trend(analytics.Filters()) == analytics.Filters()


def test_unknown_quick_pick_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        periods.quick_pick("yesterday", date(2026, 1, 1))


def test_previous_period_of_a_quarter_is_the_previous_quarter():
    assert periods.previous_period(date(2026, 1, 1), date(2026, 3, 31)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    # 92 days (Q3) before a 92-day quarter, 90 days (Q1) before a 91-day Q2.
    assert periods.previous_period(date(2026, 4, 1), date(2026, 6, 30)) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )


def test_previous_period_of_any_range_is_the_same_length_just_before():
    assert periods.previous_period(date(2026, 3, 11), date(2026, 3, 20)) == (
        date(2026, 3, 1),
        date(2026, 3, 10),
    )
    assert periods.previous_period(None, date(2026, 3, 20)) is None


def test_describe():
    assert periods.describe(date(2026, 7, 1), date(2026, 9, 30)) == "2026Q3"
    assert periods.describe(None, None) == "all time"
    assert periods.describe(date(2026, 7, 2), date(2026, 9, 30)) == "2026-07-02 to 2026-09-30"


def test_label_bounds_and_narrow():
    assert periods.label_bounds("2026Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert periods.label_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    for bad in ("2026Q5", "2026-13", "Q3", "'; drop"):
        with pytest.raises(ValueError):
            periods.label_bounds(bad)
    first, last = date(2026, 7, 1), date(2026, 9, 30)
    assert periods.narrow(None, None, first, last) == (first, last)
    assert periods.narrow(date(2026, 8, 1), date(2026, 12, 31), first, last) == (
        date(2026, 8, 1),
        last,
    )


# ---------------------------------------------------------------------------------------------
# Text escaping


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "![x](https://evil.example/pixel.png)",
        "<img src=x onerror=alert(1)>",
        ":red[alarm] :material/warning: $x^2$",
        "**bold** _em_ `code` # heading",
    ],
)
def test_md_escape_escapes_every_markdown_character(text):
    escaped = safe_text.md_escape(text)
    # Each ASCII punctuation character is preceded by a backslash: CommonMark's "literally".
    unescaped = escaped.replace("\\", "")
    assert unescaped == text
    for i, char in enumerate(escaped):
        if char in "<>[]()!:*_`#$" and (i == 0 or escaped[i - 1] != "\\"):
            pytest.fail(f"unescaped {char!r} at {i} in {escaped!r}")


def test_md_escape_keeps_a_title_on_one_line():
    assert safe_text.md_escape("a\n# b\n- c") == "a \\# b \\- c"
    assert safe_text.md_escape(None) == ""


HOSTILE = {
    "<script>alert(1)</script>": "&lt;script&gt;",
    '<img src=x onerror="alert(1)">': "&lt;img src=x onerror=",
    "[a](javascript:alert(1))": "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))": "[a](JaVaScRiPt:alert(1))",
    "[a](java&#115;cript:alert(1))": "[a](javascript:alert(1))",
    "[a](data:text/html;base64,PHNjcmlwdD4=)": "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](vbscript:msgbox)": "[a](vbscript:msgbox)",
    "<javascript:alert(1)>": "&lt;javascript:alert(1)&gt;",
    "[r]\n\n[r]: javascript:alert(1)": "[r]",
    "![i](https://evil.example/p.png)": "[image: i]",
    '<a href="javascript:alert(1)">x</a>': "&lt;a href=",
}


@pytest.mark.parametrize("markdown", list(HOSTILE))
def test_rendered_documents_carry_no_markup_from_the_author(markdown):
    html = safe_text.render_document(markdown)
    assert HOSTILE[markdown] in html
    lowered = html.lower()
    for bad in (
        "<script",
        "<img",
        "<iframe",
        'href="javascript',
        'href="data',
        'href="vbscript',
        'onerror="',
        "src=",
    ):
        assert bad not in lowered.replace("&lt;img src=x onerror=", ""), (bad, html)


def test_rendered_documents_keep_ordinary_markdown():
    html = safe_text.render_document(
        "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.com) `x<y`"
    )
    assert "<h1>Title</h1>" in html and "<table>" in html
    assert '<a href="https://example.com">docs</a>' in html
    assert "<code>x&lt;y</code>" in html


def test_chart_text_is_entity_escaped():
    escaped = charts.plain(pd.Series(["<b>x</b>", None]))
    assert escaped[0] == "&lt;b&gt;x&lt;/b&gt;" and pd.isna(escaped[1])


# ---------------------------------------------------------------------------------------------
# Formats and links


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "–"),
        (float("nan"), "–"),
        (0, "0 min"),
        (59.6, "1 h 0 min"),
        (69, "1 h 9 min"),
        (135, "2 h 15 min"),
        (60 * 50, "2 d 2 h"),
    ],
)
def test_minutes(value, text):
    assert ui.minutes(value) == text


def test_change():
    assert ui.change(4, 2) == "+2"
    assert ui.change(69.0, 135.0, " min") == "-66 min"
    assert ui.change(2, 2) == "0"
    assert ui.change(0.5, 0.25) == "+0.2"
    assert ui.change(None, 2) is None and ui.change(2, float("nan")) is None


def test_explorer_url_quotes_the_id():
    assert ui.explorer_url("INC-1") == "explorer?incident=INC-1"
    assert ui.explorer_url("a&b=<x> javascript:") == (
        "explorer?incident=a%26b%3D%3Cx%3E%20javascript%3A"
    )


def test_csv_safe_defuses_formulas():
    frame = pd.DataFrame({"text": ['=HYPERLINK("x")', "+1", "-2", "@SUM", "fine"], "n": [1] * 5})
    assert list(ui.csv_safe(frame)["text"]) == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM", "fine"]


def test_severity_colours_are_fixed_and_distinct():
    assert list(charts.SEVERITY_COLORS) == charts.SEVERITY_ORDER
    assert len(set(charts.SEVERITY_COLORS.values())) == 5
    fig = charts.fig_incident_counts(
        pd.DataFrame(
            {
                "period": ["2026Q1", "2026Q1", "2026Q2"],
                "severity": ["P3", "unknown", "P0"],
                "incidents": [1, 2, 3],
            }
        )
    )
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {s: charts.SEVERITY_COLORS[s] for s in ("P0", "P3", "unknown")}


def test_empty_frames_make_titled_empty_charts():
    fig = charts.fig_incident_counts(pd.DataFrame({"period": [], "severity": [], "incidents": []}))
    assert fig.layout.title.text == "Incidents per quarter by severity"
    assert fig.layout.annotations[0].text == "No data for these filters"


# ---------------------------------------------------------------------------------------------
# The command


def test_dashboard_help_ends_with_an_example():
    result = CliRunner().invoke(app, ["dashboard", "--help"])
    assert result.exit_code == 0
    assert "Example: postmortems dashboard --db" in result.output


def test_streamlit_is_bound_to_localhost_headless_without_usage_stats(tmp_path):
    command = streamlit_command(tmp_path / "x.duckdb", 8600, "127.0.0.1", "python")
    options = dict(zip(command[5:-3:2], command[6:-3:2], strict=True))
    assert command[:4] == ["python", "-m", "streamlit", "run"]
    assert command[4].endswith("dashboard/app.py")
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == "8600"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert command[-3:] == ["--", "--db", str(tmp_path / "x.duckdb")]


def test_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["dashboard", "--db", str(tmp_path / "x.duckdb"), "--port", str(port)]
        )
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: port {port} on 127.0.0.1 is in use; pick another with --port N"
    )


# ---------------------------------------------------------------------------------------------
# Pages name the figures they show by reference


def _analytics_names(path: Path) -> set[str]:
    """Every `analytics.<name>` a dashboard file uses."""
    return {
        node.attr
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "analytics"
    }


def test_every_figure_a_page_names_exists():
    dashboard = Path(data.__file__).parent
    named = {
        path.relative_to(dashboard).as_posix(): _analytics_names(path)
        for path in sorted(dashboard.rglob("*.py"))
    }
    assert named["app_pages/overview.py"], "the pages pass analytics functions, not names"
    missing = {
        page: sorted(n for n in names if not hasattr(analytics, n)) for page, names in named.items()
    }
    assert {page: names for page, names in missing.items() if names} == {}


def test_only_analytics_functions_go_through_the_cache():
    assert data._reference(analytics.incident_counts) == (
        "pipeline.analytics.incidents",
        "incident_counts",
    )
    for not_a_figure in (print, "incident_counts", lambda con: None, periods.quick_pick):
        with pytest.raises(TypeError, match="is not a function of pipeline.analytics"):
            data.query(not_a_figure)


# ---------------------------------------------------------------------------------------------
# What a tile says about a change


def test_a_tile_shows_an_arrow_only_for_a_detectable_change():
    down = uncertainty.judge(30.0, 120.0, 25, 25, (-95.0, -80.0), "bootstrap")
    assert tiles.describe(down, "minutes") == ("-90 min", "95% CI -95 min to -80 min")
    few = uncertainty.judge(69.0, 135.0, 4, 2, (-80.0, 10.0), "bootstrap")
    assert tiles.describe(few, "minutes") == (
        None,
        "too few incidents to tell (-66 min; n = 4 against 2)",
    )
    flat = uncertainty.judge(0.35, 0.25, 40, 40, (-0.12, 0.22), "newcombe")
    assert tiles.describe(flat, "share") == (
        None,
        "no detectable change (+10 pts; 95% CI -12 pts to +22 pts)",
    )
    assert tiles.describe(None, "count") == (None, None)
    nothing = uncertainty.judge(None, 3.0, 0, 3, None, "binomial")
    assert tiles.describe(nothing, "count") == (None, None)


def test_every_table_leaves_missing_cells_empty():
    # Streamlit writes "None" in a missing cell unless told otherwise: every table of the
    # dashboard goes through ui.table, which tells it.
    dashboard = Path(data.__file__).parent
    direct = [
        f"{path.name}:{node.lineno}"
        for path in sorted(dashboard.rglob("*.py"))
        if path.name != "ui.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "dataframe"
    ]
    assert direct == []


def test_no_page_prints_a_stray_string():
    # Streamlit's "magic" writes any bare string statement of a page on the screen (that put
    # a note about cut documents above the explorer's title). Only the module docstring may be.
    dashboard = Path(data.__file__).parent
    stray = []
    for path in sorted((dashboard / "app_pages").glob("*.py")) + [dashboard / "app.py"]:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        stray += [
            f"{path.name}:{node.lineno}"
            for node in body[1:]
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ]
    assert stray == []
