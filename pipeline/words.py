"""Words out of free text: tokens, a light stemmer, and the words that say nothing.

One tokeniser serves the cause grouping (vocabulary, mechanism model, TF-IDF) and the matching
of restated action items, so a phrase written one way ("certificates expired") and the same
words elsewhere ("the cert expires") reduce to the same stems. The stemmer is deliberately
crude (suffix stripping, no dictionary): it only has to make inflections of one word meet,
and it is memoised per distinct word, which keeps 100,000 documents fast (a corpus has tens
of thousands of distinct words, not millions).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Letters and digits, keeping inner dots/hyphens out: "cert-manager" -> "cert", "manager";
# "x509" and "5xx" stay whole because incident text uses them as words.
_WORD = re.compile(r"[a-z0-9]+")


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


# Grammar: words that say nothing in any text.
_GRAMMAR = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours one two three first second new old still even already never ever
"""
GRAMMAR_WORDS = frozenset(_GRAMMAR.split())
GRAMMAR_STEMS = frozenset(stem(w) for w in GRAMMAR_WORDS)
"""Stop-stems for texts whose incident words matter (action items: "page", "alert", "team")."""

# Words that occur in any postmortem whatever the cause, so they must not tie two incidents
# together: the vocabulary of incident writing itself ("outage", "users", "root"), and the
# placeholders written where no cause is known yet ("TBD", "see above", "under investigation").
_INCIDENT_WRITING = """
    root cause caused causes causing why what happened incident incidents outage outages issue
    issues problem problems impact impacted affect affected user users customer customers
    service services system systems team teams production prod error errors fail failed failure
    failing failures down time minutes hours hour minute day days week weeks led lead result
    resulted because due which this that were was our we it its team engineer engineers
    request requests traffic alert alerts alerted page paged started start stopped began
    tbd tba todo fixme xxx na n see above below unknown none pending investigating investigation
    placeholder yet determined
"""
STOPWORDS = GRAMMAR_WORDS | frozenset(_INCIDENT_WRITING.split())
"""Stop-words for cause texts: grammar and the vocabulary of incident writing."""

STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)
