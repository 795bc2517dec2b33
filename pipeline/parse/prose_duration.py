"""A duration told in prose: "lasting 1 hour and 48 minutes", "a 4-hour downtime", "the outage
itself was about 90 minutes", "it took us 9 hours to resolve".

Many real postmortems have no "Duration:" line but say how long the outage lasted in their
summary or narrative, and the labelling guide counts that as written: it beats the front
matter's window and the timeline. A number of minutes is everywhere in prose ("we waited 30
minutes", "the cache is kept for 6 hours"), so a phrase counts only when the duration is tied
to the outage by the words around it (one of `_TIED`), and only outside the sections that tell
other spans (the timeline, actions, lessons, the whys and the root cause). The first such
phrase in document order wins: summaries come first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.parse.blocks import Block
from pipeline.parse.sections import Section
from pipeline.parse.text import clean_inline

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90,
    "twenty-four": 24, "thirty-six": 36, "forty-eight": 48, "seventy-two": 72,
}  # fmt: skip
_NUMBER = (
    r"(?:\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
    + r")"
)
_UNIT = r"(?:days?|hours?|hrs?|h|minutes?|mins?|m)"
_PART = rf"{_NUMBER}[\s-]*{_UNIT}(?![a-z])"
_DURATION = rf"({_PART}(?:(?:\s*,\s*|\s+and\s+|\s*){_PART})*)"
"""One capturing group: the duration's words."""
_ABOUT = (
    r"(?:(?:about|approximately|approx\.?|around|roughly|nearly|almost|just (?:over|under)|"
    r"over|under|some|~|an estimated(?: time of)?|a total of|a period of|only)\s*)*"
)
_OUTAGE = r"(?:outage|downtime|disruption|interruption|degradation|unavailability|failure|incident)"

