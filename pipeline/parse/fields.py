"""Read single field values: severity, status, duration, users affected, data loss, lists.

Each reader takes the value as written (inline Markdown already removed) and returns the
normalised value or None; callers decide which warning to give.

Mapping decisions (also in the README):
- Severity: P0..P3 as written; SEVn / Sev-n / Sev n / Sn / a bare n -> Pn (both scales count down from the
  most severe, and keeping the written number is the reading least likely to surprise).
  Words: Critical -> P0 (the worst level, "P0 (critical)" is how the template pairs them),
  Major/High -> P1, Medium/Moderate -> P2, Minor/Low -> P3. Several levels written (SEV-1 and
  SEV-2) -> the most severe. P4/SEV4 and anything else -> NULL + 'unknown_severity'.
- Status: Final, Complete(d), Resolved, Closed, Published, Reviewed, Done -> FINAL (they say
  the document/incident is finished); Draft, In progress, In review, WIP, Open, Ongoing ->
  DRAFT; anything else -> NULL + 'unknown_status'.
"""

from __future__ import annotations

import re

_P = re.compile(r"\bP\s?([0-9])\b", re.IGNORECASE)
_SEV = re.compile(r"\bsev(?:erity)?[\s_-]*([0-9])\b", re.IGNORECASE)
_SEVERITY_WORDS = {
    "critical": "P0", "blocker": "P0", "catastrophic": "P0", "emergency": "P0",
    "major": "P1", "high": "P1", "severe": "P1", "serious": "P1",
    "medium": "P2", "moderate": "P2", "significant": "P2",
    "minor": "P3", "low": "P3", "trivial": "P3", "negligible": "P3",
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")


_BARE_LEVEL = re.compile(r"^\W*S?([0-9])\b", re.IGNORECASE)  # "2", "S1" in a severity field


def parse_severity(value: str) -> str | None:
    levels = [int(x) for x in _P.findall(value)] + [int(x) for x in _SEV.findall(value)]
    if not levels:
        bare = _BARE_LEVEL.match(value)
        if bare:
            levels = [int(bare.group(1))]
    if levels:
        best = min(levels)
        return f"P{best}" if best <= 3 else None
    words = _WORD.findall(value.lower())
    if words and words[0] in ("none", "no", "not", "non"):
        return None
    for w in words[:3]:
        if w in _SEVERITY_WORDS:
            return _SEVERITY_WORDS[w]
    return None


_FINAL_WORDS = ("final", "complete", "completed", "resolved", "closed", "published", "reviewed",
                "done", "approved", "finished", "finalised", "finalized")  # fmt: skip
_DRAFT_WORDS = ("draft", "in progress", "in review", "wip", "open", "ongoing", "investigating",
                "pending", "under review", "work in progress", "preliminary")  # fmt: skip


def parse_status(value: str) -> str | None:
    v = value.strip().lower()
    for w in _DRAFT_WORDS:
        if v.startswith(w):
            return "DRAFT"
    for w in _FINAL_WORDS:
        if v.startswith(w):
            return "FINAL"
    return None


_DUR_PART = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>days?|d(?![a-z])|hours?|hrs?|h(?![a-z])|"
    r"minutes?|mins?|m(?![a-z])|seconds?|secs?|s(?![a-z]))",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\([^)]*\)")


_H_MIN = re.compile(r"(?<![\d.])(\d{1,3})\s*h\s*(\d{2})(?!\d)(?!\s*(?:m|min))", re.IGNORECASE)
_CLOCK_DURATION = re.compile(r"^\W*(\d{1,3}):([0-5]\d)(?::[0-5]\d)?\W*$")


def parse_duration(value: str) -> int | None:
    """Minutes in "4 hours 17 minutes", "2h 45m", "approx. 6 hours", "1 day 3 hours", "~24h40m",
    "1h30" and a bare "1:30" (hours:minutes)."""
    v = _PAREN.sub(" ", value)
    m = _CLOCK_DURATION.match(v)
    if m:
        return int(m.group(1)) * 60 + int(m.group(2))
    v = _H_MIN.sub(r"\1h \2m", v)
    total = 0.0
    found = False
    last_end = None
    for m in _DUR_PART.finditer(v):
        if last_end is not None and v[last_end : m.start()].strip(" ,and") not in ("",):
            break  # only the first run of parts: "5 hours 26 minutes, then 2 hours" -> 5h26
        n = float(m.group("n").replace(",", "."))
        u = m.group("u").lower()
        if u.startswith("d"):
            total += n * 1440
        elif u.startswith("h"):
            total += n * 60
        elif u.startswith("m"):
            total += n
        else:
            total += n / 60
        found = True
        last_end = m.end()
    return round(total) if found else None


_USERS = re.compile(
    r"(?P<n>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)\s*(?P<mult>k|m|b|thousand|million|billion)?\b"
    r"(?!\s*%)",
    re.IGNORECASE,
)
_THOUSANDS = re.compile(r"[,\s]")
_AT_HANDLE = re.compile(r"(^|[\s,/+&(])@(?=\w)")
_PCT = re.compile(r"(?P<p>\d+(?:\.\d+)?)\s*%")
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
UNKNOWN_WORDS = frozenset({"unknown", "n/a", "na", "?", "tbd", "unclear", "not known", "-", "none"})


def parse_users(value: str) -> tuple[int | None, float | None]:
    """("~1.2M users / 15% of traffic") -> (1200000, 15.0); unknown parts are None."""
    pct_m = _PCT.search(value)
    pct = float(pct_m.group("p")) if pct_m else None
    rest = _PCT.sub(" ", value)
    users = None
    m = _USERS.search(rest)
    if m:
        n = float(_THOUSANDS.sub("", m.group("n")))
        mult = (m.group("mult") or "").lower()
        users = round(n * _MULT.get(mult, 1))
    return users, pct


def parse_data_loss(value: str) -> str | None:
    v = value.strip().lower()
    if v.startswith(("none", "no", "n/a", "nil", "zero", "0")):
        return "None"
    if v.startswith(("partial", "some", "limited", "minor")):
        return "Partial"
    if v.startswith(("complete", "total", "full", "all")):
        return "Complete"
    return None


_LIST_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\+)\s*")


_HANDLES = re.compile(r"^@[\w.-]+(?:\s+@[\w.-]+)+$")


def split_list(value: str) -> list[str]:
    """'alice, @bob and carol' -> ['alice', '@bob', 'carol']; '@a @b' -> ['@a', '@b']."""
    out: list[str] = []
    for part in _LIST_SPLIT.split(value):
        part = part.strip(" .")
        if _HANDLES.match(part):
            out.extend(part.split())
        elif part:
            out.append(part)
    return out


def clean_owner(value: str) -> str | None:
    v = value.strip()
    if not v or v.lower() in UNKNOWN_WORDS or v.lower() in ("tbd", "tba", "nobody", "unassigned"):
        return None
    if "@" in v:
        v = _AT_HANDLE.sub(r"\1", v)
    return v.strip() or None
