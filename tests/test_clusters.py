"""Root-cause clustering (issue 5): quality on labelled texts, and the contract the loader uses.

Quality is scored with pairwise precision/recall/F1 against labels written by hand
(tests/data/root_cause_eval.yaml) and against the synthetic generator's true themes, read back
through the real parser. The figures are printed (`pytest -s` or in the -ra summary on failure).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clusters import (
    CauseText,
    ClusterAssignment,
    cache_keys_in_use,
    cluster_root_causes,
)
from pipeline.clusters.evaluate import generated_cause_texts, load_eval_set, pairwise_scores

EVAL_SET = Path(__file__).parent / "data" / "root_cause_eval.yaml"
F1_FLOOR = 0.75  # issue 5: fail under 0.75 (target >= 0.85)

ISSUE_TEXTS = [
    "the payment gateway's x509 chain went stale",
    "the cert-manager renewal had silently stopped weeks earlier",
    "clients refused the handshake once the rotation deadline passed",
]


def _predicted(assignments: list[ClusterAssignment]) -> dict[str, int]:
    return {a.incident_id: a.cluster_id for a in assignments}


def _eval_docs() -> tuple[list[CauseText], dict[str, str]]:
    rows = load_eval_set(EVAL_SET)
    return [CauseText(i, text, None) for i, _, text in rows], {i: theme for i, theme, _ in rows}


# --- quality -------------------------------------------------------------------------------


def test_eval_set_is_big_varied_and_has_singletons():
    rows = load_eval_set(EVAL_SET)
    themes = [theme for _, theme, _ in rows]
    assert len(rows) >= 40
    assert sum(1 for t in set(themes) if themes.count(t) == 1) >= 3, "needs causes seen once"
    assert len(set(themes)) >= 9


def test_pairwise_f1_on_the_hand_labelled_eval_set():
    docs, truth = _eval_docs()
    scores = pairwise_scores(_predicted(cluster_root_causes(docs)), truth)
    print(f"\nhand-labelled eval set ({len(docs)} texts): {scores}")
    assert scores.f1 >= F1_FLOOR, f"eval set: {scores}"


def test_pairwise_f1_on_the_generated_corpus():
    docs, truth = generated_cause_texts(300, seed=11)
    assert sum(1 for d in docs if d.text) >= 290, "the parser should find root-cause text"
    assignments = cluster_root_causes(docs)
    scores = pairwise_scores(_predicted(assignments), truth)
    print(f"\ngenerated corpus ({len(docs)} documents, seed 11): {scores}")
    assert scores.f1 >= F1_FLOOR, f"generated corpus: {scores}"


def test_three_wordings_of_one_expired_certificate_meet_with_no_shared_keyword():
    docs = [CauseText(f"INC-{n}", text, None) for n, text in enumerate(ISSUE_TEXTS)]
    docs.append(
        CauseText("INC-9", "A BGP route leak sent our traffic through a congested path.", None)
    )
    by_id = {a.incident_id: a for a in cluster_root_causes(docs)}
    assert {by_id[f"INC-{n}"].cluster_id for n in range(3)} == {by_id["INC-0"].cluster_id}
    assert by_id["INC-0"].cluster_label == "expired TLS certificate"
    assert by_id["INC-9"].cluster_id != by_id["INC-0"].cluster_id
    assert "x509" in by_id["INC-0"].terms and "cert manager" in by_id["INC-1"].terms


def test_the_why_marked_root_cause_outweighs_red_herrings_in_what_happened():
    text = (
        "The API's pool of database connections was capped at 20.\n\n"
        "What happened: we first suspected a database failover because the primary had "
        "restarted that morning, and looked at replica lag and the standby."
    )
    [assignment] = cluster_root_causes([CauseText("INC-1", text, None)])
    assert assignment.cluster_label == "capacity or limit exhausted"


# --- the contract the loader relies on -------------------------------------------------------


def test_every_text_in_exactly_one_cluster_and_empty_texts_get_none():
    docs, _ = _eval_docs()
    docs += [CauseText("EMPTY-1", "", None), CauseText("EMPTY-2", "  \n ", "DNS")]
    assignments = cluster_root_causes(docs)
    ids = [a.incident_id for a in assignments]
    assert sorted(ids) == sorted(d.incident_id for d in docs if d.text.strip())
    assert len(ids) == len(set(ids))
    cluster_ids = sorted({a.cluster_id for a in assignments})
    assert cluster_ids == list(range(1, len(cluster_ids) + 1))
    assert all(0.0 <= a.similarity <= 1.0 for a in assignments)
    # One cluster, one label; labels are names, not numbers.
    label_of = {}
    for a in assignments:
        assert label_of.setdefault(a.cluster_id, a.cluster_label) == a.cluster_label
        assert a.cluster_label.strip() and not re.fullmatch(r"(cluster\s*)?\d+", a.cluster_label)


def test_a_cause_seen_once_is_a_cluster_of_one_with_a_readable_label():
    docs, _ = _eval_docs()
    odd = "A spreadsheet macro shared by finance reformatted every invoice number."
    docs.append(CauseText("ZZ-ODD", odd, None))
    assignments = cluster_root_causes(docs)
    mine = next(a for a in assignments if a.incident_id == "ZZ-ODD")
    assert [a for a in assignments if a.cluster_id == mine.cluster_id] == [mine]
    assert mine.similarity == 1.0
    assert set(mine.cluster_label.split()) <= set(re.findall(r"[a-z0-9]+", odd.lower()))
    assert mine.terms


def test_a_cause_the_vocabulary_does_not_know_still_groups_by_similarity():
    docs = [
        CauseText("A", "The e-mail queue consumer deadlocked on a poison message.", None),
        CauseText("B", "A poison message at the head of the queue stalled the consumer.", None),
        CauseText("C", "Unicode normalisation differed between signup and sign-in.", None),
    ]
    by_id = {a.incident_id: a for a in cluster_root_causes(docs)}
    assert by_id["A"].cluster_id == by_id["B"].cluster_id != by_id["C"].cluster_id
    assert {"queue", "consumer", "poison", "message"} & set(by_id["A"].cluster_label.split())
    assert "poison" in by_id["A"].terms or "message" in by_id["A"].terms


def test_texts_without_a_content_word_share_one_not_stated_cluster():
    docs = [
        CauseText("A", "TBD", None),
        CauseText("B", "- see above -", None),
        CauseText("C", "The x509 certificate expired.", None),
    ]
    by_id = {a.incident_id: a for a in cluster_root_causes(docs)}
    assert by_id["A"].cluster_id == by_id["B"].cluster_id != by_id["C"].cluster_id
    assert by_id["A"].cluster_label == "root cause not stated"


def test_two_clusters_never_share_a_label():
    docs = [
        CauseText("A", "zorp blick", None),
        CauseText("B", "zorp blick", None),
        CauseText("C", "blick zorp quab", None),
        CauseText("D", "the of and", None),
        CauseText("E", "TBD", "Root cause not stated"),
    ]
    out = cluster_root_causes(docs)
    labels = {a.cluster_id: a.cluster_label for a in out}
    assert len(set(labels.values())) == len(labels)


def test_same_documents_in_any_order_give_the_same_table():
    docs, _ = _eval_docs()
    expected = cluster_root_causes(docs)
    for seed in (1, 2, 3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_root_causes(shuffled) == expected


def test_cluster_numbers_do_not_depend_on_which_document_came_first():
    # The cluster numbered 1 is the first by label, whatever the input order.
    docs = [
        CauseText("INC-2", "A bad config push broke the edge.", None),
        CauseText("INC-1", "The resolver returned NXDOMAIN for internal hostnames.", None),
    ]
    by_id = {a.incident_id: a for a in cluster_root_causes(docs)}
    assert (by_id["INC-2"].cluster_id, by_id["INC-2"].cluster_label) == (
        1,
        "bad configuration change",
    )
    assert (by_id["INC-1"].cluster_id, by_id["INC-1"].cluster_label) == (2, "DNS failure")


def test_a_pinned_category_wins_and_spellings_meet():
    docs = [
        # The text says certificate; the authors pinned DNS: the pin decides.
        CauseText("INC-1", "The TLS certificate expired.", "dns"),
        CauseText("INC-2", "Lookups returned NXDOMAIN.", None),
        CauseText("INC-3", "Something about resolvers.", " DNS "),
        # A category the vocabulary does not know: its own cluster, spellings meet, and the
        # label is the spelling most authors used.
        CauseText("INC-4", "A certificate expired.", "Cosmic rays"),
        CauseText("INC-5", "Config push.", "cosmic-rays"),
        CauseText("INC-6", "Anything.", "Cosmic rays"),
    ]
    by_id = {a.incident_id: a for a in cluster_root_causes(docs)}
    dns = {by_id[i].cluster_id for i in ("INC-1", "INC-2", "INC-3")}
    assert len(dns) == 1 and by_id["INC-1"].cluster_label == "DNS failure"
    assert by_id["INC-1"].terms == ["pinned: dns"] and by_id["INC-1"].similarity == 1.0
    cosmic = {by_id[i].cluster_id for i in ("INC-4", "INC-5", "INC-6")}
    assert len(cosmic) == 1 and by_id["INC-5"].cluster_label == "Cosmic rays"
    assert cosmic != dns


def test_the_generators_pinned_spellings_reach_the_built_in_themes():
    from devtools.generate import THEMES as GENERATED_THEMES

    for theme in GENERATED_THEMES:
        [a] = cluster_root_causes([CauseText("INC-1", "text", theme.category)])
        assert a.cluster_label != theme.category, f"{theme.category!r} is not a built-in alias"


def test_incremental_with_a_kept_cache_equals_a_full_run():
    docs, _ = _eval_docs()
    cache: dict[str, str] = {}
    cluster_root_causes(docs, cache=cache)
    assert any(k.startswith("theme:") for k in cache)
    assert any(k.startswith("similar:") for k in cache)
    # One file edited (a themed text), then one added that the vocabulary leaves over.
    docs[0] = CauseText(docs[0].incident_id, "A bad config push took down the proxies.", None)
    assert cluster_root_causes(docs, cache=cache) == cluster_root_causes(docs)
    docs.append(CauseText("eval-999", "Stale entries in the product cache kept old prices.", None))
    assert cluster_root_causes(docs, cache=cache) == cluster_root_causes(docs)
    # A cache filled under another threshold is not reused for this one.
    assert cluster_root_causes(docs, cache=cache, threshold=0.9) == cluster_root_causes(
        docs, threshold=0.9
    )
    assert cache_keys_in_use(docs) <= set(cache)


def test_root_cause_clusters_table_after_a_real_ingest(tmp_path):
    from conftest import query, template_postmortem, write_corpus

    from pipeline.ingest import ingest

    causes = {
        "a.md": ("INC-2026-01-01-001", "The payment gateway's x509 chain went stale."),
        "b.md": ("INC-2026-01-02-001", "The cert-manager renewal had silently stopped."),
        "c.md": ("INC-2026-01-03-001", "A BGP route leak sent traffic through a congested path."),
    }
    corpus = write_corpus(
        tmp_path / "corpus",
        {name: template_postmortem(iid, root_cause=text) for name, (iid, text) in causes.items()},
    )
    db = tmp_path / "pm.duckdb"
    ingest([corpus], db, workers=1)
    sql = "SELECT incident_id, cluster_id, cluster_label FROM root_cause_clusters"
    rows = {r[0]: r[1:] for r in query(db, sql)}
    assert sorted(rows) == sorted(iid for iid, _ in causes.values())
    cert_a, cert_b, bgp = (rows[iid] for iid, _ in causes.values())
    assert cert_a == cert_b and cert_a[1] == "expired TLS certificate"
    assert bgp[1] == "network routing failure"


_WORDS = ISSUE_TEXTS[0].split() + ["dns", "TBD", "queue", "x509", "é", "\u200b", "-", "5xx"]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=0, max_size=80) | st.lists(st.sampled_from(_WORDS)).map(" ".join),
            st.none() | st.sampled_from(["dns", "DNS", "Cosmic rays", "", "  "]),
        ),
        max_size=12,
    )
)
def test_any_input_gives_one_row_per_text_in_any_order(items):
    docs = [CauseText(f"INC-{n:02d}", text, pin) for n, (text, pin) in enumerate(items)]
    out = cluster_root_causes(docs)
    assert [a.incident_id for a in out] == [d.incident_id for d in docs if d.text.strip()]
    assert sorted({a.cluster_id for a in out}) == list(
        range(1, len({a.cluster_id for a in out}) + 1)
    )
    assert all(a.cluster_label.strip() and 0.0 <= a.similarity <= 1.0 for a in out)
    assert cluster_root_causes(list(reversed(docs))) == out
