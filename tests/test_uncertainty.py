"""The intervals and verdicts of pipeline.analytics.uncertainty against hand-worked examples.

z = 1.959964 (95%). Wilson: centre (p + z²/2n) / (1 + z²/n), half-width
z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²). The published values quoted are Newcombe,
"Two-sided confidence intervals for the single proportion" and "Interval estimation for the
difference between independent proportions", Statistics in Medicine 17 (1998).
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.analytics import uncertainty as u


def approx(pair, digits=4):
    return tuple(round(v, digits) for v in pair)


def test_wilson_interval_matches_the_published_values():
    # 5/10: centre 0.5, half-width 1.959964 / 1.384146 * sqrt(0.025 + 0.009604) = 0.2634
    assert approx(u.wilson(5, 10)) == (0.2366, 0.7634)
    # 0/10: the interval of "none of ten" is not [0, 0] (Newcombe 1998a, Table I)
    assert approx(u.wilson(0, 10)) == (0.0, 0.2775)
    # 1/3: centre (1/3 + 0.6402) / 2.2805 = 0.4269, half-width 0.8595 * 0.4252 = 0.3654
    assert approx(u.wilson(1, 3)) == (0.0615, 0.7923)
    assert approx(u.wilson(56, 70)) == (0.6918, 0.8770)
    assert u.wilson(0, 0) is None


def test_newcombe_difference_of_two_shares():
    # Newcombe 1998b, example (a): 56/70 - 48/80 = 0.1, method 10: 0.0524 to 0.3339.
    # From the Wilson intervals 56/70 (0.6918, 0.8770) and 48/80 (0.4905, 0.7004):
    # 0.1 - sqrt((0.8 - 0.6918)² + (0.7004 - 0.6)²) and 0.1 + sqrt((0.8770 - 0.8)² + (0.6 - 0.4905)²)
    assert approx(u.share_difference((56, 70), (48, 80))) == (0.0524, 0.3339)
    assert u.share_difference((1, 2), (0, 0)) is None


def test_count_difference_from_the_binomial_split():
    # 30 now against 10 before: of the 40, the share now is 0.75, Wilson (0.5981, 0.8581);
    # 40 * (2p - 1) -> 7.84 to 28.65 around the +20 observed
    assert approx(u.count_difference(30, 10), 2) == (7.84, 28.65)
    # the same counts: a symmetric interval around 0
    low, high = u.count_difference(10, 10)
    assert low == pytest.approx(-high) and low < 0
    assert u.count_difference(0, 0) == (0.0, 0.0)


def test_poisson_interval_of_a_count():
    # Garwood's exact interval: 10 -> 4.795 to 18.390; 0 -> 0 to 3.689 (tabulated values)
    assert approx(u.count_interval(10), 3) == (4.795, 18.39)
    assert approx(u.count_interval(0), 3) == (0.0, 3.689)


def test_order_statistic_interval_of_a_median():
    # n = 20: binomial(20, 1/2) puts 2.1% below 6 and above 14, so the interval runs from
    # the 6th to the 15th smallest value (coverage 95.9%)
    assert u.quantile_interval(list(range(1, 21))) == (6.0, 15.0)
    assert u.quantile_interval(list(range(20, 0, -1))) == (6.0, 15.0), "order does not matter"
    # too few values to reach 95%: the whole range
    assert u.quantile_interval([3.0, 1.0, 2.0]) == (1.0, 3.0)
    assert u.quantile_interval([]) is None


def test_bootstrap_of_a_median_worked_by_hand():
    # Resampling [1, 3] gives {1, 1}, {1, 3}, {3, 1}, {3, 3}: medians 1, 2, 2, 3 with
    # probabilities 1/4, 1/2, 1/4. [10, 10] always has median 10. So the difference is -9, -8
    # or -7, each tail far above 2.5%: the percentile interval is exactly -9 to -7.
    assert u.bootstrap_quantile_differences([1, 3], [10, 10], (0.5,)) == [(-9.0, -7.0)]
    # p90 of a resample of [0, 10] (quantile_cont, position 0.9): 0, 9 or 10, the same way
    assert u.bootstrap_quantile_differences([0, 10], [0, 0], (0.5, 0.9)) == [
        (0.0, 10.0),
        (0.0, 10.0),
    ]
    # no spread, no doubt: 20 incidents of 10 min against 20 of 30 min
    assert u.bootstrap_quantile_differences([10] * 20, [30] * 20, (0.5, 0.9)) == [
        (-20.0, -20.0),
        (-20.0, -20.0),
    ]
    assert u.bootstrap_quantile_differences([], [1.0]) == [None]


def test_bootstrap_is_the_same_for_the_same_data_and_agrees_with_plain_resampling():
    rng = np.random.default_rng(7)
    now, before = rng.lognormal(4.0, 1.0, 57), rng.lognormal(4.3, 1.0, 41)
    first = u.bootstrap_quantile_differences(now, before, (0.5, 0.9))
    assert first == u.bootstrap_quantile_differences(now, before, (0.5, 0.9)), "fixed seed"
    # The order statistics are drawn directly; drawing every value with replacement, as the
    # textbook bootstrap does, must give the same interval (up to Monte Carlo error).
    plain = rng.choice(now, (20_000, 57)), rng.choice(before, (20_000, 41))
    for (low, high), q in zip(first, (0.5, 0.9), strict=True):
        differences = np.quantile(plain[0], q, axis=1) - np.quantile(plain[1], q, axis=1)
        expected = np.quantile(differences, [0.025, 0.975])
        spread = expected[1] - expected[0]
        assert low == pytest.approx(expected[0], abs=0.08 * spread)
        assert high == pytest.approx(expected[1], abs=0.08 * spread)


@pytest.mark.parametrize(
    ("n_now", "n_before", "interval", "verdict", "words"),
    [
        (19, 40, (-30.0, -5.0), "too_few", "too few incidents to tell"),
        (40, 19, (-30.0, -5.0), "too_few", "too few incidents to tell"),
        (20, 20, (-30.0, 4.0), "no_change", "no detectable change"),
        (20, 20, (0.0, 12.0), "no_change", "no detectable change"),
        (20, 20, (-30.0, -5.0), "down", "down"),
        (20, 20, None, "no_data", "nothing to compare"),
    ],
)
def test_a_change_is_called_one_only_with_enough_incidents_and_an_interval_off_zero(
    n_now, n_before, interval, verdict, words
):
    change = u.judge(40.0, 55.0, n_now, n_before, interval, "bootstrap")
    assert (change.verdict, change.words) == (verdict, words)
    assert change.detectable == (verdict in ("up", "down"))
    assert change.difference == -15.0


def test_the_headline_changes_of_a_small_and_a_large_sample():
    # 18 incidents: whatever the difference, too few to tell
    small = u.quantile_changes([10] * 18, [30] * 18)[0]
    assert (small.verdict, small.difference) == ("too_few", -20.0)
    # shares: 10 of 100 against 40 of 100 is a real drop; 10 of 100 against 14 of 100 is not
    assert u.share_change((10, 100), (40, 100)).verdict == "down"
    assert u.share_change((10, 100), (14, 100)).verdict == "no_change"
    # counts: 60 incidents against 30 is up; 33 against 30 is not
    assert u.count_change(60, 30, 60, 30).verdict == "up"
    assert u.count_change(33, 30, 33, 30).verdict == "no_change"
    assert u.count_change(0, 0, 25, 25).verdict == "no_change"
    assert u.share_change((0, 0), (3, 30)).verdict == "no_data"
    as_json = u.count_change(60, 30, 60, 30).as_dict()
    assert as_json["words"] == "up" and as_json["method"] == "binomial"


def test_the_distributions_written_here_agree_with_scipy():
    # uncertainty sums its binomial and Poisson tails itself (importing scipy.stats costs a
    # command a second); scipy, installed with scikit-learn, is the reference here.
    stats = pytest.importorskip("scipy.stats")
    for n, q in ((1, 0.5), (3, 0.5), (20, 0.5), (100, 0.9), (1000, 0.5), (19_999, 0.9)):
        for p in (0.025, 0.975):
            assert u._binomial_ppf(p, n, q) == int(stats.binom.ppf(p, n, q)), (n, q, p)
    for count in (0, 1, 10, 299, 301, 5000):
        low, high = u.count_interval(count)
        exact_low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
        assert low == pytest.approx(exact_low, rel=2e-3, abs=1e-9), count
        assert high == pytest.approx(stats.chi2.ppf(0.975, 2 * count + 2) / 2, rel=2e-3), count
