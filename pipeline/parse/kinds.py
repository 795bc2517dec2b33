"""Classify a timeline event's wording into a `kind` with an ordered keyword table.

The first rule that matches wins, so explicit markers ("**OUTAGE BEGINS**", "outage ends")
come first, then the later stages of an incident before the earlier ones: "on-call acks the
page" is an acknowledgement although it mentions the page; "alert cleared, back to normal" is
a restoration although it mentions the alert.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES: tuple[tuple[str, str], ...] = (
    (
        "impact_start",
        (
            r"\boutage (?:begins|began|starts|started)\b|\bimpact (?:begins|began|starts|"
            r"started)\b|\bproblem (?:starts|started|begins|began)\b|\boutage start"
        ),
    ),
    ("restored", r"\boutage (?:ends|ended|is over)\b|\boutage resolved\b"),
    ("mitigation", r"\boutage mitigated\b"),
    ("root_cause", r"^\W*root cause\b"),
    (
        "all_clear",
        (
            r"\ball[- ]clear\b|\bdeclared (?:resolved|over|closed)\b|\bincident (?:was |is )?(?:closed|resolved|over)\b|"
            r"\b(?:closed|resolved|closing) (?:the |this )?incident\b|\bstood down\b|"
            r"\bstand[- ]down\b|\bincident ended\b|\bpost[- ]?mortem (?:scheduled|started)\b|"
            r"\bmonitoring period (?:ended|complete)"
        ),
    ),
    (
        "restored",
        (
            r"\brestored\b|\brepaired\b|\bback to normal\b|\brecovered\b|\bfully (?:operational|functional|"
            r"recovered|available)\b|\bback (?:up|online|in service)\b|\bservices? (?:is |are )?"
            r"(?:back|up|available|healthy)\b|\bresume[sd]\b|\brecovery complete\b|\bhealthy again\b|"
            r"\bverified operational\b|\boperational again\b|\berror rates? (?:returned|dropped|"
            r"fell|back)\b|\bnormal operation|\bresolved\b|\bno (?:more|further) errors\b|"
            r"\bworking again\b|\bblocks? (?:production )?resumed\b|\bchain (?:resumed|restarted)\b"
        ),
    ),
    (
        "root_cause",
        (
            r"\broot[- ]?caus|\bas the (?:likely |probable |main )?cause\b|\bidentified the (?:cause|issue|problem|bug|culprit)\b|"
            r"\bcause (?:was |is )?(?:identified|found|determined|confirmed)\b|"
            r"\bf(?:ou|i)nds? the (?:cause|bug|issue|problem)\b|\bfound the (?:cause|bug|issue|problem)\b|\bdiagnos(?:ed|is)\b|"
            r"\bculprit\b|\bidentified (?:as|that)\b|\bdetermined that\b|\brealized\b|"
            r"\bdiscovered (?:that|the)\b"
        ),
    ),
    (
        "mitigation",
        (
            r"\bmitigat|\broll(?:ed|ing)? ?back\b|\brollback\b|\brevert|\bhot ?fix|"
            r"\bpatch(?:ed)?\b|\bworkaround\b|\bfail(?:ed)? ?over\b|\bfix (?:was )?(?:deployed|"
            r"applied|released|pushed|merged|rolled out)\b|\bdeploy(?:ed|ing)? (?:a |the )?fix\b|"
            r"\bscal(?:ed|ing) (?:up|out|down)\b|\brestart(?:ed|ing)?\b|\brebooted?\b|"
            r"\bdisabled?\b|\bblock(?:ed)?\b|\brotat(?:ed|ing)\b|\bkilled\b|\bdrain(?:ed)?\b|"
            r"\bapplied\b|\breplaced\b|\bredeploy|\bremoved\b|\bflush(?:ed)?\b|\bturned off\b|"
            r"\bdeployed\b|\buploaded\b|\bpromoted\b|\braised the\b|\bincreased the\b|"
            r"\bextended the\b|\benabled\b|\bswitched (?:to|over)\b|\bcircuit breaker\b|"
            r"\brerouted\b|\bredirected\b|\brestore from\b|\bstopped the\b|"
            r"\bput (?:the )?(?:previous|old)\b|\bre-?creat(?:ed|ing)\b|\bre-?added\b|\bre-?issued\b|\bresized\b|\bpaused\b|\bmoved traffic\b"
        ),
    ),
    (
        "acknowledged",
        (
            r"\backnowledg|\back(?:s|ed)?\b|\bon[- ]?call (?:responds|responded|joins|joined|"
            r"engaged|is looking)\b|\bincident (?:declared|opened|created|started)\b|"
            r"\bdeclared (?:an |the )?incident\b|\b(?:began|begins|started|starts) "
            r"investigat|\binvestigating\b|\binvestigation (?:began|started)\b|"
            r"\bresponders? (?:join|engage)|\bwar ?room\b|\bincident channel\b|"
            r"\bescalat"
        ),
    ),
    (
        "alert",
        (
            r"\balert|\bpag(?:ed|es|ing)\b|(?<!status )\bpage\b|\bpagerduty\b|\balarm|"
            r"\bfire[sd]\b|\btriggered\b|\bfirst report|\breport(?:s|ed)\b|"
            r"\b(?:tests?|checks?|probes?|canary)\b.*\bfail(?:s|ed|ing)?\b|\bdetected\b|\bnotified\b|\bnoticed\b|"
            r"\bmonitor(?:ing)? (?:flagged|showed|caught)\b|\bopsgenie\b|\bcustomer (?:complain|"
            r"report)|\bwarning from\b|\bautomated (?:message|warning)\b"
        ),
    ),
    (
        "impact_start",
        (
            r"\bwent down\b|\b(?:starts?|started|begins?|began) (?:climbing|rising|"
            r"to (?:climb|rise|fail|error))\b|\brises? above\b|\bclimb(?:s|ing)\b|\bspik(?:es|ed|ing)\b|\b(?:began|started|starts) (?:failing|erroring|to fail)\b|"
            r"\berrors? (?:began|started|spiked)\b|\blatency (?:spiked|increased)\b|"
            r"\bstopped (?:working|responding|producing)\b|\bunavailable\b|\bdown\b|"
            r"\bhalt(?:ed|s)?\b|\bcrash(?:ed|ing|looping)?\b|\bfail(?:ed|ing|ure)\b"
        ),
    ),
)
_COMPILED = tuple((kind, re.compile(rx, re.IGNORECASE)) for kind, rx in _RULES)


@lru_cache(maxsize=16384)
def classify_event(text: str) -> str:
    """The kind of an event; a long entry is judged by its first sentence first (what happened
    at that time), the rest only when the first sentence says nothing."""
    first, sep, _ = text.partition(". ")
    if sep:
        kind = _classify(first)
        if kind != "other":
            return kind
    return _classify(text)


def _classify(text: str) -> str:
    for kind, rx in _COMPILED:
        if rx.search(text):
            return kind
    return "other"
