"""Which milestone a timeline row records: its `kind`.

Three sources of evidence, strongest first:

1. **Stated by the author.** A tag at the start of the event (`[restored] rollback done`) or
   the template's own milestone phrase opening it ("Service restored ...", "First alert
   triggered", "Incident acknowledged", "Root cause identified", "Mitigation applied",
   "All-clear declared"). A stated kind always wins.
2. **Phrase rules** (`_RULES`): an ordered keyword table, general knowledge of how milestones
   are worded.
3. **A learned model** (`row_kinds.json`): a linear model over the row's word stems and stem
   pairs, what the rules make of it and of its neighbours, and where it sits in the timeline
   (an alert sits early, a restore late). Trained on hand-labelled rows of real postmortems
   written by other teams (`data/real/`, guide `docs/labelling-guide.md`; `make train-kinds`
   retrains it). It decides the rows the rules cannot read, and overrules a rule it finds
   very unlikely (`OVERRULE_BELOW`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from pipeline.linear_model import LinearModel
from pipeline.model import TimelineEvent
from pipeline.words import stem

MODEL_PATH = Path(__file__).with_name("row_kinds.json")

# The convention for stating a milestone outright (README, "Timelines").
_TAG_WORDS = {
    "impact_start": ("impact start", "impact started", "impact", "outage start", "outage begins"),
    "alert": ("alert", "detected", "detection", "first alert"),
    "acknowledged": ("acknowledged", "ack", "acked"),
    "root_cause": ("root cause", "cause found", "root cause identified"),
    "mitigation": ("mitigation", "mitigated"),
    "restored": ("restored", "recovered", "service restored"),
    "all_clear": ("all clear", "all-clear", "resolved", "closed"),
}
_TAGS = {word: kind for kind, words in _TAG_WORDS.items() for word in words}
_TAG = re.compile(r"^\W{0,3}\[\s*([A-Za-z][A-Za-z _-]{1,30}?)\s*\]")
TEMPLATE_PHRASES = {
    "first alert triggered": "alert",
    "incident acknowledged": "acknowledged",
    "root cause identified": "root_cause",
    "mitigation applied": "mitigation",
    "service restored": "restored",
    "all-clear declared": "all_clear",
    "all clear declared": "all_clear",
}
_PHRASE = re.compile(
    r"^\W{0,3}(" + "|".join(re.escape(p) for p in TEMPLATE_PHRASES) + r")(?![\w-])",
    re.IGNORECASE,
)


def stated_kind(text: str) -> str | None:
    """The kind the author stated: a leading tag or the template's phrase, else None."""
    m = _TAG.match(text)
    if m:
        kind = _TAGS.get(" ".join(m.group(1).lower().replace("_", " ").split()))
        if kind:
            return kind
    m = _PHRASE.match(text)
    return TEMPLATE_PHRASES[m.group(1).lower()] if m else None


# (kind, patterns): the patterns of one rule are alternatives, matched case-insensitively
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # explicit markers
    ("impact_start", (
        r"\boutage (?:begins|began|starts|started)\b", r"\bimpact (?:begins|began|starts|started)\b",
        r"\bproblem (?:starts|started|begins|began)\b", r"\boutage start",
    )),
    ("restored", (r"\boutage (?:ends|ended|is over)\b", r"\boutage resolved\b")),
    # a restore under way is not the restore (the labelling guide: a partial improvement is
    # other): "artifacts started to be gradually restored", "partially recovered"
    ("other", (
        r"\bpartial(?:ly)? (?:restor|recover|back)", r"\bgradually (?:restor|recover|com)",
        r"\b(?:start(?:s|ed)?|began|begins?|beginning) to (?:be )?(?:\w+ly )?(?:restor|recover|come back)",
    )),
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
    """The phrase rules' kind for an event's text ('other' when no rule matches). A long
    entry is judged by its first sentence first (what happened at that time), the rest only
    when the first sentence says nothing."""
    first, sep, _ = text.partition(". ")
    if sep:
        hits = _hits(first)
        if hits and hits[0] != "other":
            return hits[0]
    hits = _hits(text)
    return hits[0] if hits else "other"


@lru_cache(maxsize=16384)
def _hits(text: str) -> tuple[str, ...]:
    """The kind of every rule that matches `text`, in the rules' order (the first decides).
    All of them, once: the model's features need them for most rows, and searching the
    rules again was a third of the parser's time on long real rows."""
    return tuple(kind for kind, rx in _COMPILED if rx.search(text))


# ---------------------------------------------------------------------------------------------
# Features and the learned model

