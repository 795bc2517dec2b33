"""Dates, clock times and time zones as people write them in postmortems.

Fast explicit patterns only (no dateutil fuzzy parsing on the hot path). Numeric dates that read
both ways (03/04/2021) are settled by the document: a date elsewhere in it with a day > 12 shows
its order; failing that the reading equal to the incident date wins; failing that month-day is
taken and an 'ambiguous_date' warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from pipeline.parse.zones import ZONE, UnknownZone, to_utc, zone_from_name

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_ISO_MON = re.compile(r"(?<!\d)(?P<y>\d{4})-" + _MON + r"-(?P<d>\d{1,2})(?!\d)", re.IGNORECASE)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?![\d/-])"
)
_MON_FIRST = re.compile(
    r"\b"
    + _MON
    + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d{2})\b(?!\s*(?:UTC|GMT)))?",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MON
    + r"\b,?(?:\s+(?P<y>(?:19|20)\d{2})\b)?",
    re.IGNORECASE,
)
_NUMERIC_NO_YEAR = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[-/](?P<b>\d{1,2})(?=\s+\d{1,2}:\d{2})")
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)

_TIME = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?|h(?P<mi2>\d{2}))"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?",
    re.IGNORECASE,
)
_TIME_AMPM_ONLY = re.compile(r"(?P<h>\d{1,2})\s*(?P<ampm>[ap]\.?m\b\.?)", re.IGNORECASE)
_MILITARY = re.compile(r"(?P<hm>[0-2]\d[0-5]\d)(?=\s*(?:UTC|GMT|Z\b|[ECMP][SD]?T\b|hrs?\b))")
_RANGE_END = re.compile(
    r"\s*(?:-|–|—|to)\s*(?:\d{1,2}(?::\d{2}|h\d{2})(?:\s*[ap]m\b)?)", re.IGNORECASE
)
_UNKNOWN = re.compile(r"(?:-{1,2}:-{1,2}|\?{2,}(?::\?{2})?|xx:xx|\?:\?\?)", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\+\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>business\s+days?|days?|d\b|hours?|hrs?|h\b|minutes?|mins?|m\b)",
    re.IGNORECASE,
)

_TO_BRACKET = re.compile(r"[\w ]*?(?=\])|")


# ---------------------------------------------------------------- dates


@dataclass(slots=True)
class DateHint:
    """What the document says about its own dates."""

    order: str | None = None  # 'dmy' | 'mdy' | None
    incident_date: date | None = None
    year: int | None = None
    ref: date | None = None
    """The day being read (a timeline's current day): a date without a year takes the year
    that puts it nearest to this day (Dec 5 read in March 2019 is 2018-12-05)."""


_EVIDENCE = re.compile(r"(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\d/-])")
# Scanning for the separator first is ~3x faster than letting _EVIDENCE try every position.
_SEP_HINT = re.compile(r"[-/.]\d{1,2}[-/.]\d\d")


def _numeric_dates(text: str) -> list[tuple[str, str, str]]:
    """All numeric day/month/year dates (01-02-2024, 1/2/24) as (first, second, year) strings."""
    found = []
    last_end = -1
    for hint in _SEP_HINT.finditer(text):
        start = max(hint.start() - 2, 0)
        if start < last_end:
            continue
        m = _EVIDENCE.search(text, start, hint.end() + 3)
        if m is not None and m.start() <= hint.start():
            m2 = _EVIDENCE.match(text, m.start())  # re-match without the end bound
            if m2 is not None:
                found.append(m2.groups())
                last_end = m2.end()
    return found


def numeric_order(text: str) -> str | None:
    """'dmy' or 'mdy' when the document's unambiguous numeric dates show one order."""
    dmy = mdy = 0
    found = _numeric_dates(text)
    for a, b, _ in found:
        a_i, b_i = int(a), int(b)
        if a_i > 12 and b_i <= 12:
            dmy += 1
        elif b_i > 12 and a_i <= 12:
            mdy += 1
    if dmy > mdy:
        return "dmy"
    if mdy > dmy:
        return "mdy"
    return _closer_order(found, _anchor_days(text)) if found else None


def _anchor_days(text: str) -> list[int]:
    """Ordinals of the dates whose order is not in doubt (ISO, month names with a year); an ISO
    date inside an id ("INC-2019-01-01-001") is part of a name, not a date of this incident."""
    days = []
    for m in _ISO.finditer(text):
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 2]
        if (before and (before.isalnum() or before in "-_")) or (
            after[:1] in "-_" and after[1:2].isdigit()
        ):
            continue
        d = _mk(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            days.append(d.toordinal())
    for rx in (_MON_FIRST, _DAY_FIRST):
        for m in rx.finditer(text):
            if m.group("y"):
                d = _mk(int(m.group("y")), MONTHS[m.group("mon")[:3].lower()], int(m.group("d")))
                if d:
                    days.append(d.toordinal())
    return days


def _closer_order(found: list[tuple[str, str, str]], anchors: list[int]) -> str | None:
    """With no date that shows its order, the order under which each doubtful date lies nearest
    the document's other dates: one incident's dates are days apart, not months (08-01/11-01/
    12-01 reads as 8-12 January rather than August to December; 06-11-2023 beside "6th Nov
    2023" is 6 November). Nearest, not overall span, so one unrelated far-away date elsewhere in
    the file cannot decide."""
    cost = {}
    for order in ("mdy", "dmy"):
        days: list[int | None] = []
        for a, b, y in found:
            yi = int(y) + (2000 if len(y) == 2 else 0)
            m, d = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
            try:
                days.append(date(yi, m, d).toordinal())
            except ValueError:
                days.append(None)
        total = 0
        counted = 0
        for i, (a, b, _) in enumerate(found):
            if int(a) > 12 or int(b) > 12 or a == b or days[i] is None:
                continue  # not in doubt
            others = [x for j, x in enumerate(days) if j != i and x is not None] + anchors
            if not others:
                continue
            total += min(abs(days[i] - x) for x in others)
            counted += 1
        if not counted:
            return None
        cost[order] = total
    if cost["mdy"] == cost["dmy"]:
        return None
    return "mdy" if cost["mdy"] < cost["dmy"] else "dmy"


def _year(y: str | None, hint: DateHint) -> int | None:
    if y is None:
        if hint.year:
            return hint.year
        return hint.incident_date.year if hint.incident_date else None
    yi = int(y)
    return yi + 2000 if yi < 100 else yi


def _yearless(m: int, d: int, hint: DateHint) -> date | None:
    ref = hint.ref or hint.incident_date
    if ref is None:
        return _mk(hint.year, m, d)
    options = [x for x in (_mk(ref.year + k, m, d) for k in (-1, 0, 1)) if x is not None]
    return min(options, key=lambda x: abs((x - ref).days)) if options else None


def _mk(y: int | None, m: int, d: int) -> date | None:
    if y is None or not (1900 <= y <= 2199):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass(slots=True)
class DateMatch:
    value: date | None
    start: int
    end: int
    ambiguous: str | None = None
    """Why the day/month order was a guess (None when it was not)."""


def _numeric(a: int, b: int, y: int | None, hint: DateHint) -> tuple[date | None, str | None]:
    if a > 12:
        return _mk(y, b, a), None
    if b > 12 or a == b:
        return _mk(y, a, b), None
    if hint.order == "dmy":
        return _mk(y, b, a), None
    if hint.order == "mdy":
        return _mk(y, a, b), None
    mdy, dmy = _mk(y, a, b), _mk(y, b, a)
    if hint.incident_date is not None:
        if dmy == hint.incident_date:
            return dmy, None
        if mdy == hint.incident_date:
            return mdy, None
    return mdy, f"{a:02d}/{b:02d} reads as month-day or day-month; month-day was taken"


def match_date(s: str, hint: DateHint, pos: int = 0, anchored: bool = False) -> DateMatch | None:
    """The first date in s[pos:] (or only one starting at pos when `anchored`)."""
    best: DateMatch | None = None
    for rx in (_ISO, _ISO_MON, _NUMERIC, _MON_FIRST, _DAY_FIRST):
        m = rx.match(s, pos) if anchored else rx.search(s, pos)
        if m is None or (best is not None and m.start() >= best.start):
            continue
        g = m.groupdict()
        amb = None
        if g.get("mon"):
            month = MONTHS[g["mon"][:3].lower()]
            if g.get("y"):
                value = _mk(_year(g["y"], hint), month, int(g["d"]))
            else:
                value = _yearless(month, int(g["d"]), hint)
        elif "a" in g:
            value, amb = _numeric(int(g["a"]), int(g["b"]), _year(g["y"], hint), hint)
        else:
            value = _mk(int(g["y"]), int(g["m"]), int(g["d"]))
        best = DateMatch(value, m.start(), m.end(), amb)
    if best is None and anchored:
        m = _NUMERIC_NO_YEAR.match(s, pos)
        if m:
            value, amb = _numeric(int(m.group("a")), int(m.group("b")), 2000, hint)  # leap year
            if value is not None:
                value = _yearless(value.month, value.day, hint)
            best = DateMatch(value, m.start(), m.end(), amb)
    return best


# ---------------------------------------------------------------- timeline stamps


@dataclass(slots=True)
class Stamp:
    """The time stamp that opens a timeline entry."""

    text: str
    """As written (decoration removed)."""
    rest: str
    """The entry text after the stamp and its separator."""
    date: date | None = None
    clock: time | None = None
    zone: str | None = None
    relative_minutes: float | None = None
    unknown: bool = False
    """A time written as unknown ('--:--', '???')."""
    unreadable: bool = False
    """Something stamp-like that is not a valid date/time (e.g. '20202-01-16 12:00')."""
    ambiguous: str | None = None


_DECOR_OPEN = re.compile(r"[\s*_`\[(~\\]*")
_SEP = re.compile(r"\s*(?:[-–—:|>,]+|\s)\s*")
_AT = re.compile(r"\s*,?\s*(?:at\s+|@\s*)?")
_COLON = re.compile(r"\s*:\s+(?:at\s+)?", re.IGNORECASE)
_GARBAGE = re.compile(r"\d[\d\-/:. ]{4,}\d")


def _clock(m: re.Match[str]) -> time | None:
    g = m.groupdict()
    if g.get("hm"):
        h, mi, s = int(g["hm"][:2]), int(g["hm"][2:]), 0
    else:
        h = int(g["h"])
        mi = int(g.get("mi") or g.get("mi2") or 0)
        s = int(g.get("s") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm.startswith("p") and h < 12:
        h += 12
    elif ampm.startswith("a") and h == 12:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


_DASH = re.compile(r"\s*[-–—/]\s*")  # "2023-01-04 - 11:34", "2023-01-04/11:34"


def _match_time(s: str, pos: int) -> re.Match[str] | None:
    m = _TIME.match(s, pos)
    if m is not None and (m.group("mi") is not None or m.group("mi2") is not None):
        return m
    return _MILITARY.match(s, pos) or _TIME_AMPM_ONLY.match(s, pos)


def _close_decor(s: str, pos: int, opened: str) -> int:
    """Skip the closing marks of what opened the stamp ("**10:00**", "[10:00]"), no more."""
    closers = {"[": "]", "(": ")", "*": "*", "_": "_", "`": "`", "~": "~"}
    allowed = {closers[c] for c in opened if c in closers}
    n = len(s)
    while pos < n and (s[pos] in allowed or s[pos] in " \t"):
        pos += 1
    return pos


def parse_stamp(s: str, hint: DateHint) -> Stamp | None:
    """Read the date/time that opens `s`; None when `s` does not start with one."""
    pos = _DECOR_OPEN.match(s).end()
    start = pos
    opened = s[:pos]
    m = _WEEKDAY.match(s, pos)
    if m:
        pos = m.end()
    stamp = Stamp(text="", rest="")
    dm = match_date(s, hint, pos, anchored=True)
    if dm is not None:
        if dm.value is None:
            stamp.unreadable = True
        stamp.date, stamp.ambiguous = dm.value, dm.ambiguous
        pos = dm.end
        pos = _AT.match(s, pos).end()
    tm = _match_time(s, pos)
    if tm is None and dm is not None:
        dash = _DASH.match(s, pos) or _COLON.match(s, pos)  # "February 15, 2024: 7:56am"
        if dash:
            tm = _match_time(s, dash.end())
        if tm is None:  # "Feb 28th **01:52** ..."
            inner = _DECOR_OPEN.match(s, pos).end()
            tm = _match_time(s, inner)
            if tm is not None:
                opened += s[pos:inner]
    if tm is not None:
        clock = _clock(tm)
        if clock is None:
            stamp.unreadable = True
        stamp.clock = clock
        pos = tm.end()
        rm = _RANGE_END.match(s, pos)
        if rm:
            pos = rm.end()
    elif dm is None or _UNKNOWN.match(s, pos):
        um = _UNKNOWN.match(s, pos)
        rel = _RELATIVE.match(s, pos)
        if um:
            stamp.unknown = True
            pos = um.end()
        elif rel:
            n = float(rel.group("n"))
            unit = rel.group("u").lower()
            factor = 1440 if unit.startswith(("d", "b")) else 60 if unit.startswith("h") else 1
            stamp.relative_minutes = n * factor
            pos = rel.end()
            pos = _TO_BRACKET.match(s, pos).end()  # "+2 Business Days Later]"
        else:
            g = _GARBAGE.match(s, pos)
            if not g:
                return None
            stamp.unreadable = True
            pos = g.end()
    elif dm is not None and not stamp.unreadable:
        # a date alone, or a date the time follows later ("11:10 6th Nov" handled below)
        pass
    zm = ZONE.match(s, pos + 1 if s[pos : pos + 1] == " " else pos)
    if zm is not None and (stamp.clock is not None or stamp.date is not None):
        stamp.zone = zm.group("tz")
        pos = zm.end()
    if stamp.clock is not None and stamp.date is None:
        # "11:10 6th Nov 2023 - ..." : the date after the time
        sp = pos + 1 if s[pos : pos + 1] == " " else pos
        wd = _WEEKDAY.match(s, sp)  # "12:45 PM PST Saturday Oct 30th: ..."
        if wd:
            sp = wd.end()
        dm2 = match_date(s, hint, sp, anchored=True)
        if dm2 is not None and dm2.value is not None:
            stamp.date, stamp.ambiguous = dm2.value, dm2.ambiguous
            pos = dm2.end
    text_end = pos
    pos = _close_decor(s, pos, opened)
    sm = _SEP.match(s, pos)
    if sm:
        pos = sm.end()
    stamp.text = s[start:text_end].strip(" *_`[](),").strip()
    stamp.rest = s[pos:].strip()
    if stamp.rest.startswith(("**", "__")) and stamp.rest.count("**") % 2 == 1:
        stamp.rest = stamp.rest[2:].lstrip()
    return stamp


def instant(value: object, hint: DateHint) -> datetime | None:
    """A point in time as front matter gives it (a YAML timestamp with or without an offset,
    or a string such as "2021-03-04 10:00 PST"), as naive UTC; None without a time of day."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)
    if not isinstance(value, str):
        return None
    if "T" in value[8:12]:  # ISO 8601 with a zone letter or an offset: the library reads it
        try:
            return instant(datetime.fromisoformat(value.strip()), hint)
        except ValueError:
            pass
    stamp = parse_stamp(value, hint)
    if stamp is None or stamp.date is None or stamp.clock is None or stamp.unreadable:
        return None
    try:
        zone = zone_from_name(stamp.zone) if stamp.zone else None
    except UnknownZone:
        return None
    return to_utc(datetime.combine(stamp.date, stamp.clock), zone)
