"""How sure a figure is: intervals for quantiles, shares and counts, and the words a change
between two periods earns.

Incident durations are heavy-tailed (roughly log-normal), and a quarter has tens to hundreds
of incidents: a real 10% change in a median then cannot be told from chance ("Incident Metrics
in SRE", Google, 2021). So every change between two periods carries a 95% interval, and is
called a change only when both periods have at least MIN_INCIDENTS incidents behind the figure
and the interval leaves out zero. Otherwise the words say so: "too few incidents to tell" or
"no detectable change", and no arrow is coloured.

- A quantile (median, p90): the change is a percentile bootstrap of the difference, RESAMPLES
  resamples of each period with a fixed seed (the same data always gives the same interval),
  the quantile computed as DuckDB's quantile_cont (numpy's 'linear'); each resample's order
  statistics are drawn directly (see `_resampled_quantiles`), so a large quarter costs no more. One period's quantile:
  the distribution-free order-statistic interval (ranks from the binomial distribution).
- A share (P0/P1, found by customers): the Wilson score interval; a change of share: Newcombe's
  hybrid score interval (method 10 of Newcombe, Statistics in Medicine 1998), made of the two
  Wilson intervals.
- A count (incidents, P0 incidents): given the two periods' total N, the count of the later
  period is binomial(N, 1/2) when nothing changed (Poisson counts, equal periods); the Wilson
  interval of that share, turned back into counts, N * (2p - 1), bounds the difference. One
  period's count: the exact Poisson (Garwood) interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np

CONFIDENCE = 0.95
MIN_INCIDENTS = 20
"""Fewer incidents than this behind either period's figure: "too few incidents to tell"."""
RESAMPLES = 2000
SEED = 2026

VERDICTS = {
    "up": "up",
    "down": "down",
    "no_change": "no detectable change",
    "too_few": "too few incidents to tell",
    "no_data": "nothing to compare",
}
"""What each verdict says, in the dashboard, the report and `postmortems stats` alike."""


# The distributions are the standard library's and sums written here, not scipy's: importing
# scipy.stats costs every command about a second at start.
_EXACT_UP_TO = 20_000
"""Binomial tails are summed exactly up to this n; past it the normal approximation."""
_EXACT_POISSON_UP_TO = 300
"""Poisson intervals are solved exactly up to this count; past it the normal approximation
of the square root (off by well under 1%)."""


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _binomial_ppf(p: float, n: int, q: float) -> int:
    """The smallest k with P(Binomial(n, q) <= k) >= p (scipy.stats.binom.ppf)."""
    if n > _EXACT_UP_TO:
        centre, spread = n * q, math.sqrt(n * q * (1 - q))
        return max(0, min(n, math.ceil(centre + NormalDist().inv_cdf(p) * spread - 0.5)))
    log_q, log_rest = math.log(q), math.log1p(-q)
    log_n = math.lgamma(n + 1)
    total = 0.0
    for k in range(n + 1):
        total += math.exp(
            log_n - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_q + (n - k) * log_rest
        )
        if total >= p * (1 - 1e-12):
            return k
    return n


def _poisson_cdf(k: int, rate: float) -> float:
    """P(Poisson(rate) <= k)."""
    if rate == 0:
        return 1.0
    log_rate = math.log(rate)
    return sum(math.exp(i * log_rate - rate - math.lgamma(i + 1)) for i in range(k + 1))


