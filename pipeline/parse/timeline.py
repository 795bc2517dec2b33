"""Timeline rows from tables, bullet lists, per-event headings and dated paragraph lines.

Times are placed on a calendar by a `Clock`: a row's own date wins; else the last day heading
or day line ("**7th Sept:**", "### 03-10-2021"); else the incident date. A bare clock that goes
backwards by more than `ROLLOVER` (23:40 then 00:15) moves to the next day; a smaller step back
(11:08 then 11:07) is an out-of-order row on the same day. Zones come from the cell ("09:35
PST"), else the nearest note or header ("All times in CEST", "Time (PT)"), else UTC; results are
naive UTC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from pipeline.model import TimelineEvent
from pipeline.parse.blocks import Block
from pipeline.parse.dates import DateHint, Stamp, match_date, parse_stamp
from pipeline.parse.problems import ProblemLog
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline
from pipeline.parse.zones import UnknownZone, find_zone_note, to_utc, zone_from_name

ROLLOVER = timedelta(hours=6)
# a list item that is only a link or an image ("- [overview](https://grafana...)"): a reference
_STARTS_WITH_DIGIT = re.compile(r"^\W*\d")
_LINK_ONLY = re.compile(r"^!?\[[^\]]*\]\([^)]*\)$|^<?https?://\S+>?$")
_TIME_HEADER = re.compile(r"time|date|when|timestamp|\bat\b|hour", re.IGNORECASE)
_DATE_HEADER = re.compile(r"\W*date\b(?!\s*[/&+-]?\s*time)", re.IGNORECASE)
_CLOCK_HEADER = re.compile(r"\btime\b|\bclock\b|\bhour\b", re.IGNORECASE)
_EVENT_HEADER = re.compile(
    r"event|description|what|action|detail|activity|update|summary|note|"
    r"happen|message|info",
    re.IGNORECASE,
)
_PLACEHOLDER_TIME = re.compile(r"^\s*(?:HH:MM|hh:mm|YYYY-MM-DD(?: HH:MM)?|XX:XX)\b")


def crosses_midnight(prev: time, cur: time) -> bool:
    """Whether an undated time `cur` after `prev` is read as the next day: the clock went back
    by more than ROLLOVER (23:40 then 00:15). A smaller step back is an out-of-order row."""
    back = datetime.combine(date.min, prev) - datetime.combine(date.min, cur)
    return back > ROLLOVER


# "**Date: 2023-11-22**", "Timeline for September 17, 2018: (all times UTC)": the day of the
# bare times below, said by a label before the date
_DAY_LABEL = re.compile(
    r"^\W*(?:date|day|timeline for|timeline of|events of)\b\W*(?P<day>.+)$", re.IGNORECASE
)
_LABEL_THEN_STAMP = re.compile(
    r"^\W*(?P<text>[A-Za-z][\w ]{2,40}?)\W*:?\s+(?P<stamp>\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}.*)$"
)


class Clock:
    def __init__(self, hint: DateHint, zone: str | None, log: ProblemLog) -> None:
        self.hint = hint
        self.day: date | None = hint.incident_date
        self.zone = zone
        self.last: datetime | None = None
        self.first_utc: datetime | None = None
        self.log = log

    def _zone(self, name: str | None, line: int):
        name = name or self.zone
        if not name:
            return None
        try:
            return zone_from_name(name)
        except UnknownZone:
            self.log.add("unknown_timezone", f"Time zone {name!r} is not known; read as UTC.", line)
            return None

    def set_day(self, st: Stamp, line: int) -> None:
        """A day heading or day line: later bare times sit on this day."""
        if st.ambiguous:
            self.log.add("ambiguous_date", f"In {st.text!r}: {st.ambiguous}.", line)
        if st.date is not None:
            self.day = st.date
            self.hint.year, self.hint.ref = st.date.year, st.date
            self.last = None
        elif st.unreadable:
            self.log.add("unreadable_date", f"The day {st.text!r} could not be read.", line)

    def place(self, st: Stamp, line: int) -> datetime | None:
        """The naive-UTC time of a stamp, moving the clock; None (with a warning) if it can't."""
        if st.date is not None:
            self.day = st.date
            self.hint.year, self.hint.ref = st.date.year, st.date
        if st.ambiguous:
            self.log.add("ambiguous_date", f"In {st.text!r}: {st.ambiguous}.", line)
        if st.unreadable:
            self.log.add("unreadable_time", f"{st.text!r} is not a valid date/time.", line)
            return None
        if st.unknown:
            self.log.add("unreadable_time", f"The time {st.text!r} is written as unknown.", line)
            return None
        if st.relative_minutes is not None:
            if self.first_utc is None:
                self.log.add("relative_time", f"{st.text!r} is relative to no timed event.", line)
                return None
            return self.first_utc + timedelta(minutes=st.relative_minutes)
        if st.clock is None:
            if st.date is not None:
                self.log.add("missing_time", f"{st.text!r} gives a date but no time.", line)
            return None
        if self.day is None:
            self.log.add("undated_time", f"The time {st.text!r} has no date to sit on.", line)
            return None
        local = datetime.combine(self.day, st.clock)
        self.hint.ref = self.day
        if (
            st.date is None
            and self.last is not None
            and local < self.last
            and crosses_midnight(self.last.time(), st.clock)
        ):
            local += timedelta(days=1)
            self.day = local.date()
        self.last = local
        utc = to_utc(local, self._zone(st.zone, line))
        if self.first_utc is None:
            self.first_utc = utc
        return utc


