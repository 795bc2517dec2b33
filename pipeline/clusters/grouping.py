"""The grouping itself; see the package docstring (`pipeline/clusters/__init__.py`)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field

from pipeline.clusters import mechanism as mech
from pipeline.clusters.corrections import Corrections, Placement, apply
from pipeline.clusters.settings import MIN_CONFIDENCE, SIMILARITY_THRESHOLD, settings_digest
from pipeline.clusters.similar import Group, group_similar, has_content
from pipeline.clusters.themes import category_key, theme_for_category

# The old themes' keys, still accepted as pinned categories, and the mechanism each names.
_THEME_MECHANISM = {
    "certificate_expiry": "expiry", "credentials": "expiry", "config_change": "config_change",
    "dns": "dns", "db_failover": "database", "capacity": "capacity",
    "dependency": "third_party", "deploy": "code_deploy", "network": "network",
    "data_deletion": "data_deletion", "schema_migration": "code_deploy",
    "resource_leak": "latent_bug", "clock": "time", "hardware": "hardware",
    "attack": "security", "retry_storm": "capacity",
}  # fmt: skip
_MECHANISM_NAMES = {category_key(name): m.key for m in mech.MECHANISMS for name in (m.key, m.label)}
_SENTENCE = re.compile(r"(?<=[.!?])\s")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


@dataclass(slots=True)
class CauseText:
    """What the loader knows about one incident's cause."""

    incident_id: str
    text: str
    """The incident's cause text (`pipeline.parse.cause_text`): the root-cause why first."""
    pinned_category: str | None = None
    """Front matter `root_cause_category`; when set it decides the group."""


@dataclass(slots=True)
class ClusterAssignment:
    """One row of `root_cause_clusters`."""

    incident_id: str
    cluster_id: int
    """1..K, numbered by cluster label then first incident id (never by input order)."""
    cluster_label: str
    """The group's name: a mechanism's label, a pinned category, a reviewer's name, or the
    words a similarity group shares."""
    similarity: float
    """How strongly the incident belongs, 0..1: the model's confidence in the mechanism, the
    cosine to a similarity group's centroid, 1.0 when pinned or alone."""
    terms: list[str] = field(default_factory=list)
    """The words that put it there (the model's strongest evidence, or the shared words)."""
    mechanism: str = mech.OTHER
    """The mechanism the model found in the text ('other' when none was clear)."""
    pinned: bool = False
    """True when the authors (front matter) or a reviewer (causes.yml) placed it."""
    what_failed: str = ""
    """The first sentence of the cause: what broke this time."""


def mechanism_for_category(category: str) -> str | None:
    """The mechanism a pinned category names (key, label or an old theme alias), if any."""
    key = category_key(category)
    if key in _MECHANISM_NAMES:
        return _MECHANISM_NAMES[key]
    theme = theme_for_category(category)
    return _THEME_MECHANISM.get(theme.key) if theme is not None else None


def what_failed(text: str, limit: int = 140) -> str:
    """The first sentence of the cause that says something: a list marker goes, and a
    fragment of fewer than four words ("RUST-MAIN", "On 18 Nov.") gives way to the next
    sentence (else it is all there is)."""
    sentences = [
        _LIST_MARKER.sub("", s).strip()
        for line in text.strip().splitlines()[:5]
        for s in _SENTENCE.split(line)
    ]
    sentences = [s for s in sentences if s]
    sentence = next(
        (s for s in sentences if len(s.split()) >= 4), sentences[0] if sentences else ""
    )
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def cluster_root_causes(
    docs: Sequence[CauseText],
    *,
    cache: MutableMapping[str, str] | None = None,
    threshold: float | None = None,
    corrections: Sequence[Corrections] = (),
    problems: list[tuple[str, int | None, str, str]] | None = None,
) -> list[ClusterAssignment]:
    """One assignment per document with non-empty text, sorted by incident id.

    The result depends only on the set of documents, never on their order. `cache` makes
    re-grouping after a small change cheap (see the package docstring). Corrections entries
    that match nothing are appended to `problems` as (path, line, code, message).
    """
    threshold = SIMILARITY_THRESHOLD if threshold is None else threshold
    digest = settings_digest() + f"/{threshold!r}"
    ordered = sorted(
        (d for d in docs if d.text and d.text.strip()), key=lambda d: (d.incident_id, d.text)
    )
    placements: dict[str, Placement] = {}
    details: dict[str, tuple[float, list[str], str]] = {}  # similarity, terms, mechanism
    pinned_spellings: dict[str, list[str]] = {}
    leftovers: list[CauseText] = []
    leftover_keys: list[str] = []
    for doc in ordered:
        if not has_content(doc.text):  # "TBD", "see above": no cause stated, no mechanism
            leftovers.append(doc)
            leftover_keys.append("unstated")
            continue
        decided, key = _decide_cached(doc.text, cache, digest)
        found = decided[0] if decided else mech.OTHER
        if doc.pinned_category and category_key(doc.pinned_category):
            mechanism = mechanism_for_category(doc.pinned_category)
            if mechanism is not None:
                group = mech.BY_KEY[mechanism].label
            else:
                group = "pinned:" + category_key(doc.pinned_category)
                pinned_spellings.setdefault(group, []).append(doc.pinned_category.strip())
            placements[doc.incident_id] = Placement(group, True)
            pin = " ".join(doc.pinned_category.split())
            details[doc.incident_id] = (1.0, [f"pinned: {pin}"], found)
            continue
        if decided is not None and decided[0] != mech.OTHER and decided[1] >= MIN_CONFIDENCE:
            placements[doc.incident_id] = Placement(mech.BY_KEY[decided[0]].label)
            details[doc.incident_id] = (decided[1], decided[2], found)
            continue
        leftovers.append(doc)
        leftover_keys.append(key)

    # The spelling most authors used for a category of their own (ties: alphabetical).
    renamed = {
        group: min(spellings, key=lambda s: (-spellings.count(s), s))
        for group, spellings in pinned_spellings.items()
    }
    for placement in placements.values():
        placement.group = renamed.get(placement.group, placement.group)

    for group in _group_cached(leftovers, leftover_keys, cache, digest, threshold):
        for index, sim, terms in zip(group.members, group.similarities, group.terms, strict=True):
            doc = leftovers[index]
            placements[doc.incident_id] = Placement(group.label)
            details[doc.incident_id] = (sim, list(terms), mech.OTHER)

    if corrections:
        names = {m.key: m.label for m in mech.MECHANISMS}
        found_problems = apply(placements, list(corrections), names)
        if problems is not None:
            problems.extend(found_problems)
    return _numbered(ordered, placements, details)