_TOKEN = re.compile(r"[a-z][a-z']*|\d+")
MAX_WORDS = 30
"""Words of a row the model reads: the first sentences say what happened at that time."""
MIN_MODEL_CONFIDENCE = 0.6
"""Below this the model leaves a row the phrase rules did not read as 'other'. On the real
training rows (cross-validated) 0.5 to 0.7 read within a point of each other; from 0.6 the
model no longer overrules a template row of the generated corpus."""
OVERRULE_BELOW = 0.15
"""A rule's kind that the model gives less than this share is overruled by the model's kind.
Cross-validated by document on the real training rows (1,510), the rules alone read 52.5% of
rows right and the first row of each milestone 57.9%; with the model overruling them 55.2%
and 61.5% (0.10 to 0.20 within a point). Mostly restores that were all-clears, and 'impact'
or 'mitigation' words in rows that record neither."""
RULES_THE_MODEL_KEEPS = frozenset({"alert", "acknowledged"})
"""Kinds whose rule is never overruled: pages and their acknowledgements. The real rows hold
almost none worded the template's way ("PagerDuty paged on-call for ...", "On-call acks the
page"): the model reads them as 'other', and overruling would lose the first alert or
acknowledgement of 17 in 300 template-shaped documents, for 10 real rows gained against 1
lost (cross-validated, both milestones' columns within a point either way)."""
OVERRULED_ONLY_TOWARDS = {"restored": frozenset({"all_clear"})}
"""A restore the rules read is overruled only by an all-clear (the stage after it). Taken
from a row any other way, the milestone falls to the next restore, which in a document of
several episodes can be days later (a 26-minute outage read as 8 days); cross-validated,
rows and columns read the same with or without the other overrules of a restore."""
_CONTEXT_KINDS = ("alert", "mitigation", "restored", "impact_start")


def rule_hits(text: str) -> tuple[str, ...]:
    """Every kind whose phrase rules match the row's first sentence (else the whole row)."""
    return _hits(text.partition(". ")[0]) or _hits(text)


@lru_cache(maxsize=16384)
def text_features(text: str) -> tuple[str, ...]:
    """Features of a row's words: word stems and stem pairs, the first word, and what the
    phrase rules make of it."""
    words = ["0" if w[0].isdigit() else stem(w) for w in _TOKEN.findall(text.lower())[:MAX_WORDS]]
    feats = {f"w={w}" for w in words}
    feats.update(f"b={a}_{b}" for a, b in pairwise(words))
    if words:
        feats.add(f"first={words[0]}")
    feats.add(f"rule={classify_event(text)}")
    feats.update(f"hit={kind}" for kind in rule_hits(text))
    return tuple(sorted(feats))


def context_features(
    rules: Sequence[str], index: int, timed: bool, earlier: Collection[str]
) -> list[str]:
    """Where the row sits and what surrounds it: first, last, which fifth of the timeline, no
    time; the phrase rules' kinds of the rows before and after it, and which milestones they
    already read earlier (`earlier`: the rules' kinds of rows 0..index-1; an alert sits early,
    a restore late)."""
    count = len(rules)
    feats = [f"fifth={min(4, 5 * index // max(count, 1))}"]
    if index == 0:
        feats.append("pos=first")
    if index == count - 1:
        feats.append("pos=last")
    if not timed:
        feats.append("untimed")
    feats.append("prevrule=" + (rules[index - 1] if index > 0 else "none"))
    feats.append("nextrule=" + (rules[index + 1] if index + 1 < count else "none"))
    feats.extend(f"seen={kind}" for kind in _CONTEXT_KINDS if kind in earlier)
    return feats


def row_features(texts: Sequence[str], timed: Sequence[bool], index: int) -> list[str]:
    """All the model's features of row `index` of a timeline (training uses this too)."""
    rules = [classify_event(t) for t in texts]
    context = context_features(rules, index, timed[index], set(rules[:index]))
    return [*text_features(texts[index]), *context]


@lru_cache(maxsize=1)
def _model() -> LinearModel | None:
    return LinearModel.load(MODEL_PATH)


@lru_cache(maxsize=16384)
def _shares(features: tuple[str, ...]) -> list[float]:
    """The model's shares for one row's features. Rows recur word for word in the same place
    ("Rolled back the deploy" after an alert, in a postmortem a month), and the model now
    weighs most rows, not only those the rules cannot read."""
    model = _model()
    assert model is not None  # assign_kinds asks only when there is one
    return model.shares(features)


def assign_kinds(events: list[TimelineEvent]) -> None:
    """Give every row of one document's timeline its kind, and say how it was decided.

    A stated kind wins. Then the phrase rules, unless the model (learned from real text) finds
    their kind very unlikely for the row; where they read nothing, the model decides, when
    sure enough. A row the model decided carries its confidence; a rule's row none."""
    model = _model()
    texts = [e.event for e in events]
    timed = [e.occurred_at is not None for e in events]
    rules = [classify_event(t) for t in texts]
    earlier: set[str] = set()  # grown row by row: a slice per row was quadratic in the rows
    for index, event in enumerate(events):
        if index:
            earlier.add(rules[index - 1])
        stated = stated_kind(event.event)
        if stated is not None:
            event.kind, event.kind_stated, event.kind_confidence = stated, True, 1.0
            continue
        event.kind_stated = False
        rule = rules[index]
        if model is None or rule in RULES_THE_MODEL_KEEPS:
            event.kind, event.kind_confidence = rule, None
            continue
        context = context_features(rules, index, timed[index], earlier)
        shares = _shares((*text_features(texts[index]), *context))
        best = max(range(len(shares)), key=shares.__getitem__)
        if rule != "other":
            overruled = shares[model.classes.index(rule)] < OVERRULE_BELOW and (
                rule not in OVERRULED_ONLY_TOWARDS
                or model.classes[best] in OVERRULED_ONLY_TOWARDS[rule]
            )
        else:
            overruled = shares[best] >= MIN_MODEL_CONFIDENCE
        if overruled:
            event.kind, event.kind_confidence = model.classes[best], round(shares[best], 3)
        else:
            event.kind, event.kind_confidence = rule, None
