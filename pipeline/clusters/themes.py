"""Which failure theme a root-cause text is about, from the built-in vocabulary.

A pure function of one text (`classify`), so its answer can be cached per text by anyone who
re-clusters often. Scoring: every vocabulary term found in the text adds its weight (3 strong,
2 medium, 1 weak) to its theme, once per text; a term found in the first part of the text (the
why marked root cause, which the loader puts first) counts ROOT_PART_FACTOR times, because the
"What Happened?" prose also describes symptoms and red herrings. The best theme wins when it
reaches MIN_THEME_SCORE; below that the text is left to the similarity stage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pipeline.clusters.text import split_parts, stem, stems, words
from pipeline.clusters.vocabulary import THEMES, Theme

WEIGHTS = {"strong": 3.0, "medium": 2.0, "weak": 1.0}

# Chosen by the sweep reported in the package docstring.
MIN_THEME_SCORE = 4.0
ROOT_PART_FACTOR = 2.0
ROOT_FIRST = True


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    theme: Theme
    score: float
    """Sum of the weights of the theme's terms found in the text."""
    confidence: float
    """Share of all theme evidence in the text that points at this theme, 0..1."""
    terms: tuple[str, ...]
    """The vocabulary terms found, strongest first."""


@dataclass(frozen=True, slots=True)
class _Term:
    stems: tuple[str, ...]
    theme_index: int
    weight: float
    text: str


def _build_index() -> dict[str, list[_Term]]:
    """First stem of a phrase -> the phrases starting with it (longest first)."""
    best: dict[tuple[tuple[str, ...], int], _Term] = {}
    for index, theme in enumerate(THEMES):
        for strength in ("strong", "medium", "weak"):
            for phrase in getattr(theme, strength):
                key = tuple(stem(w) for w in words(phrase))
                if not key:
                    continue
                term = _Term(key, index, WEIGHTS[strength], phrase)
                # A phrase listed twice in one theme keeps its strongest weight.
                if (key, index) not in best or best[(key, index)].weight < term.weight:
                    best[(key, index)] = term
    by_first: dict[str, list[_Term]] = defaultdict(list)
    for term in best.values():
        by_first[term.stems[0]].append(term)
    for terms in by_first.values():
        terms.sort(key=lambda t: (-len(t.stems), t.theme_index, t.text))
    return dict(by_first)


_INDEX = _build_index()
_FIRST_STEMS = frozenset(_INDEX)
_ALIASES = {
    normalise_key: theme
    for theme in THEMES
    for normalise_key in {" ".join(words(a)) for a in (theme.key, theme.label, *theme.aliases)}
}


def _match_part(tokens: list[str], factor: float) -> dict[int, dict[str, float]]:
    """Vocabulary terms in one part's stems, greedy longest-first, left to right."""
    found: dict[int, dict[str, float]] = {}
    n = len(tokens)
    next_free = 0
    # Most words start no term: visit only those that do (the hot loop at 100,000 texts).
    for i in [i for i, token in enumerate(tokens) if token in _FIRST_STEMS]:
        if i < next_free:
            continue
        matched = 0
        for term in _INDEX[tokens[i]]:  # longest first
            length = len(term.stems)
            if matched and length < matched:
                break
            if length > 1 and (i + length > n or tuple(tokens[i : i + length]) != term.stems):
                continue
            matched = length
            weight = term.weight * factor
            per_theme = found.setdefault(term.theme_index, {})
            if per_theme.get(term.text, 0.0) < weight:
                per_theme[term.text] = weight
        next_free = i + (matched or 1)
    return found


def _scores_by_part(part_stems: list[list[str]]) -> list[dict[int, dict[str, float]]]:
    return [
        _match_part(tokens, ROOT_PART_FACTOR if number == 0 else 1.0)
        for number, tokens in enumerate(part_stems)
    ]


def _part_stems(text: str) -> list[list[str]]:
    return [stems(part) for part in split_parts(text)]


def _merge(parts: list[dict[int, dict[str, float]]]) -> dict[int, dict[str, float]]:
    """A term found in several parts counts once, with its highest weight."""
    merged: dict[int, dict[str, float]] = {}
    for found in parts:
        for theme_index, terms in found.items():
            into = merged.setdefault(theme_index, {})
            for term, weight in terms.items():
                if into.get(term, 0.0) < weight:
                    into[term] = weight
    return merged


def theme_evidence(
    text: str, min_score: float = 2.0, part_stems: list[list[str]] | None = None
) -> list[str]:
    """Keys of the themes the text has vocabulary for (at least one medium term or two weak
    ones, counted as `classify` counts them), and 'best:KEY' for the theme `classify` picks:
    features of the learned mechanism model. `part_stems`, the stems of each of the text's
    parts, when the caller has them already (the vocabulary is matched once, not twice)."""
    parts = _scores_by_part(part_stems if part_stems is not None else _part_stems(text))
    found = _merge(parts)
    keys = [THEMES[i].key for i, terms in found.items() if sum(terms.values()) >= min_score]
    best = _classify_scored(parts, MIN_THEME_SCORE, ROOT_FIRST)
    if best is not None:
        keys.append(f"best:{best.theme.key}")
    return sorted(keys)


def classify(
    text: str, min_score: float | None = None, root_first: bool | None = None
) -> ThemeMatch | None:
    """The theme the text is about, or None when no theme has enough evidence.

    When the first part (the why marked root cause) settles a theme on its own, the rest of the
    text is not consulted: authors name the cause there, and "What Happened?" often recounts
    the red herrings chased on the way.
    """
    min_score = MIN_THEME_SCORE if min_score is None else min_score
    root_first = ROOT_FIRST if root_first is None else root_first
    return _classify_scored(_scores_by_part(_part_stems(text)), min_score, root_first)


def _classify_scored(
    parts: list[dict[int, dict[str, float]]], min_score: float, root_first: bool
) -> ThemeMatch | None:
    if root_first and len(parts) > 1:
        match = _best(parts[0], min_score)
        if match is not None:
            return match
    return _best(_merge(parts), min_score)


def _best(found: dict[int, dict[str, float]], min_score: float) -> ThemeMatch | None:
    if not found:
        return None
    totals = {index: sum(terms.values()) for index, terms in found.items()}
    best = min(totals, key=lambda index: (-totals[index], index))
    if totals[best] < min_score:
        return None
    terms = found[best]
    ordered = sorted(terms, key=lambda t: (-terms[t], t))
    return ThemeMatch(
        theme=THEMES[best],
        score=totals[best],
        confidence=round(totals[best] / sum(totals.values()), 4),
        terms=tuple(ordered),
    )


def category_key(category: str) -> str:
    """How pinned categories meet: case, punctuation and separators do not count."""
    return " ".join(words(category))


def theme_for_category(category: str) -> Theme | None:
    """The built-in theme a pinned `root_cause_category` names, if it names one."""
    return _ALIASES.get(category_key(category))
