"""Time the clustering on synthetic root-cause texts: `python -m pipeline.clusters.bench [N ...]`.

The texts are made to be hard on speed, not realistic in meaning: 200-600 characters each,
every text distinct, and a quarter of them carrying no theme vocabulary at all (made-up words),
so the TF-IDF stage gets tens of thousands of leftovers instead of the handful a real corpus
leaves. Also times the cheap path for a re-ingest: re-clustering with a warm theme cache after
one text changed.
"""

from __future__ import annotations

import random
import sys
import time

from pipeline.clusters import CauseText, cluster_root_causes
from pipeline.clusters.vocabulary import THEMES

_THEME_LABELS = {t.label for t in THEMES}

_THEMED = [
    "the payment gateway's x509 chain went stale and clients refused the handshake",
    "a bad config push disabled the health checks on every edge proxy",
    "lookups for internal hostnames returned NXDOMAIN after the resolver pods were evicted",
    "the primary database lost its disk and failover promoted a lagging replica",
    "the connection pool was exhausted during the traffic spike",
    "our SMS vendor had a regional outage and codes were not delivered",
    "release 4.12 introduced a regression and was rolled back",
    "a BGP route leak sent traffic through a congested transit path",
    "a cleanup script ran against the production bucket and deleted uploads",
]
_FILLER_TEXT = (
    "the team noticed that requests to {svc} were slow and the on-call engineer started to look "
    "at dashboards while {svc} kept degrading for a while before anyone could say why"
)
_FILLER = _FILLER_TEXT.split()


def _made_up_word(rng: random.Random) -> str:
    return "".join(
        rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
    )


def synthetic_texts(n: int, seed: int = 1, leftover_every: int = 4) -> list[str]:
    """Every `leftover_every`-th text (from the first) has no theme vocabulary."""
    rng = random.Random(seed)
    lexicon = [_made_up_word(rng) for _ in range(20_000)]
    texts = []
    for i in range(n):
        svc = f"svc-{rng.randint(1, 400)}"
        if i % leftover_every == 0:
            body = " ".join(rng.choice(lexicon) for _ in range(rng.randint(30, 90)))
        else:
            filler = " ".join(w.format(svc=svc) for w in rng.sample(_FILLER, rng.randint(10, 25)))
            body = f"{rng.choice(_THEMED)} on {svc}.\n\n{filler} {rng.choice(lexicon)} {i}."
            body = body + " " + " ".join(rng.choice(lexicon) for _ in range(rng.randint(5, 40)))
        texts.append(body[:600])
    return texts


def _timed(docs: list[CauseText], cache: dict[str, str]) -> tuple[list, float, float]:
    """(result, wall seconds, CPU seconds): CPU time shows the cost when the machine is shared."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = cluster_root_causes(docs, cache=cache)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(sizes: list[int], leftover_every: int = 4) -> None:
    print("seconds as wall / CPU; the re-ingest columns re-cluster with the cache of the full run")
    print(
        f"{'texts':>8} {'leftovers':>9} {'clusters':>9} {'full run':>13} "
        f"{'1 themed edited':>16} {'1 leftover edited':>18}"
    )
    for n in sizes:
        texts = synthetic_texts(n, leftover_every=leftover_every)
        docs = [CauseText(f"INC-{i:06d}", t, None) for i, t in enumerate(texts)]
        cache: dict[str, str] = {}
        out, cold, cold_cpu = _timed(docs, cache)
        clusters = len({a.cluster_id for a in out})
        leftovers = sum(1 for a in out if a.cluster_label not in _THEME_LABELS)
        # Re-ingest of one edited file, the cache kept from the previous run: first a document
        # the vocabulary settles (the common case), then one it leaves to the similarity stage.
        plain = n // leftover_every // 2 * leftover_every  # a made-up-words text
        themed = plain + 1  # a themed text
        docs[themed] = CauseText(docs[themed].incident_id, "a bad config push broke it", None)
        _, warm, warm_cpu = _timed(docs, cache)
        docs[plain] = CauseText(docs[plain].incident_id, "zorbu kalemi vostra", None)
        _, left, left_cpu = _timed(docs, cache)
        print(
            f"{n:>8} {leftovers:>9} {clusters:>9} {cold:>6.2f}/{cold_cpu:<6.2f} "
            f"{warm:>8.2f}/{warm_cpu:<7.2f} {left:>9.2f}/{left_cpu:<8.2f}"
        )


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print("== a quarter of the texts left to the similarity stage (stress)")
    main(sizes, leftover_every=4)
    print("== one in twenty left to the similarity stage")
    main(sizes, leftover_every=20)
