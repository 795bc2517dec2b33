"""An incident's timeline: when things happened, then how the author wrote the times down.

Times are drawn as minute offsets from the start of impact (a log-normal duration, so a few
incidents run for days), then laid on the local clock of the incident date and written in
the document's style: HH:MM (rolling over midnight), full stamps when the incident spans days,
a zone other than UTC in the header or in each cell. The truth is always the UTC instant.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from devtools.generate import vocabulary as v
from devtools.generate.truth import TruthEvent
from devtools.generate.wording import MONTHS, pick, weighted

UTC = ZoneInfo("UTC")
# Header zones are regional names whose offset follows daylight saving; cell zones are written
# as the abbreviation in force on the day (PST in winter, PDT in summer), so both are exact.
HEADER_ZONES = (("PT", ZoneInfo("America/Los_Angeles")), ("ET", ZoneInfo("America/New_York")))
CELL_ZONES = (
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/Berlin"),
)
# Most incidents start in working hours (deploys, config pushes), but not all.
HOUR_TABLE = weighted([(h, 3 if 9 <= h <= 17 else 2 if 6 <= h <= 22 else 1) for h in range(24)])
ALERT_WORDING = {
    "automated_monitoring": "alert_monitoring",
    "customer_report": "alert_customer",
    "internal_user": "alert_internal",
    "automated_test": "alert_test",
}
PLACEHOLDER_EVENTS = {"root_cause": "Root cause identified", "all_clear": "All-clear declared"}


@dataclass(slots=True)
class TimeRow:
    time_text: str
    event: str
    truth: TruthEvent | None
    """None for a placeholder row ('HH:MM') that a parser must skip."""


@dataclass(slots=True)
class Offsets:
    events: list[tuple[int, str, str]]
    """(minutes from the first event, kind, EVENT_WORDING key), strictly increasing."""
    real_duration: int
    """First event to service restored, in minutes: what an honest author writes."""


@dataclass(slots=True)
class WrittenTimeline:
    header: str
    """The time column's header, e.g. 'Time (UTC)', 'Time (PT)'."""
    rows: list[TimeRow]
    truth: list[TruthEvent]
    bullets: bool
    quirks: list[str] = field(default_factory=list)


def _detection_delay(rng: random.Random, detected_by: str) -> int:
    if detected_by == "automated_monitoring":
        return int(rng.expovariate(1 / 5)) + 1
    if detected_by == "customer_report":
        return rng.randint(15, 200)
    if detected_by == "internal_user":
        return rng.randint(8, 90)
    return rng.randint(5, 120)