_OUTAGE_WORD = rf"(?:{_OUTAGE}|down|offline|unavailable)"
_RECOVERY = r"(?:fixed|resolved|restored|recovered|mitigated)"
_TIME_TO = r"time to (?:resolution|resolve|recovery|recover|restore|repair)"
_TO_FIX = r"(?:to\s+(?:resolve|fix|restore|recover|mitigate)|from the (?:start|beginning))"
_TIES = (
    # "lasting 1 hour and 48 minutes", "an incident lasting 9 hours and 48 minutes"
    rf"\blast(?:ing|ed|s)\s+(?:for\s+)?{_ABOUT}{_DURATION}",
    # "a 4-hour downtime", "6-minute public outage", "25 minutes of downtime"
    rf"\b{_DURATION}(?:\s+of|[\s-]+(?:[a-z]+\s+){{0,2}}?){_OUTAGE}",
    # "Downtime for 30 hours", "the outage itself was about 90 minutes", "down for 3h"
    rf"\b{_OUTAGE_WORD}\s+(?:[a-z]+\s+){{0,3}}?(?:for|was|of)\s+{_ABOUT}{_DURATION}",
    # "Total time to resolution approximately 49 minutes", "fixed in about 40 minutes"
    rf"\b(?:{_TIME_TO}\W*|{_RECOVERY} (?:with)?in\s+){_ABOUT}{_DURATION}",
    # "it took us 9 hours to resolve", "took 1 hour and 31 minutes from the start"
    rf"\btook(?:\s+us)?\s+{_ABOUT}{_DURATION}\s+{_TO_FIX}",
)
_TIED = re.compile("|".join(_TIES), re.IGNORECASE)
_CLOCK = r"~?(?P<{0}h>\d{{1,2}})(?:[:.](?P<{0}m>[0-5]\d))?\s*(?P<{0}p>[ap]\.?\s?m\b\.?)?"
_ZONE = r"(?:\s*\(?[A-Z]{2,5}\)?)?"
_CLOCK_RANGE = re.compile(
    rf"\b(?:between|from)\s+(?:the hours of\s+)?{_CLOCK.format('a')}{_ZONE}\s+"
    rf"(?:and|to|until|till|-)\s+{_CLOCK.format('b')}",
    re.IGNORECASE,
)
_OUTAGE_TOLD = re.compile(
    r"\b(?:outage|down|broken|unavailable|inaccessible|disrupt\w*|degrad\w*|errors?|fail\w*|"
    r"impact\w*|incident|issues?|unable|unreachable|lost)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_UNIT_WORD = re.compile(r"minute|hour|days?\b|\d\s*(?:h|m|hrs?|mins?)\b", re.IGNORECASE)
_RANGE_WORD = re.compile(r"\b(?:between|from)\b", re.IGNORECASE)
_PARTS = re.compile(rf"(?P<n>{_NUMBER})[\s-]*(?P<u>{_UNIT})(?![a-z])", re.IGNORECASE)

_OTHER_SPANS = frozenset(
    {"timeline", "actions", "categorized_actions", "lessons", "technical_lessons",
     "process_lessons", "cultural_lessons", "whys", "root_cause", "detection_gap", "appendix"}
)  # fmt: skip
"""Sections whose numbers of minutes are other spans than the outage's."""
_PROSE_KINDS = frozenset({"paragraph", "list_item"})


_APPROXIMATE = re.compile(
    r"about|approx|around|roughly|nearly|almost|just|some|~|estimated", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ProseDuration:
    minutes: int
    words: str
    """The phrase it was read from, as written."""
    line: int
    rounding: int
    """How far the true figure may lie from `minutes`: half the smallest unit the phrase uses
    when it says the figure is approximate ("about 3 hours": 30), else 0."""


def minutes_of(words: str) -> int | None:
    """Minutes in a run of parts such as "1 hour and 48 minutes", "five hours", "a 4-hour"."""
    total = 0.0
    for m in _PARTS.finditer(words):
        n_text = m.group("n").lower()
        n = float(n_text) if n_text[0].isdigit() else _WORD_NUMBERS[n_text]
        unit = m.group("u").lower()
        total += n * (1440 if unit.startswith("d") else 60 if unit.startswith("h") else 1)
    return round(total) if total > 0 else None


def find_prose_duration(root: Section) -> ProseDuration | None:
    """The first duration tied to the outage in the document's prose, else None."""
    for block, text in _prose_blocks(root, _UNIT_WORD):
        m = _TIED.search(text)
        if m is not None:
            words = next(g for g in m.groups() if g)
            minutes = minutes_of(words)
            if minutes:
                return ProseDuration(minutes, m.group(0), block.line, _rounding(m.group(0), words))
    return None


def find_clock_window(root: Section) -> ProseDuration | None:
    """The first window of clock times the prose tells of the outage ("all crate downloads
    were broken between 12:17 and 12:30 UTC"), else None. Weaker than a stated figure or the
    front matter's window: such a sentence may tell of a part of the incident (when data was
    lost, one service's errors)."""
    for block, text in _prose_blocks(root, _RANGE_WORD):
        window = _clock_window(text, block.line)
        if window is not None:
            return window
    return None


def _clock_window(text: str, line: int) -> ProseDuration | None:
    """A same-day window of clock times in a sentence that tells of the outage."""
    for m in _CLOCK_RANGE.finditer(text):
        start, end = _clock_minutes(m, "a"), _clock_minutes(m, "b")
        if start is None or end is None or not _OUTAGE_TOLD.search(_sentence(text, m)):
            continue
        minutes = (end - start) % 1440  # past midnight: "from 23:02 to 00:40"
        if 0 < minutes <= 720:
            return ProseDuration(minutes, m.group(0).strip(), line, 0)
    return None


def _sentence(text: str, m: re.Match[str]) -> str:
    """The sentence of `text` that holds the match."""
    starts = [e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())]
    end = _SENTENCE_END.search(text, m.end())
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _clock_minutes(m: re.Match[str], side: str) -> int | None:
    """Minutes after midnight of one end of the range; None when it is not a clock time."""
    hour, minute, half = int(m.group(f"{side}h")), m.group(f"{side}m"), m.group(f"{side}p")
    if side == "a" and half is None:
        half = m.group("bp")  # "between 10:00 and 10:40 AM": the start shares the end's
    if minute is None and half is None:
        return None  # "from 6 to 3" is a count, not a time
    if half is not None:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    return hour * 60 + int(minute or 0) if hour <= 23 else None


def _rounding(phrase: str, words: str) -> int:
    if not _APPROXIMATE.search(phrase):
        return 0
    parts = [(m.group("n"), m.group("u").lower()[0]) for m in _PARTS.finditer(words)]
    minutes = [n for n, unit in parts if unit == "m"]
    if minutes:  # "about 40 minutes" is rounded; "~19 hours and 33 minutes" is not
        return 5 if minutes[-1].isdigit() and int(minutes[-1]) % 5 == 0 else 0
    return 30 if any(unit == "h" for _, unit in parts) else 720


def _prose_blocks(root: Section, needle: re.Pattern[str]) -> Iterator[tuple[Block, str]]:
    """The prose blocks outside `_OTHER_SPANS` whose text holds `needle`, cleaned. The needle
    is looked for first, in the raw text: most blocks hold no duration, and the full patterns
    and the cleaning cost ~0.5 ms a document when run on all of them."""
    for section in root.walk():
        if section.key in _OTHER_SPANS or not section.ancestor_keys.isdisjoint(_OTHER_SPANS):
            continue
        for block in section.blocks:
            if block.kind in _PROSE_KINDS:
                raw = " ".join(block.lines) if block.kind == "paragraph" else block.text
                if needle.search(raw):
                    yield block, " ".join(clean_inline(raw).split())
