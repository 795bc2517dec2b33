"""The sidebar filters every page shares, kept in the URL query string so a link reproduces a view.

The URL is read once, when a session starts (a pasted link); from then on the widgets are the
truth and every run writes them back to the URL. Parameters:

    period=latest|last-quarter|this-quarter|last-12-months|all|custom
    from=YYYY-MM-DD  to=YYYY-MM-DD
    sev=P1 (repeatable)   team=...   service=...   drafts=0|1
"""

from __future__ import annotations

import dataclasses
from datetime import date

import streamlit as st

from dashboard import data, periods
from pipeline import analytics
from pipeline.analytics import Filters

DEFAULT_PERIOD = "latest"
"""The last complete quarter that has incidents: the first view of any corpus has data."""
URL_KEYS = ("period", "from", "to", "sev", "team", "service", "drafts")

_PERIOD = "filter_period"
_RANGE = "filter_range"
_SEVERITIES = "filter_severities"
_TEAMS = "filter_teams"
_SERVICES = "filter_services"
_DRAFTS = "filter_drafts"
_SAVED = "filter_saved"
_WIDGETS = (_PERIOD, _RANGE, _SEVERITIES, _TEAMS, _SERVICES, _DRAFTS)


def _url_date(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def _url_list(name: str, allowed: list[str]) -> list[str]:
    # Values not in the database are dropped: a multiselect refuses unknown defaults.
    return [v for v in st.query_params.get_all(name) if v in allowed]


def _restore_saved() -> None:
    # Streamlit drops a widget's state when a run ends without drawing it (a switch_page
    # mid-run does that), so the choices are also kept under a key no widget owns.
    for key, value in st.session_state.get(_SAVED, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _init_from_url(options: dict, today: date) -> None:
    """Seed the widgets from the URL the first time this session renders them."""
    _restore_saved()
    if _PERIOD not in st.session_state:
        pick = st.query_params.get("period", "")
        if pick not in periods.QUICK_PICKS:
            pick = (
                "custom"
                if ("from" in st.query_params or "to" in st.query_params)
                else DEFAULT_PERIOD
            )
        st.session_state[_PERIOD] = pick
    if _RANGE not in st.session_state:
        since, until = periods.quick_pick("last-12-months", today)
        since = _url_date("from") or options.get("min_date") or since
        until = _url_date("to") or options.get("max_date") or until
        st.session_state[_RANGE] = (since, until)
    if _SEVERITIES not in st.session_state:
        st.session_state[_SEVERITIES] = _url_list("sev", options["severities"])
    if _TEAMS not in st.session_state:
        st.session_state[_TEAMS] = _url_list("team", options["teams"])
    if _SERVICES not in st.session_state:
        st.session_state[_SERVICES] = _url_list("service", options["services"])
    if _DRAFTS not in st.session_state:
        st.session_state[_DRAFTS] = st.query_params.get("drafts", "1") != "0"


def _write_url(pick: str, since: date | None, until: date | None) -> None:
    wanted: dict[str, str | list[str]] = {"period": pick}
    if pick == "custom":
        wanted["from"] = since.isoformat() if since else ""
        wanted["to"] = until.isoformat() if until else ""
    for url_key, state_key in (("sev", _SEVERITIES), ("team", _TEAMS), ("service", _SERVICES)):
        if st.session_state[state_key]:
            wanted[url_key] = list(st.session_state[state_key])
    if not st.session_state[_DRAFTS]:
        wanted["drafts"] = "0"
    for key in URL_KEYS:
        current = st.query_params.get_all(key)
        value = wanted.get(key)
        if value is None:
            if current:
                del st.query_params[key]
        elif current != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


def sidebar(options: dict, today: date | None = None) -> Filters:
    """Draw the filters in the sidebar and return them as analytics `Filters`.

    `options` is `analytics.filter_options(con)`: the severities, teams and services to offer.
    """
    today = today or date.today()
    _init_from_url(options, today)
    # A new load may have dropped a team or service the session had picked.
    for key, allowed in (
        (_SEVERITIES, options["severities"]),
        (_TEAMS, options["teams"]),
        (_SERVICES, options["services"]),
    ):
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    with st.sidebar:
        st.header("Filters")
        pick = st.selectbox(
            "Period",
            list(periods.QUICK_PICKS),
            format_func=periods.QUICK_PICKS.get,
            key=_PERIOD,
            help="Quick picks count from today. 'Custom range' shows a date picker.",
        )
        latest = data.query(analytics.review_quarter, today) if pick == "latest" else None
        if pick == "custom":
            chosen = st.date_input("From / to", key=_RANGE, format="YYYY-MM-DD")
            # While the user has picked only the first date, keep the old end.
            since = chosen[0] if len(chosen) > 0 else None
            until = chosen[1] if len(chosen) > 1 else None
        else:
            since, until = periods.quick_pick(pick, today, latest)
        st.caption(f"Showing {describe(pick, since, until)}")
        st.multiselect("Severity", options["severities"], key=_SEVERITIES, placeholder="All")
        st.multiselect("Team", options["teams"], key=_TEAMS, placeholder="All")
        st.multiselect("Service", options["services"], key=_SERVICES, placeholder="All")
        st.checkbox("Include drafts", key=_DRAFTS)
        stamp = data.loaded_at()
        if stamp:
            st.caption(f"Data loaded {stamp.replace('T', ' ')[:16]} UTC")
    _write_url(pick, since, until)
    st.session_state[_SAVED] = {key: st.session_state[key] for key in _WIDGETS}
    return Filters(
        since=since,
        until=until,
        severities=tuple(st.session_state[_SEVERITIES]),
        teams=tuple(st.session_state[_TEAMS]),
        services=tuple(st.session_state[_SERVICES]),
        include_drafts=bool(st.session_state[_DRAFTS]),
    )


def describe(pick: str, since: date | None, until: date | None) -> str:
    """The period in words, saying why when it was chosen for the user."""
    text = periods.describe(since, until)
    if pick == "latest" and since is not None:
        return f"{text}, the last complete quarter with incidents"
    return text


def url_params() -> dict[str, list[str]]:
    """The filters' part of the current URL, for links to other pages to carry along."""
    return {key: st.query_params.get_all(key) for key in URL_KEYS if key in st.query_params}


def current() -> Filters:
    """The filters drawn by `sidebar` in this run (pages call this)."""
    return st.session_state["filters"]


TREND_QUARTERS = 4


def trend(f: Filters, quarters: int = TREND_QUARTERS) -> Filters:
    """The same filters from `quarters - 1` quarters before the period: what a chart per
    quarter draws, since one box alone says little. Unchanged when the period has no start."""
    if f.since is None:
        return f
    return dataclasses.replace(f, since=periods.trend_start(f.since, quarters))


def period_words() -> str:
    """The period in view in words, as the sidebar says it (pages' captions use it)."""
    f = current()
    return describe(st.session_state.get(_PERIOD, DEFAULT_PERIOD), f.since, f.until)
