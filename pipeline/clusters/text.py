"""Words out of free text: tokens, a light stemmer, and the words that say nothing about a cause.

One tokeniser serves the vocabulary, the theme classifier and TF-IDF, so a term written in the
vocabulary ("certificates expired") and the same words in a postmortem ("the cert expires")
reduce to the same stems. The stemmer is deliberately crude (suffix stripping, no dictionary):
it only has to make inflections of one word meet, and it is memoised per distinct word, which
is what keeps 100,000 documents fast (a corpus has tens of thousands of distinct words, not
millions).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Letters and digits, keeping inner dots/hyphens out: "cert-manager" -> "cert", "manager";
# "x509" and "5xx" stay whole because incident text uses them as words.
_WORD = re.compile(r"[a-z0-9]+")

# Parts the loader joins (root-cause why first) are separated by a blank line.
PART_BREAK = re.compile(r"\n\s*\n")
# Without blank lines, the first sentence stands for the first part (the loader puts the why
# marked root cause first, and a why is one sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'(])")


def split_parts(text: str, maxsplit: int = 0) -> list[str]:
    """The parts of a cause text, the root-cause why first."""
    parts = PART_BREAK.split(text, maxsplit=maxsplit)
    if len(parts) == 1:
        parts = _SENTENCE_END.split(text, maxsplit=1)
        if len(parts) > 1 and maxsplit == 0:
            parts = [parts[0], *PART_BREAK.split(parts[1])]
    return parts


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Reduce an inflected lowercase word to a crude stem ("expired", "expires" -> "expir")."""
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ment", "ing", "ion", "ed", "er", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            # "dropped" -> "dropp" -> "drop"; "filling" keeps "fill" (a real double l).
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


def words(text: str) -> list[str]:
    """Lowercase word tokens, in order."""
    return _WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    """Stems of every word, in order (stopwords kept: phrases need their neighbours)."""
    return list(map(stem, _WORD.findall(text.lower())))


# Words that occur in any postmortem whatever the cause, so they must not tie two incidents
# together: grammar, the vocabulary of incident writing itself ("outage", "users", "root"), and
# the placeholders written where no cause is known yet ("TBD", "see above", "under
# investigation").
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours one two three first second new old still even already never ever
    root cause caused causes causing why what happened incident incidents outage outages issue
    issues problem problems impact impacted affect affected user users customer customers
    service services system systems team teams production prod error errors fail failed failure
    failing failures down time minutes hours hour minute day days week weeks led lead result
    resulted because due which this that were was our we it its team engineer engineers
    request requests traffic alert alerts alerted page paged started start stopped began
    tbd tba todo fixme xxx na n see above below unknown none pending investigating investigation
    placeholder yet determined
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)