class TimelineBuilder:
    def __init__(self, hint: DateHint, zone: str | None, log: ProblemLog) -> None:
        # a private copy: the year of bare dates ("7th Oct") follows the timeline's current day
        self.hint = DateHint(order=hint.order, incident_date=hint.incident_date, year=hint.year)
        self.clock = Clock(self.hint, zone, log)
        self.log = log
        self.events: list[TimelineEvent] = []

    def add(self, stamp: Stamp | None, text: str, line: int) -> TimelineEvent:
        text = clean_inline(text).lstrip("-–—:| ").strip()
        if stamp is None:
            self.log.add("missing_time", "A timeline entry has no time.", line)
            when, time_text = None, ""
        else:
            when, time_text = self.clock.place(stamp, line), stamp.text
        ev = TimelineEvent(
            seq=len(self.events) + 1,
            occurred_at=when,
            time_text=time_text,
            event=text,
            kind="other",  # decided once the whole timeline is read (kinds.assign_kinds)
            line=line,
        )
        self.events.append(ev)
        return ev

    def extend(self, ev: TimelineEvent, more: str) -> None:
        more = clean_inline(more)
        if more:
            ev.event = f"{ev.event} {more}".strip() if ev.event else more

    # ------------------------------------------------------------ block kinds

    def table(self, b: Block) -> None:
        header = [clean_inline(h) for h in b.rows[0]]
        # "| Day | Date (2021) | Time (PT) | Event |": the day and the clock in two columns
        d_col = next((i for i, h in enumerate(header) if _DATE_HEADER.match(h)), None)
        t_col = next((i for i, h in enumerate(header) if i != d_col and _CLOCK_HEADER.search(h)),
                     None)  # fmt: skip
        if d_col is None or t_col is None:
            d_col, t_col = (
                None,
                next((i for i, h in enumerate(header) if _TIME_HEADER.search(h)), 0),
            )
        e_col = next((i for i, h in enumerate(header)
                      if i not in (t_col, d_col) and _EVENT_HEADER.search(h)),
                     len(header) - 1 if len(header) > 1 else 0)  # fmt: skip
        zone = find_zone_note(header[t_col]) if header else None
        saved = self.clock.zone
        if zone:
            self.clock.zone = zone
        for row, line in zip(b.rows[1:], b.line_numbers[1:]):
            cell = row[t_col] if t_col < len(row) else ""
            if d_col is not None and d_col < len(row) and row[d_col].strip():
                cell = f"{row[d_col].strip()} {cell.strip()}"
            text = row[e_col] if e_col < len(row) else ""
            if _PLACEHOLDER_TIME.match(cell) or (not cell.strip() and not text.strip()):
                self.log.add(
                    "placeholder",
                    f"Timeline row {cell!r} is a template placeholder; skipped.",
                    line,
                )
                continue
            stamp = parse_stamp(cell, self.hint)
            if stamp is None:
                self.log.add(
                    "unreadable_time", f"The time {clean_inline(cell)!r} could not be read.", line
                )
                self.events.append(
                    TimelineEvent(
                        len(self.events) + 1,
                        None,
                        clean_inline(cell),
                        clean_inline(text),
                        "other",
                        line,
                    )
                )
                continue
            if stamp.rest and not text:
                text = stamp.rest
            self.add(stamp, text, line)
        self.clock.zone = saved if not zone else self.clock.zone

    def line_entry(
        self, raw: str, line: int, current: TimelineEvent | None
    ) -> TimelineEvent | None:
        """One paragraph line / list item: an event, a day marker, a zone note or a continuation."""
        stripped = raw.strip()
        if not stripped:
            return current
        if self._day_line(stripped, line):
            return None
        zone = find_zone_note(stripped)
        if zone and len(stripped) < 80 and not _STARTS_WITH_DIGIT.match(stripped):
            self.clock.zone = zone
            return None
        if _PLACEHOLDER_TIME.match(clean_inline(stripped)):
            self.log.add(
                "placeholder", "A timeline entry's time is the placeholder HH:MM; skipped.", line
            )
            return None
        stamp = parse_stamp(stripped, self.hint)
        if stamp is None:
            m = _LABEL_THEN_STAMP.match(stripped)  # "First detected: 2023-06-06 10:26"
            if m:
                stamp = parse_stamp(m.group("stamp"), self.hint)
                if stamp is not None and stamp.clock is not None and not stamp.rest:
                    return self.add(stamp, m.group("text"), line)
                stamp = None
        if stamp is None:
            if current is not None:
                self.extend(current, stripped)
            return current
        if _PLACEHOLDER_TIME.match(stripped.lstrip("-*[ ")):
            self.log.add(
                "placeholder", f"Timeline entry {stamp.text!r} is a template placeholder.", line
            )
            return None
        if stamp.clock is None and not stamp.unknown and stamp.relative_minutes is None:
            rest = stamp.rest.strip(" :.-–—")
            note_zone = find_zone_note(rest) if rest else None
            if note_zone:
                self.clock.zone = note_zone
            if not rest or rest.startswith("(") or note_zone:
                self.clock.set_day(stamp, line)  # a day marker: "**7th Sept:**", "2019-07-25:"
                return None
        return self.add(stamp, stamp.rest, line)

    def _day_line(self, stripped: str, line: int) -> bool:
        """A labelled day line ("**Date: 2023-11-22**", "Timeline for September 17, 2018: (all
        times UTC)"): later bare times sit on that day, in the zone it notes."""
        m = _DAY_LABEL.match(stripped)
        if m is None:
            return False
        stamp = parse_stamp(m.group("day"), self.hint)
        if stamp is None or stamp.date is None or stamp.clock is not None:
            return False
        rest = stamp.rest.strip(" :.-–—*_")
        zone = find_zone_note(rest) if rest else None
        if rest and not zone:
            return False
        if zone:
            self.clock.zone = zone
        self.clock.set_day(stamp, line)
        return True

    def heading(self, b: Block) -> TimelineEvent | None:
        title = b.text
        zone = find_zone_note(title)
        if zone:
            self.clock.zone = zone
        stamp = parse_stamp(title, self.hint)
        if stamp is None:
            return None
        if stamp.clock is None and not stamp.unknown and stamp.relative_minutes is None:
            self.clock.set_day(stamp, b.line)
            return None
        return self.add(stamp, stamp.rest, b.line)