def _numbered(ordered, placements, details) -> list[ClusterAssignment]:
    members: dict[str, list[str]] = {}
    for doc in ordered:
        members.setdefault(placements[doc.incident_id].group, []).append(doc.incident_id)
    labels = sorted(members, key=lambda g: (g.casefold(), members[g][0]))
    number = {label: n for n, label in enumerate(labels, start=1)}
    # Two groups may earn the same words in another case ("Cache" and "cache"): a table that
    # lists groups by label must still tell them apart.
    shown: dict[str, str] = {}
    seen: dict[str, int] = {}
    for label in labels:
        folded = label.casefold()
        seen[folded] = seen.get(folded, 0) + 1
        shown[label] = label if seen[folded] == 1 else f"{label} ({seen[folded]})"
    out = []
    for doc in ordered:
        placement = placements[doc.incident_id]
        similarity, terms, mechanism = details[doc.incident_id]
        out.append(
            ClusterAssignment(
                doc.incident_id,
                number[placement.group],
                shown[placement.group],
                float(1.0 if placement.pinned else similarity),
                terms,
                mechanism,
                placement.pinned,
                what_failed(doc.text),
            )
        )
    return out


def cache_keys_in_use(docs: Sequence[CauseText], threshold: float | None = None) -> set[str]:
    """The cache keys a run over `docs` reads: keep these, drop the rest, to bound a cache."""
    cache: dict[str, str] = {}
    cluster_root_causes(docs, cache=cache, threshold=threshold)
    return set(cache)


def _group_cached(
    leftovers: list[CauseText],
    keys: list[str],
    cache: MutableMapping[str, str] | None,
    digest: str,
    threshold: float,
) -> list[Group]:
    if cache is None:
        return group_similar([d.text for d in leftovers], threshold=threshold)
    fingerprint = hashlib.sha1(digest.encode())
    for doc, key in zip(leftovers, keys, strict=True):
        fingerprint.update(f"{doc.incident_id}\0{key}\0".encode("utf-8", "surrogatepass"))
    cache_key = "similar:" + fingerprint.hexdigest()
    hit = cache.get(cache_key)
    if hit is not None:
        return [
            Group(tuple(m), label, tuple(s), tuple(map(tuple, t)))
            for m, label, s, t in json.loads(hit)
        ]
    groups = group_similar([d.text for d in leftovers], threshold=threshold)
    cache[cache_key] = json.dumps(
        [[g.members, g.label, g.similarities, g.terms] for g in groups], separators=(",", ":")
    )
    return groups


Decided = tuple[str, float, list[str]]


def _decide_cached(
    text: str, cache: MutableMapping[str, str] | None, digest: str
) -> tuple[Decided | None, str]:
    """(mechanism, confidence, evidence words) of a text, or None without a model; and the
    text's cache key (also its identity in the leftovers' fingerprint)."""
    key = "mech:" + hashlib.sha1(f"{digest}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    hit = cache.get(key) if cache is not None else None
    if hit is not None:
        if hit == "-":
            return None, key
        name, confidence, *terms = hit.split("\t")
        return (name, float(confidence), terms), key
    decision = mech.decide(text)
    decided = (
        None
        if decision is None
        else (
            decision.mechanism,
            decision.confidence,
            [mech.readable(f) for f, _ in decision.evidence],
        )
    )
    if cache is not None:
        cache[key] = (
            "-" if decided is None else "\t".join((decided[0], repr(decided[1]), *decided[2]))
        )
    return decided, key
