"""Which failure mechanism a cause text describes: the recurring cause a review acts on.

Four expired certificates are one recurring cause, whichever certificates they were: the
mechanism is the trigger, the first link of the chain a fix must break, not the symptom
(`docs/labelling-guide.md`, Part 3, defines each one with real examples).

The decision is a linear model (`mechanisms.json`) trained on hand-labelled cause texts of
real postmortems written by other teams (`data/real/`; `make train-mechanisms` retrains it).
Its features are the text's word stems and stem pairs (those of the first part, the why
marked root cause, count again under their own name), which built-in failure themes the text
has vocabulary for (`vocabulary.py`), which mechanisms' own words it uses and where
(`mechanism_words.py`), and the front matter's keywords. A pure function of the text, so its
answer can be cached per text and computed where the document is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from pipeline.clusters.mechanism_words import causal_sentences, mechanism_phrases
from pipeline.clusters.text import STOP_STEMS, split_parts, stems
from pipeline.linear_model import LinearModel

MODEL_PATH = Path(__file__).with_name("mechanisms.json")
MAX_STEMS = 200
"""Stems of a text the model reads: the cause is stated early."""


@dataclass(frozen=True, slots=True)
class Mechanism:
    key: str
    label: str
    """How the dashboard names the group."""


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("expiry", "Expired certificate or credential"),
    Mechanism("config_change", "Configuration change"),
    Mechanism("code_deploy", "Code deploy or upgrade"),
    Mechanism("capacity", "Capacity or limit reached"),
    Mechanism("third_party", "Third-party dependency"),
    Mechanism("dns", "DNS"),
    Mechanism("network", "Network or routing"),
    Mechanism("database", "Database"),
    Mechanism("data_deletion", "Data deletion"),
    Mechanism("hardware", "Hardware or power"),
    Mechanism("time", "Time handling"),
    Mechanism("security", "Security compromise"),
    Mechanism("operator_action", "Operator command"),
    Mechanism("latent_bug", "Latent software bug"),
    Mechanism("other", "Other"),
)
BY_KEY = {m.key: m for m in MECHANISMS}
OTHER = "other"


def features(text: str) -> list[str]:
    """The model's features of one cause text (a set: each counts once)."""
    from pipeline.clusters.themes import theme_evidence

    parts = split_parts(text)
    part_stems = [stems(part) for part in parts]
    feats: set[str] = set()
    for number, (part, tokens) in enumerate(zip(parts, part_stems, strict=True)):
        if part.startswith("Keywords: "):
            feats.update(f"kw={s}" for s in tokens[1:] if s not in STOP_STEMS)
            continue
        content = [s for s in tokens if s not in STOP_STEMS and len(s) > 1][:MAX_STEMS]
        feats.update(f"s={s}" for s in content)
        feats.update(f"p={a}_{b}" for a, b in pairwise(content))
        if number == 0:
            feats.update(f"r={s}" for s in content)
    feats.update(f"theme={key}" for key in theme_evidence(text, part_stems=part_stems))
    feats.update(_mechanism_word_features(text, part_stems))
    return sorted(feats)


def _mechanism_word_features(text: str, part_stems: list[list[str]]) -> set[str]:
    """Which mechanisms' words (`mechanism_words.py`) the text uses: anywhere, how many of
    them, in the first part (the why marked root cause), in a sentence that gives a cause."""
    feats: set[str] = set()
    found = mechanism_phrases([s for tokens in part_stems for s in tokens])
    for mechanism, phrases in found.items():
        feats.add(f"cue={mechanism}")
        # How much of the text is told in a mechanism's words, not only whether it is.
        if len(phrases) >= 2:
            feats.add(f"cue2={mechanism}")
        if len(phrases) >= 4:
            feats.add(f"cue4={mechanism}")
    feats.update(f"rcue={mechanism}" for mechanism in mechanism_phrases(part_stems[0]))
    for sentence in causal_sentences(text):
        feats.update(f"ccue={mechanism}" for mechanism in mechanism_phrases(stems(sentence)))
    return feats


_WORD_LIST_KINDS = frozenset({"cue", "cue2", "cue4", "rcue", "ccue"})


@dataclass(frozen=True, slots=True)
class Decision:
    mechanism: str
    confidence: float
    """The model's probability for that mechanism, 0..1."""
    evidence: tuple[tuple[str, float], ...]
    """The features that pushed most towards it, with their weights, strongest first."""


def decide_with(model: LinearModel, text: str, evidence: int = 6) -> Decision:
    """The model's mechanism of a cause text, with its confidence and strongest features."""
    feats = features(text)
    mechanism, confidence = model.predict(feats)
    # A mechanism's words count under several names (anywhere, how many, where): a reader is
    # told that once, by the strongest, and the rest of the list goes to other reasons.
    shown: dict[str, tuple[str, float]] = {}
    for feature, weight in model.pushing(feats, mechanism):
        kind, _, value = feature.partition("=")
        shown.setdefault(f"cue:{value}" if kind in _WORD_LIST_KINDS else feature, (feature, weight))
    return Decision(mechanism, round(confidence, 3), tuple(list(shown.values())[:evidence]))


@lru_cache(maxsize=1)
def model() -> LinearModel | None:
    return LinearModel.load(MODEL_PATH)


@lru_cache(maxsize=65_536)
def decide(text: str) -> Decision | None:
    """The mechanism of a cause text, or None when no model is installed."""
    m = model()
    return decide_with(m, text) if m is not None and text and text.strip() else None


def readable(feature: str) -> str:
    """A feature as a reader sees it: 'r=expir' -> 'expir (root cause)'."""
    kind, _, value = feature.partition("=")
    if kind == "theme" and value.startswith("best:"):
        return f"vocabulary of {value[5:].replace('_', ' ')} (its best match)"
    words_of = f"words of {BY_KEY[value].label.lower()}" if value in BY_KEY else value
    return {
        "s": value,
        "p": value.replace("_", " "),
        "r": f"{value} (root cause)",
        "kw": f"{value} (keyword)",
        "theme": f"vocabulary of {value.replace('_', ' ')}",
        "cue": words_of,
        "cue2": f"{words_of} (two or more)",
        "cue4": f"{words_of} (four or more)",
        "rcue": f"{words_of} (root cause)",
        "ccue": f"{words_of} (in a sentence giving the cause)",
    }.get(kind, feature)