def _solve(f, low: float, high: float) -> float:
    """The root of an increasing or decreasing f on [low, high], by bisection."""
    sign = f(low) < 0
    for _ in range(80):
        middle = (low + high) / 2
        if (f(middle) < 0) == sign:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def wilson(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of a share successes / n; None when n is 0."""
    if n <= 0:
        return None
    z = _z(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def share_difference(
    now: tuple[int, int], before: tuple[int, int], confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """Newcombe's interval for the change of a share, now - before; each is (successes, n)."""
    a, b = wilson(*now, confidence), wilson(*before, confidence)
    if a is None or b is None:
        return None
    p1, p2 = now[0] / now[1], before[0] / before[1]
    d = p1 - p2
    low = d - math.sqrt((p1 - a[0]) ** 2 + (b[1] - p2) ** 2)
    high = d + math.sqrt((a[1] - p1) ** 2 + (p2 - b[0]) ** 2)
    return low, high


def count_difference(now: int, before: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """An interval for the change of a count, now - before, between two equal periods."""
    total = now + before
    share = wilson(now, total, confidence)
    if share is None:
        return 0.0, 0.0  # none in either period: nothing changed
    return total * (2 * share[0] - 1), total * (2 * share[1] - 1)


def count_interval(count: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Garwood) Poisson interval of a count's rate: the rates under which a count
    this high, or this low, has probability (1 - confidence) / 2."""
    alpha = (1 - confidence) / 2
    if count > _EXACT_POISSON_UP_TO:
        z = _z(confidence)
        return (max(0.0, math.sqrt(count) - z / 2) ** 2, (math.sqrt(count + 1) + z / 2) ** 2)
    top = count + 10 * math.sqrt(count + 1) + 10
    low = 0.0 if count == 0 else _solve(lambda r: 1 - _poisson_cdf(count - 1, r) - alpha, 0, top)
    high = _solve(lambda r: _poisson_cdf(count, r) - alpha, 0, top)
    return low, high


def quantile_interval(
    values: Sequence[float], q: float = 0.5, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The order-statistic interval of one sample's q-quantile: the sorted values at the ranks
    a binomial(n, q) count reaches with probability (1 - confidence) / 2 in each tail. With few
    values it widens to the whole range (it cannot reach the confidence then)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    if n == 0:
        return None
    alpha = 1 - confidence
    low = _binomial_ppf(alpha / 2, n, q) - 1
    high = _binomial_ppf(1 - alpha / 2, n, q)
    return float(ordered[max(low, 0)]), float(ordered[min(high, n - 1)])


def _resampled_quantiles(
    ordered: np.ndarray, q: float, resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """The q-quantile (quantile_cont) of `resamples` bootstrap resamples of the sorted sample.

    A resample's quantile_cont needs only its order statistics k and k + 1. Drawing n values
    with replacement is drawing x_(ceil(n U)) for n uniform U, and the k-th smallest of n
    uniforms is Beta(k, n - k + 1); given it is u, the next is u + (1 - u) Beta(1, n - k). So
    those two order statistics are drawn directly: the same distribution as resampling, at a
    cost that does not grow with n (a quarter of 12,000 incidents takes as long as one of 20)."""
    n = len(ordered)
    position = (n - 1) * q
    k = math.floor(position) + 1  # 1-based rank below the quantile
    fraction = position - (k - 1)
    u_k = rng.beta(k, n - k + 1, size=resamples)
    y_k = ordered[np.clip(np.ceil(n * u_k).astype(int), 1, n) - 1]
    if k >= n or fraction == 0:
        return y_k
    u_next = u_k + (1 - u_k) * rng.beta(1, n - k, size=resamples)
    y_next = ordered[np.clip(np.ceil(n * u_next).astype(int), 1, n) - 1]
    return y_k + fraction * (y_next - y_k)


def bootstrap_quantile_differences(
    now: Sequence[float],
    before: Sequence[float],
    qs: Sequence[float] = (0.5,),
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> list[tuple[float, float] | None]:
    """Percentile-bootstrap intervals of quantile(now, q) - quantile(before, q), one per q
    (quantile_cont, as DuckDB computes the figures). None for each q when a period has no
    value."""
    a, b = np.sort(np.asarray(now, dtype=float)), np.sort(np.asarray(before, dtype=float))
    if len(a) == 0 or len(b) == 0:
        return [None for _ in qs]
    rng = np.random.default_rng(seed)
    alpha = 1 - confidence
    out = []
    for q in qs:
        differences = _resampled_quantiles(a, q, resamples, rng) - _resampled_quantiles(
            b, q, resamples, rng
        )
        low, high = np.quantile(differences, [alpha / 2, 1 - alpha / 2])
        out.append((float(low), float(high)))
    return out


@dataclass(frozen=True)
class Change:
    """A figure in two periods, the difference now - before, its 95% interval, and what may be
    said about it (`verdict`, a key of VERDICTS; `words` is what to print)."""

    now: float | None
    before: float | None
    n_now: int
    """Incidents (or actions) behind the figure now: the denominator of a share, the values
    of a quantile, the incidents of the period for a count."""
    n_before: int
    difference: float | None
    low: float | None
    high: float | None
    method: str
    """'bootstrap', 'newcombe' or 'binomial' (a count's change)."""
    verdict: str

    @property
    def words(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.low is None or self.high is None else (self.low, self.high)

    @property
    def detectable(self) -> bool:
        """True when the change may be shown as one (an arrow, a colour)."""
        return self.verdict in ("up", "down")

    def as_dict(self) -> dict:
        return {**asdict(self), "words": self.words}


def judge(
    now: float | None,
    before: float | None,
    n_now: int,
    n_before: int,
    interval: tuple[float, float] | None,
    method: str,
    min_incidents: int = MIN_INCIDENTS,
) -> Change:
    """The Change of a figure from `before` to `now`, given the interval of the difference."""
    difference = None if now is None or before is None else now - before
    low, high = interval if interval is not None else (None, None)
    if difference is None or interval is None:
        verdict = "no_data"
    elif min(n_now, n_before) < min_incidents:
        verdict = "too_few"
    elif low <= 0 <= high:
        verdict = "no_change"
    else:
        verdict = "up" if difference > 0 else "down"
    return Change(now, before, n_now, n_before, difference, low, high, method, verdict)


def quantile_changes(
    now: Sequence[float], before: Sequence[float], qs: Sequence[float] = (0.5,)
) -> list[Change]:
    """The change of each quantile q of two samples of durations (bootstrap interval)."""
    a, b = np.asarray(now, dtype=float), np.asarray(before, dtype=float)
    intervals = bootstrap_quantile_differences(a, b, qs)
    out = []
    for q, interval in zip(qs, intervals, strict=True):
        value_now = float(np.quantile(a, q)) if len(a) else None
        value_before = float(np.quantile(b, q)) if len(b) else None
        out.append(judge(value_now, value_before, len(a), len(b), interval, "bootstrap"))
    return out


def share_change(now: tuple[int, int], before: tuple[int, int]) -> Change:
    """The change of a share (successes, n) between two periods (Newcombe interval)."""
    value_now = now[0] / now[1] if now[1] else None
    value_before = before[0] / before[1] if before[1] else None
    interval = share_difference(now, before)
    return judge(value_now, value_before, now[1], before[1], interval, "newcombe")


def count_change(now: int, before: int, n_now: int, n_before: int) -> Change:
    """The change of a count between two periods of equal length; n_now / n_before are the
    incidents of each period (what "too few to tell" is judged on)."""
    interval = count_difference(now, before)
    return judge(float(now), float(before), n_now, n_before, interval, "binomial")
