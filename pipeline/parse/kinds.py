"""Classify a timeline event's wording into a `kind` with an ordered keyword table.

The first rule that matches wins, so explicit markers ("**OUTAGE BEGINS**", "outage ends")
come first, then the later stages of an incident before the earlier ones: "on-call acks the
page" is an acknowledgement although it mentions the page; "alert cleared, back to normal" is
a restoration although it mentions the alert. A long entry is judged by its first sentence
first (what happened at that time), the rest only when the first sentence says nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (kind, patterns): the patterns of one rule are alternatives, matched case-insensitively
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # explicit markers
    ("impact_start", (
        r"\boutage (?:begins|began|starts|started)\b", r"\bimpact (?:begins|began|starts|started)\b",
        r"\bproblem (?:starts|started|begins|began)\b", r"\boutage start",
    )),
    ("restored", (r"\boutage (?:ends|ended|is over)\b", r"\boutage resolved\b")),
    ("mitigation", (r"\boutage mitigated\b",)),
    ("root_cause", (r"^\W*root cause\b",)),
    # later stages before earlier ones
    ("all_clear", (
        r"\ball[- ]clear\b", r"\bissue (?:is|was) closed\b", r"\bdeclared (?:resolved|over|closed)\b",
        r"\bincident (?:was |is )?(?:closed|resolved|over)\b",
        r"\b(?:closed|resolved|closing) (?:the |this )?incident\b", r"\bstood down\b",
        r"\bstand[- ]down\b", r"\bincident ended\b", r"\bpost[- ]?mortem (?:scheduled|started)\b",
        r"\bmonitoring period (?:ended|complete)",
    )),
    ("restored", (
        r"\brestored\b", r"\brepaired\b", r"\brecovered\b", r"\bresume[sd]\b", r"\bresolved\b",
        r"\bback to (?:normal|zero|green)\b", r"\bback (?:up|online|in service)\b",
        r"\bfully (?:operational|functional|recovered|available)\b", r"\bfully recover",
        r"\brecover(?:s|ed)? fully\b", r"\bservices? (?:is |are )?(?:back|up|available|healthy)\b",
        r"\b(?:created|producing|produced|working|signing|running|moving|online|up|healthy|operational) again\b",
        r"\brecovery complete\b", r"\bverified operational\b", r"\bnormal operation",
        r"\berror rates? (?:returned|dropped|fell|back)\b", r"\bno (?:more|further) errors\b",
        r"\bblocks? (?:production )?resumed\b", r"\bchain (?:resumed|restarted)\b",
    )),
    ("root_cause", (
        r"\broot[- ]?caus", r"\bas the (?:likely |probable |main )?cause\b",
        r"\bidentified the (?:cause|issue|problem|bug|culprit)\b",
        r"\bcause (?:was |is )?(?:identified|found|determined|confirmed)\b",
        r"\bf(?:ou|i)nds? the (?:cause|bug|issue|problem)\b", r"\bdiagnos(?:ed|is)\b",
        r"\bculprit\b", r"\bidentified (?:as|that)\b", r"\b(?:is|was) identified\b",
        r"\bdetermine[sd]? that\b", r"\brealized\b", r"\bdiscovered (?:that|the)\b",
    )),
    ("mitigation", (
        r"\bmitigat", r"\broll(?:ed|ing)? ?back\b", r"\brollback\b", r"\brevert", r"\bhot ?fix",
        r"\bpatch(?:ed)?\b", r"\bworkaround\b", r"\bfail(?:ed)? ?over\b",
        r"\bfix (?:was )?(?:deployed|applied|released|pushed|merged|rolled out|implemented)\b",
        r"\bdeploy(?:ed|ing)? (?:a |the )?fix\b", r"\bscal(?:ed|ing) (?:up|out|down)\b",
        r"\brestart(?:ed|ing)?\b", r"\brebooted?\b", r"\bdisabled?\b", r"\bblocked\b",
        r"\brotat(?:ed|ing)\b", r"\bkilled\b", r"\bdrain(?:ed)?\b", r"\bapplied\b", r"\breplaced\b",
        r"\bredeploy", r"\bremoved\b", r"\bflush(?:ed)?\b", r"\bturned off\b", r"\bdeployed\b",
        r"\buploaded\b", r"\bpromoted\b", r"\braised the\b", r"\bincreased the\b",
        r"\bextended the\b", r"\benabled\b", r"\bswitched (?:to|over)\b", r"\bcircuit breaker\b",
        r"\brerouted\b", r"\bredirected\b", r"\brestore from\b", r"\bstopped the\b",
        r"\b(?:were|was) (?:stopped|revoked|shut down)\b", r"\brevoked\b", r"\bimplemented\b",
        r"\bput (?:the )?(?:previous|old)\b", r"\bre-?creat(?:ed|ing)\b", r"\bre-?added\b",
        r"\bre-?issued\b", r"\bresized\b", r"\bpaused\b", r"\bmoved traffic\b",
    )),
    ("acknowledged", (
        r"\backnowledg", r"\back(?:s|ed)?\b",
        r"\bon[- ]?call (?:responds|responded|joins|joined|engaged|is looking)\b",
        r"\bincident (?:declared|opened|created|started)\b", r"\bdeclared (?:an |the )?incident\b",
        r"\b(?:began|begins|started|starts) investigat", r"\binvestigating\b",
        r"\binvestigation (?:began|started)\b", r"\bresponders? (?:join|engage)", r"\bwar ?room\b",
        r"\bincident channel\b", r"\bescalat",
    )),
    ("alert", (
        r"\balert", r"\bpag(?:ed|es|ing)\b", r"(?<!status )\bpage\b", r"\bpagerduty\b", r"\balarm",
        r"\bfire[sd]\b", r"\btriggered\b", r"\bfirst report", r"\bincoming report",
        r"\breport(?:s|ed)\b", r"\breport (?:was |is )?(?:submitted|received|filed|opened)\b",
        r"\b(?:tests?|checks?|probes?|canary)\b.*\bfail(?:s|ed|ing)?\b", r"\bdetected\b",
        r"\bnotified\b", r"\bnotice[sd]\b", r"\bmonitor(?:ing)? (?:flagged|showed|caught)\b",
        r"\bopsgenie\b", r"\bcustomer (?:complain|report)", r"\bwarning from\b",
        r"\bautomated (?:message|warning)\b",
    )),
    ("impact_start", (
        r"\bwent down\b", r"\b(?:starts?|started|begins?|began) (?:climbing|rising|failing|erroring)\b",
        r"\b(?:starts?|started|begins?|began) to (?:climb|rise|fail|error)\b", r"\brises? above\b",
        r"\bclimb(?:s|ing)\b", r"\bspik(?:es|ed|ing)\b", r"\berrors? (?:began|started|spiked)\b",
        r"\blatency (?:spiked|increased)\b", r"\bstopped (?:working|responding|producing)\b",
        r"\bunavailable\b", r"\bdown\b", r"\bhalt(?:ed|s)?\b", r"\bstall(?:ed|s)?\b",
        r"\bcrash(?:ed|ing|looping)?\b", r"\bfail(?:ed|ing|ure)\b",
    )),
)  # fmt: skip
_COMPILED = tuple((kind, re.compile("|".join(pats), re.IGNORECASE)) for kind, pats in _RULES)


@lru_cache(maxsize=16384)
def classify_event(text: str) -> str:
    """One of TIMELINE_KINDS for an event's text ('other' when no rule matches)."""
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
