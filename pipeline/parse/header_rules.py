"""Field rules for the header: identity, dates, severity and the other labelled values.

Each rule reads one field (body label first, front matter second, see `resolver`) into the
Incident, warning where the value is a placeholder, unreadable or in conflict.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.parse.dates import DateHint, match_date
from pipeline.parse.fields import (
    UNKNOWN_WORDS,
    parse_data_loss,
    parse_duration,
    parse_severity,
    parse_status,
    parse_users,
    split_list,
)
from pipeline.parse.metadata import LABELS
from pipeline.parse.reading import Reading
from pipeline.parse.resolver import as_date, as_list, fm_get
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline, is_placeholder, norm_words

_ID_IN_TITLE = re.compile(
    r"^\[?((?:INC|INCIDENT|IR|PM)[-_]?\d[\w-]*)\]?\s*[:\-–—|]\s*\S", re.IGNORECASE
)
_GENERIC_PREFIX = re.compile(
    r"^\s*\[?(?:incident\s+)?post[- ]?mortem(?:\s+report)?\]?\s*(?:[:\-–—|]\s*|(?<=\])\s*)",
    re.IGNORECASE,
)
_GENERIC_TITLES = frozenset({"incident postmortem", "postmortem", "post mortem", "post-mortem",
                             "incident report", "incident post mortem", "title"})  # fmt: skip
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _read_id(value: str) -> str | None:
    """An incident id is one token ("INC-2024-001", "PM2019-009", "payments-outage-7");
    "Incident: checkout outage" names the incident, it is not its id."""
    v = clean_inline(value).strip()
    return v if v and not any(c.isspace() for c in v) else None


def _read_people(value: str) -> list[str] | None:
    """Names in a list, dropping template leftovers such as "<add name here>"."""
    people = (p.strip("[]").strip() for p in split_list(value))  # "[Katharine Berry]" ref link
    return [p for p in people if p and not is_placeholder(p)] or None


def _heading_title(root: Section) -> str | None:
    headings = [s for s in root.walk() if s.heading is not None and s.title]
    top = min((s.level for s in headings), default=0)
    for idx, s in enumerate(headings):
        if s.level != top:
            continue
        t = s.title
        if t.lower().startswith("title:"):
            t = t[6:].strip() or (headings[idx + 1].title if idx + 1 < len(headings) else "")
        elif t.endswith(":") or (s.value is not None and norm_words(t.partition(":")[0]) in LABELS):
            continue  # "## Owner: @x" / "## Involved:" are metadata, not the title
        elif s.key is not None:
            return None  # the document opens with a section: it has no title heading
        m = _GENERIC_PREFIX.match(t)
        if m and t[m.end() :].strip():
            t = t[m.end() :].strip()  # "Incident Postmortem: X" means X
        if t and t.lower() not in _GENERIC_TITLES:
            return t
        return None
    return None


def read_title(r: Reading) -> None:
    fv = fm_get(r.fm, "title")
    r.inc.title = clean_inline(str(fv)) if fv is not None else _heading_title(r.root)


def read_id(r: Reading) -> None:
    inc = r.inc
    inc.incident_id, _ = r.res.field(
        "id", ("id", "incident_id", "incident-id", "uuid"), _read_id, "", "The incident id"
    )
    if inc.incident_id is None and inc.title:
        m = _ID_IN_TITLE.match(inc.title)  # "# INC-2024-0042: Checkout outage"
        if m:
            inc.incident_id = m.group(1)
    if inc.incident_id is None:
        r.log.add(
            "missing_id",
            "No incident id in the document; the loader derives one from the file name.",
            1,
        )


# Front-matter keys that state when the incident started, most specific first.
WINDOW_START_KEYS = ("start_time", "started_at", "start", "impact_start", "began_at")
WINDOW_END_KEYS = ("end_time", "resolved_at", "end", "ended_at", "impact_end", "restored_at")


def read_incident_date(r: Reading) -> None:
    inc, hint = r.inc, r.hint
    inc.incident_date, _ = r.res.field(
        "date",
        ("date", "incident_date", *WINDOW_START_KEYS),
        lambda v: as_date(v, hint),
        "unreadable_date",
        "The incident date",
        fm_read=lambda v: as_date(v, hint),
    )
    if inc.incident_date is None and inc.title:
        dm = match_date(inc.title, hint)
        inc.incident_date = dm.value if dm else None
    if inc.incident_date is None:
        m = _PATH_DATE.search(r.source_path)
        if m:
            inc.incident_date = as_date(m.group(0), hint)


def anchor_dates(r: Reading) -> None:
    """From here on, dates without a year and bare clock times sit near the incident date."""
    day = r.inc.incident_date
    r.hint = DateHint(order=r.hint.order, incident_date=day, year=day.year if day else None)


def read_last_updated(r: Reading) -> None:
    hint = r.hint
    r.inc.last_updated, _ = r.res.field(
        "last_updated",
        ("last_updated", "updated", "lastmod"),
        lambda v: as_date(v, hint),
        "unreadable_date",
        "The last-updated date",
        fm_read=lambda v: as_date(v, hint),
    )


def read_status(r: Reading) -> None:
    r.inc.status, _ = r.res.field(
        "status", ("status",), parse_status, "unknown_status", "The status"
    )


def read_authors(r: Reading) -> None:
    authors, _ = r.res.field(
        "authors",
        ("authors", "author"),
        _read_people,
        "",
        "The authors",
        fm_read=lambda v: as_list(v) or None,
        partial_ok=True,
    )
    r.inc.authors = [a.lstrip("@") for a in (authors or [])]


def read_severity(r: Reading) -> None:
    r.inc.severity, _ = r.res.field(
        "severity", ("severity", "sev"), parse_severity, "unknown_severity", "The severity"
    )


def _list_field(name: str, fm_keys: tuple[str, ...], what: str):
    def read(r: Reading) -> None:
        value, _ = r.res.field(
            name,
            fm_keys,
            lambda v: split_list(v) or None,
            "",
            what,
            fm_read=lambda v: as_list(v) or None,
        )
        setattr(r.inc, name, value or [])

    read.__name__ = f"read_{name}"
    return read


read_services = _list_field("services", ("services", "service"), "The services")
read_tags = _list_field("tags", ("tags", "categories", "keywords"), "The tags")


def read_team(r: Reading) -> None:
    r.inc.team, _ = r.res.field(
        "team",
        ("team",),
        lambda v: clean_inline(v) or None,
        "",
        "The team",
        fm_read=lambda v: clean_inline(str(v)) or None,
    )


def read_root_cause_category(r: Reading) -> None:
    r.inc.root_cause_category, _ = r.res.field(
        "root_cause_category",
        ("root_cause_category",),
        lambda v: clean_inline(v) or None,
        "",
        "The root-cause category",
    )


def _fm_duration(v: Any) -> int | None:
    return v if isinstance(v, int) else parse_duration(str(v))


def read_duration(r: Reading) -> None:
    """The duration as written ("Duration: 4h 17m", front matter `duration`)."""
    inc = r.inc
    inc.duration_minutes, _ = r.res.field(
        "duration",
        ("duration", "duration_minutes"),
        parse_duration,
        "unreadable_duration",
        "The duration",
        fm_read=_fm_duration,
    )
    if inc.duration_minutes is None:
        return
    written = r.meta.values.get("duration")
    if written is not None and parse_duration(written.value) == inc.duration_minutes:
        inc.duration_evidence = f'line {written.line}: "{written.label}: {written.value}"'[:200]
    else:
        key = next(
            (k for k in ("duration", "duration_minutes") if fm_get(r.fm, k) is not None), None
        )
        if key is not None:
            inc.duration_evidence = f'front matter: "{key}: {fm_get(r.fm, key)}"'[:200]


def read_users(r: Reading) -> None:
    meta, inc = r.meta, r.inc
    users = next(
        (u for u in meta.candidates("users") if u.value.strip() and not is_placeholder(u.value)),
        meta.get("users"),
    )
    if users is None:
        return
    if is_placeholder(users.value):
        r.log.add(
            "placeholder", f"Users affected is still the placeholder {users.value!r}.", users.line
        )
    elif users.value.strip().lower().rstrip(".") not in UNKNOWN_WORDS:
        inc.users_affected, inc.traffic_pct = parse_users(users.value)
        if inc.users_affected is None and inc.traffic_pct is None:
            r.log.add(
                "unreadable_users", f"Users affected {users.value!r} is not a number.", users.line
            )


def read_data_loss(r: Reading) -> None:
    r.inc.data_loss, _ = r.res.field(
        "data_loss",
        ("data_loss",),
        parse_data_loss,
        "unknown_data_loss",
        "The data loss",
        unknown_ok=False,
    )