def extract_timeline(
    sections: list[Section], hint: DateHint, doc_zone: str | None, log: ProblemLog
) -> list[TimelineEvent]:
    builder = TimelineBuilder(hint, doc_zone, log)
    hint = builder.hint
    for section in sections:
        # each timeline section starts again from the incident date
        if builder.hint.incident_date is not None:
            builder.clock.day = builder.hint.incident_date
            builder.hint.year, builder.hint.ref = builder.clock.day.year, builder.clock.day
        builder.clock.last = None
        zone = find_zone_note(section.title)
        if zone:
            builder.clock.zone = zone
        dm = match_date(section.title, hint)
        if dm is not None and dm.value is not None and builder.clock.day is None:
            builder.clock.day = dm.value
        current: TimelineEvent | None = None
        heading_event: TimelineEvent | None = None
        base_indent: int | None = None
        from_paragraph = False
        for b in section.tree_blocks():
            kind = b.kind
            if kind == "heading":
                heading_event = builder.heading(b)
                current = None
                base_indent = None
            elif kind == "table":
                builder.table(b)
                current = heading_event = None
            elif kind == "list_item":
                if base_indent is None or b.indent < base_indent:
                    base_indent = b.indent
                first, _, more = b.text.partition("\n")
                if b.indent > base_indent and current is not None:
                    st = parse_stamp(first, hint)
                    if st is None or (st.clock is None and st.date is None):
                        builder.extend(current, b.text.replace("\n", " "))
                        continue
                if _PLACEHOLDER_TIME.match(clean_inline(first)):
                    builder.log.add(
                        "placeholder",
                        "A timeline entry's time is the placeholder HH:MM; skipped.",
                        b.line,
                    )
                    continue
                if heading_event is not None and parse_stamp(first, hint) is None:
                    builder.extend(heading_event, b.text.replace("\n", " "))
                    continue
                if current is not None and from_paragraph and parse_stamp(first, hint) is None:
                    builder.extend(
                        current, b.text.replace("\n", " ")
                    )  # items under "16:48 – found:"
                    continue
                from_paragraph = False
                ev = builder.line_entry(first, b.line, None)
                if ev is not None and more:
                    builder.extend(ev, more.replace("\n", " "))
                if (
                    ev is None
                    and section.heading is not None  # under a bold label only timed rows count
                    and parse_stamp(first, hint) is None
                    and clean_inline(first)
                    and not _LINK_ONLY.match(b.text.strip())
                ):
                    ev = builder.add(None, b.text.replace("\n", " "), b.line)
                current = ev
            elif kind == "paragraph":
                if heading_event is not None and parse_stamp(b.lines[0], hint) is None:
                    builder.extend(heading_event, " ".join(b.lines))
                    continue
                current = None
                for raw, line in zip(b.lines, b.line_numbers):
                    current = builder.line_entry(raw, line, current)
                from_paragraph = current is not None
            # code, quotes, rules: logs and chat transcripts, not timeline rows
    return builder.events
