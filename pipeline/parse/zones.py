"""Time zones as postmortems name them: abbreviations, IANA names, UTC offsets, and the notes
that set a zone for a whole timeline ("All times in CEST")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Zone names as written -> IANA zone (DST-correct). None means UTC. People write "PST" all
# year round meaning Pacific time, so the abbreviations map to the zone, not a fixed offset.
_ZONE_NAMES: dict[str, str | None] = {
    "UTC": None, "GMT": None, "Z": None, "ZULU": None,
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "PACIFIC": "America/Los_Angeles",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "MOUNTAIN": "America/Denver",
    "CT": "America/Chicago", "CDT": "America/Chicago", "CENTRAL": "America/Chicago",
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "EASTERN": "America/New_York",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "MEZ": "Europe/Berlin",
    "BST": "Europe/London", "WET": "Europe/Lisbon", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "IST": "Asia/Kolkata", "GST": "Asia/Dubai",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
}  # fmt: skip
ZONE = re.compile(
    r"\(?\s*(?P<tz>(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|Z\b|"
    r"[A-Z][a-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|"
    r"(?:PT|PST|PDT|MT|MST|MDT|CT|CDT|ET|EST|EDT|CET|CEST|MEZ|BST|WET|EET|EEST|IST|GST|JST|KST|"
    r"SGT|AEST|AEDT)\b|(?i:utc|gmt)\b|Eastern\b|Pacific\b|Central\b|Mountain\b)"
    r"(?:\s+time)?\s*\)?"
)
_ZONE_NOTE = re.compile(
    r"(?:all\s+)?times?\s+(?:are\s+)?(?:(?:shown|given|listed)\s+)?(?:in\s+|are\s+)?(?:the\s+)?"
    r"(?P<zone>[A-Za-z]+(?:/[A-Za-z_]+)?)",
    re.IGNORECASE,
)
# "**Timezone**: CET", "Time zone: Europe/Copenhagen"
_ZONE_LABEL = re.compile(r"\btime[\s-]?zone\b\W*(?P<zone>[A-Za-z]+(?:/[A-Za-z_]+)?)", re.IGNORECASE)
_CELL_ZONE = re.compile(r"\((?P<zone>[A-Za-z]+(?:/[A-Za-z_]+)?)\)|\bin\s+(?P<zone2>[A-Z]{2,5})\b")
_ZONE_CACHE: dict[str, ZoneInfo | None] = {}


_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")


class UnknownZone(ValueError):
    pass


def zone_from_name(name: str) -> ZoneInfo | timezone | None:
    """'PST' -> America/Los_Angeles, 'UTC+2' -> fixed offset, 'UTC' -> None; UnknownZone otherwise."""
    key = name.strip().upper()
    if key in _ZONE_NAMES:
        iana = _ZONE_NAMES[key]
        if iana is None:
            return None
        if iana not in _ZONE_CACHE:
            _ZONE_CACHE[iana] = ZoneInfo(iana)
        return _ZONE_CACHE[iana]
    m = _OFFSET.fullmatch(key)
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(delta if m.group(1) == "+" else -delta)
    if "/" in name:
        area = name.split("/")[-1].upper()
        if area in _ZONE_NAMES:  # "UC/Pacific" typo, "US/Pacific" alias
            return zone_from_name(area)
        try:
            return ZoneInfo(name.strip())
        except Exception as exc:
            raise UnknownZone(name) from exc
    raise UnknownZone(name)


def find_zone_note(s: str) -> str | None:
    """The zone named by a note such as "All times in CEST" / "(all times PST)" / "Time (PT)"."""
    m = _ZONE_LABEL.search(s)
    if m and (m.group("zone").upper() in _ZONE_NAMES or "/" in m.group("zone")):
        return m.group("zone")
    for m in _ZONE_NOTE.finditer(s):
        z = m.group("zone")
        if z.upper() in _ZONE_NAMES or "/" in z:
            return z
    m = _CELL_ZONE.search(s)
    if m:
        z = m.group("zone") or m.group("zone2")
        if z.upper() in _ZONE_NAMES or "/" in z:
            return z
    return None


def to_utc(local: datetime, zone: ZoneInfo | timezone | None) -> datetime:
    """A naive local time in `zone` -> naive UTC."""
    if zone is None:
        return local
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
