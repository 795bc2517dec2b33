"""Which failure mechanism a cause text describes: the recurring cause a review acts on.

Four expired certificates are one recurring cause, whichever certificates they were: the
mechanism is the trigger, the first link of the chain a fix must break, not the symptom
(`docs/labelling-guide.md`, Part 3, defines each one with real examples).

The decision is a linear model (`mechanisms.json`) trained on hand-labelled cause texts of
real postmortems written by other teams (`data/real/`; `make train-mechanisms` retrains it).
Its features are the text's word stems and stem pairs (those of the first part, the why
marked root cause, count again under their own name), which built-in failure themes the text
has vocabulary for (`vocabulary.py`), and the front matter's keywords. A pure function of the
text, so its answer can be cached per text and computed where the document is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

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
    feats: set[str] = set()
    for number, part in enumerate(parts):
        if part.startswith("Keywords: "):
            feats.update(f"kw={s}" for s in stems(part[10:]) if s not in STOP_STEMS)
            continue
        content = [s for s in stems(part) if s not in STOP_STEMS and len(s) > 1][:MAX_STEMS]
        feats.update(f"s={s}" for s in content)
        feats.update(f"p={a}_{b}" for a, b in pairwise(content))
        if number == 0:
            feats.update(f"r={s}" for s in content)
    feats.update(f"theme={key}" for key in theme_evidence(text))
    return sorted(feats)


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
    pushing = model.pushing(feats, mechanism)
    return Decision(mechanism, round(confidence, 3), tuple(pushing[:evidence]))


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
    return {
        "s": value,
        "p": value.replace("_", " "),
        "r": f"{value} (root cause)",
        "kw": f"{value} (keyword)",
        "theme": f"vocabulary of {value.replace('_', ' ')}",
    }.get(kind, feature)
