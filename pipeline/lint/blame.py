"""Blame language: wording that makes a person the cause, where the template asks for the system.

The template ends with a blameless-culture reminder ("we focus on systemic improvements, not
individual failures"). A root cause such as "human error" or "Bob forgot to renew the
certificate" stops the 5 Whys one step too early: the next why is what let the slip happen.
This module only finds such wording and says what to write instead; it never decides a level.

A person is recognised as: a pronoun or role ("the engineer", "someone", "he"), an @handle, a
name the document itself gives to a person (authors, action owners, sign-off names), or a common
first name. Plain "failed to" is blame only with such a subject: "the deploy failed to roll back"
is a fact about the system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A short list of common first names, only used right after "because", "by", "blame" and the
# like, or before a blaming verb, so a capitalised product name elsewhere is never taken for one.
_COMMON_NAMES = frozenset(
    [
        "aaron",
        "adam",
        "alan",
        "alex",
        "alice",
        "amanda",
        "amy",
        "andrea",
        "andrew",
        "angela",
        "anna",
        "anne",
        "ben",
        "bob",
        "brian",
        "carl",
        "carlos",
        "carol",
        "charlie",
        "chris",
        "christina",
        "claire",
        "dan",
        "daniel",
        "dave",
        "david",
        "emily",
        "emma",
        "eric",
        "eve",
        "frank",
        "gary",
        "george",
        "greg",
        "hannah",
        "harry",
        "helen",
        "ian",
        "jack",
        "james",
        "jane",
        "jason",
        "jeff",
        "jennifer",
        "jessica",
        "jim",
        "joe",
        "john",
        "jon",
        "jose",
        "josh",
        "juan",
        "julia",
        "karen",
        "kate",
        "kevin",
        "laura",
        "linda",
        "lisa",
        "mark",
        "maria",
        "mary",
        "matt",
        "michael",
        "mike",
        "nancy",
        "nick",
        "olivia",
        "paul",
        "peter",
        "priya",
        "rachel",
        "raj",
        "richard",
        "rob",
        "robert",
        "ryan",
        "sam",
        "sara",
        "sarah",
        "scott",
        "sophie",
        "steve",
        "susan",
        "tim",
        "tom",
        "tony",
        "victor",
        "will",
    ]
)
_ROLE = (
    r"(?:the |an |a |our |one )?(?:on-?call(?: engineer)?|engineer|developer|dev|operator|"
    r"admin(?:istrator)?|sre|dba|intern|team ?member|employee|author|reviewer|person|human|"
    r"contractor|somebody|someone|he|she)"
)
_BLAME_VERB = (
    r"(?:forgot|neglected|overlooked|ignored|carelessly|mistakenly|accidentally|"
    r"failed to|did ?n[o']t (?:check|test|notice|follow|read|verify|bother)|"
    r"should(?:'ve| have))"
)


@dataclass(slots=True, frozen=True)
class BlameHit:
    phrase: str
    """The words found, as written."""
    advice: str


_FIXED: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(?:human|operator|user|personnel|engineer) errors?\b", re.IGNORECASE),
        (
            "names a person's mistake as the cause; ask what let the mistake through "
            "(a missing guard, a confusing tool, an unsafe default)"
        ),
    ),
    (
        re.compile(
            r"\bcareless(?:ly|ness)?\b|\bnegligen(?:t|ce)\b|\bsloppy\b|\bincompeten(?:t|ce)\b|\blazy\b",
            re.IGNORECASE,
        ),
        "judges a person; describe the condition that made the slip easy instead",
    ),
    (
        re.compile(
            r"\bshould(?:'ve| have) (?:known|realised|realized|noticed|caught|checked|"
            r"been more careful|paid (?:more )?attention)\b",
            re.IGNORECASE,
        ),
        "is hindsight about a person; say what information or check was missing at the time",
    ),
    (
        re.compile(
            r"\b(?:(?:his|her|their|my|our) (?:fault|mistake)|fault of|to blame)\b",
            re.IGNORECASE,
        ),
        "assigns fault; name the systemic gap instead",
    ),
    (
        re.compile(rf"\b{_ROLE} {_BLAME_VERB}", re.IGNORECASE),
        (
            "makes a person the cause; write what in the system allowed it (e.g. 'the runbook "
            "did not cover ...', 'no check stopped ...')"
        ),
    ),
)
_NAMED = re.compile(
    r"(?:\b(?:because(?: of)?|caused by|due to|thanks to|blame[sd]? (?:on )?)\s+)?"
    r"(?P<name>@[\w.-]+|\b[A-Z][a-z]+(?:'s)?)"
    r"(?P<after>\s+(?:" + _BLAME_VERB + r"|ran|pushed|deployed|merged|typed|deleted|dropped|"
    r"changed|made a mistake|made an error|misconfigured|broke))?",
)


def _person_names(people: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for person in people:
        for word in re.findall(r"[A-Za-z][\w.-]*", person or ""):
            if len(word) > 1:
                names.add(word.lower().lstrip("@"))
    return names


def find_blame(text: str, people: Iterable[str] = ()) -> list[BlameHit]:
    """Every blaming phrase in `text`, first occurrence of each kind. `people` are the names the
    document gives (authors, action owners, sign-off names)."""
    hits: list[BlameHit] = []
    for pattern, advice in _FIXED:
        m = pattern.search(text)
        if m:
            hits.append(BlameHit(m.group(0), advice))
    known = _person_names(people)
    for m in _NAMED.finditer(text):
        name = m.group("name")
        bare = name.lstrip("@").removesuffix("'s").lower()
        lead = m.group(0)[: m.start("name") - m.start()].strip()
        is_person = name.startswith("@") or bare in known or bare in _COMMON_NAMES
        if not is_person:
            continue
        # A name alone is fine ("Alice restored the service"); it is blame when it is given as
        # the cause, or does a blaming verb, or is the possessive of a mistake.
        possessive_mistake = name.endswith("'s") and re.match(
            r"\s+(?:mistake|error|fault|oversight|typo)", text[m.end("name") :]
        )
        if lead or m.group("after") or possessive_mistake:
            if any(h.phrase == m.group(0).strip() for h in hits):
                continue
            hits.append(
                BlameHit(
                    m.group(0).strip(),
                    "names a person as the cause; describe the role the system gave them and "
                    "what it failed to catch",
                )
            )
            break
    return hits