def draw_offsets(rng: random.Random, detected_by: str) -> Offsets:
    """When each step happened, in minutes from the first event."""
    duration = int(math.exp(rng.gauss(math.log(70), 1.0)))
    duration = min(max(duration, 8), 5 * 1440)
    delay = _detection_delay(rng, detected_by)
    if delay >= duration - 5:
        duration = delay + rng.randint(6, 40)
    has_impact_start = rng.random() < 0.55
    events: list[tuple[int, str, str]] = []
    alert_at = delay if has_impact_start else 0
    restored_at = duration if has_impact_start else duration - delay
    if has_impact_start:
        events.append((0, "impact_start", "impact_start"))
    events.append((alert_at, "alert", ALERT_WORDING[detected_by]))
    span = restored_at - alert_at
    ack_at = alert_at + min(rng.randint(1, 15), max(span // 4, 1))
    if rng.random() < 0.9:
        events.append((ack_at, "acknowledged", "acknowledged"))
    rc_at = ack_at + int((restored_at - ack_at) * rng.uniform(0.2, 0.6))
    if rng.random() < 0.85:
        events.append((rc_at, "root_cause", "root_cause"))
    mit_at = rc_at + int((restored_at - rc_at) * rng.uniform(0.1, 0.7))
    if rng.random() < 0.9:
        events.append((mit_at, "mitigation", "mitigation"))
    events.append((restored_at, "restored", "restored"))
    if rng.random() < 0.8:
        events.append((restored_at + rng.randint(10, 180), "all_clear", "all_clear"))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        events.append((rng.randint(alert_at, restored_at), "other", "other"))
    events.sort(key=lambda e: e[0])
    # Times strictly follow each other in a real timeline: nudge equal offsets apart.
    fixed: list[tuple[int, str, str]] = []
    last = -1
    for off, kind, key in events:
        off = max(off, last + 1)
        fixed.append((off, kind, key))
        last = off
    restored_off = next(o for o, k, _ in fixed if k == "restored")
    return Offsets(fixed, restored_off - fixed[0][0])


def write_timeline(
    rng: random.Random,
    offsets: Offsets,
    incident_date: date,
    wording: dict[str, str],
    placeholder_allowed: bool,
) -> WrittenTimeline:
    """Lay the offsets on the local clock of `incident_date` and write them as an author would.
    `wording` fills the event templates (svc, cause, who, fix)."""
    events = offsets.events
    start_minute = pick(rng, HOUR_TABLE) * 60 + rng.randint(0, 59)
    local_start = datetime(incident_date.year, incident_date.month, incident_date.day)
    local_start += timedelta(minutes=start_minute)
    total_span = events[-1][0]
    quirks: list[str] = []

    zone = UTC
    zone_style = "utc"
    header = "Time (UTC)"
    bullets = rng.random() < 0.15
    r = rng.random()
    # A bullet list has no header to name a zone in, so its times carry the zone themselves.
    if r < 0.08 and not bullets:
        name, zone = rng.choice(HEADER_ZONES)
        zone_style = "header"
        header = f"Time ({name})"
    elif r < 0.14:
        zone = rng.choice(CELL_ZONES)
        zone_style = "cell"
        header = "Time"
    if zone is not UTC:
        a = local_start.replace(tzinfo=zone)
        b = (local_start + timedelta(minutes=total_span)).replace(tzinfo=zone)
        if a.utcoffset() != b.utcoffset():  # a DST change inside the incident: keep UTC
            zone, zone_style, header = UTC, "utc", "Time (UTC)"
        else:
            quirks.append("zone_" + zone_style)
    to_utc = -local_start.replace(tzinfo=zone).utcoffset() if zone is not UTC else timedelta(0)
    abbrev = local_start.replace(tzinfo=zone).tzname() if zone_style == "cell" else ""

    # HH:MM cannot say that a day or more passed between two rows: long incidents get stamps.
    multi_day = (start_minute + total_span) >= 1440 and total_span >= 20 * 60
    full_stamps = multi_day or rng.random() < 0.04
    month_day_style = (
        full_stamps
        and rng.random() < 0.3
        and ((local_start + timedelta(minutes=total_span)).year == local_start.year)
    )
    if full_stamps:
        quirks.append("full_timestamps")
    if (start_minute + total_span) >= 1440 and not full_stamps:
        quirks.append("crosses_midnight")

    fix = rng.choice(wording["fixes"]).format(**wording["fill"])
    placeholder_kind = None
    if placeholder_allowed and rng.random() < 0.5:
        placeholder_kind = rng.choice(("root_cause", "all_clear"))
    rows: list[TimeRow] = []
    truth: list[TruthEvent] = []
    for off, kind, key in events:
        local = local_start + timedelta(minutes=off)
        clock = f"{local.hour:02d}:{local.minute:02d}"
        if not full_stamps:
            text = clock
        elif month_day_style:
            text = f"{MONTHS[local.month - 1]} {local.day} {clock}"
        else:
            text = f"{local.year}-{local.month:02d}-{local.day:02d} {clock}"
        if zone_style == "cell":
            text = f"{text} {abbrev}"
        event = rng.choice(v.EVENT_WORDING[key]).format(
            svc=wording["svc"], cause=wording["cause"], who=wording["who"], fix=fix
        )
        if kind == placeholder_kind:
            rows.append(TimeRow("HH:MM", PLACEHOLDER_EVENTS[kind], None))
            placeholder_kind = None
            quirks.append("placeholder_time")
            continue
        ev = TruthEvent(local + to_utc, kind, text, event)
        truth.append(ev)
        rows.append(TimeRow(text, event, ev))
    return WrittenTimeline(header, rows, truth, bullets, quirks)
