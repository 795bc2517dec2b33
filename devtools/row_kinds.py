"""Train and evaluate the timeline row-kind model on the hand-labelled real rows.

    python -m devtools.row_kinds train         fit on the training split, write the weights
    python -m devtools.row_kinds evaluate      figures on the frozen test split
    python -m devtools.row_kinds evaluate --split train | --split all
    python -m devtools.row_kinds learning-curve   cross-validated accuracy against training size

Training sees only documents outside the frozen test split (`data/real/split.json`). The
regularisation is chosen by 5-fold cross-validation grouped by document, on the training
documents alone. The weights file is written deterministically (sorted, rounded), so
`make train-kinds` reproduces the shipped `pipeline/parse/row_kinds.json` byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from devtools import labels as L
from devtools import linear
from pipeline.model import KIND_COLUMNS, TIMELINE_KINDS
from pipeline.parse.kinds import MODEL_PATH, row_features
from pipeline.parse.text import clean_inline

C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
CLASS_WEIGHTS = (None, "balanced")
PRUNE_BELOW = 0.02


@dataclass(slots=True)
class Row:
    doc: str
    features: list[str]
    kind: str


def _parsed(doc: str):
    from pipeline.parse import parse_document

    return parse_document(L.doc_path(doc).read_bytes(), doc)


def training_rows(docs: set[str]) -> list[Row]:
    """The labelled rows of `docs` as the model meets them: the parser's text where the
    parser found the row (matched by line), the labelled text where it did not, in the
    labelled order, with the features the parser computes (`kinds.row_features`)."""
    by_doc: dict[str, list[L.RowLabel]] = defaultdict(list)
    for label in L.timeline_labels():
        if label.doc in docs:
            by_doc[label.doc].append(label)
    rows: list[Row] = []
    for doc, labelled in sorted(by_doc.items()):
        labelled.sort(key=lambda r: r.line)
        parsed = {e.line: e for e in _parsed(doc).timeline}
        texts = [
            parsed[r.line].event if r.line in parsed else clean_inline(r.event) for r in labelled
        ]
        timed = [bool(r.occurred_at) for r in labelled]
        for index, label in enumerate(labelled):
            rows.append(Row(doc, row_features(texts, timed, index), label.kind))
    return rows


def features(row: Row) -> dict[str, int]:
    return dict.fromkeys(row.features, 1)


def _fit(rows: list[Row], c: float, class_weight) -> linear.Fitted:
    return linear.fit([features(r) for r in rows], [r.kind for r in rows], c, class_weight)


def cross_validate(rows: list[Row]) -> list[tuple[float, float, object]]:
    """(accuracy, C, class_weight) for each setting, 5 folds grouped by document."""
    from sklearn.model_selection import GroupKFold

    groups = [r.doc for r in rows]
    results = []
    for class_weight in CLASS_WEIGHTS:
        for c in C_GRID:
            right = 0
            for train_idx, test_idx in GroupKFold(n_splits=5).split(rows, groups=groups):
                fitted = _fit([rows[i] for i in train_idx], c, class_weight)
                predicted = fitted.predict([features(rows[i]) for i in test_idx])
                right += sum(p == rows[i].kind for p, i in zip(predicted, test_idx, strict=True))
            results.append((right / len(rows), c, class_weight))
    return results


def learning_curve(
    rows: list[Row], setting: tuple[float, object], shares=(0.25, 0.5, 0.75, 1.0), seeds=3
) -> list[tuple[float, int, float]]:
    """(share of the training documents, rows fitted on per fold, accuracy) for each share:
    the same 5 folds grouped by document as `cross_validate`, each fold's model fitted on a
    random `share` of its training documents (`seeds` draws, averaged). How fast accuracy
    still grows with more labelled documents says whether labelling more is the way on."""
    import random

    from sklearn.model_selection import GroupKFold

    groups = [r.doc for r in rows]
    folds = list(GroupKFold(n_splits=5).split(rows, groups=groups))
    out = []
    for share in shares:
        right = fitted_rows = 0
        for seed in range(seeds):
            for train_idx, test_idx in folds:
                docs = sorted({rows[i].doc for i in train_idx})
                random.Random(seed).shuffle(docs)
                kept = set(docs[: max(1, round(len(docs) * share))])
                chosen = [rows[i] for i in train_idx if rows[i].doc in kept]
                fitted_rows += len(chosen)
                predicted = _fit(chosen, *setting).predict([features(rows[i]) for i in test_idx])
                right += sum(p == rows[i].kind for p, i in zip(predicted, test_idx, strict=True))
        out.append((share, fitted_rows // (seeds * len(folds)), right / (seeds * len(rows))))
    return out


def train(out=MODEL_PATH, setting: tuple[float, object] | None = None) -> dict:
    """Fit on the training split and write the weights. `setting` (C, class_weight) skips the
    cross-validated choice: the tests refit the shipped model's recorded setting (50 fits
    fewer) to check the labels and features still give its bytes."""
    test = L.load_split()
    train_docs = {d for d in L.all_docs() if d not in test}
    rows = training_rows(train_docs)
    c, class_weight = setting or linear.choose(cross_validate(rows), f"{len(rows)} rows")
    return linear.write(
        _fit(rows, c, class_weight),
        out,
        "Row-kind model: see pipeline/parse/kinds.py; retrain: make train-kinds",
        PRUNE_BELOW,
        {"rows": len(rows), "documents": len({r.doc for r in rows}), "C": c,
         "class_weight": class_weight},
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Evaluation through the real parser


def _minute(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def evaluate(docs: set[str]) -> dict:
    """Row kinds (matched by line) and milestone columns, parser against the labels."""
    by_doc: dict[str, list[L.RowLabel]] = defaultdict(list)
    for label in L.timeline_labels():
        if label.doc in docs:
            by_doc[label.doc].append(label)
    confusion: Counter = Counter()
    missed = 0
    column_right: Counter = Counter()
    column_total: Counter = Counter()
    column_present: Counter = Counter()
    column_present_right: Counter = Counter()
    wrong: list[str] = []
    for doc, labelled in sorted(by_doc.items()):
        parsed = _parsed(doc)
        found = {e.line: e for e in parsed.timeline}
        for label in labelled:
            event = found.get(label.line)
            if event is None:
                missed += 1
                confusion[(label.kind, "(missed)")] += 1
            else:
                confusion[(label.kind, event.kind)] += 1
        for kind, column in KIND_COLUMNS.items():
            truths = sorted(r.occurred_at for r in labelled if r.kind == kind and r.occurred_at)
            truth = truths[0] if truths else ""
            got = _minute(getattr(parsed.incident, column))
            column_total[column] += 1
            column_right[column] += truth == got
            if truth:
                column_present[column] += 1
                column_present_right[column] += truth == got
            if truth != got:
                wrong.append(f"{doc} {column}: labelled {truth or 'NULL'}, parsed {got or 'NULL'}")
    return {
        "documents": len(by_doc),
        "confusion": confusion,
        "missed": missed,
        "column_right": column_right,
        "column_total": column_total,
        "column_present": column_present,
        "column_present_right": column_present_right,
        "wrong": wrong,
    }


def report(result: dict, verbose: bool = False) -> str:
    confusion: Counter = result["confusion"]
    rows = sum(confusion.values())
    right = sum(n for (t, p), n in confusion.items() if t == p)
    lines = [
        (
            f"documents {result['documents']}, labelled rows {rows}, "
            f"rows the parser missed {result['missed']}"
        ),
        f"row-kind accuracy {right / rows:.3f} ({right}/{rows})" if rows else "no rows",
        "",
        "| kind | labelled | predicted | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for kind in TIMELINE_KINDS:
        tp = confusion[(kind, kind)]
        labelled = sum(n for (t, _), n in confusion.items() if t == kind)
        predicted = sum(n for (_, p), n in confusion.items() if p == kind)
        p = tp / predicted if predicted else float("nan")
        r = tp / labelled if labelled else float("nan")
        f = 2 * p * r / (p + r) if predicted and labelled and p + r else float("nan")
        lines.append(f"| {kind} | {labelled} | {predicted} | {p:.2f} | {r:.2f} | {f:.2f} |")
    lines += ["", "| column | right (all documents) | right (where labelled) |", "|---|---|---|"]
    for column in KIND_COLUMNS.values():
        total, ok = result["column_total"][column], result["column_right"][column]
        present, pok = result["column_present"][column], result["column_present_right"][column]
        share = f"{pok / present:.0%} ({pok}/{present})" if present else "-"
        lines.append(f"| `{column}` | {ok / total:.0%} ({ok}/{total}) | {share} |")
    kinds = [*TIMELINE_KINDS, "(missed)"]
    lines += ["", "confusion (rows: labelled, columns: parsed)"]
    lines.append("".ljust(14) + "".join(k[:8].rjust(9) for k in kinds))
    for t in TIMELINE_KINDS:
        lines.append(t.ljust(14) + "".join(str(confusion[(t, p)]).rjust(9) for p in kinds))
    if verbose:
        lines += ["", *result["wrong"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.row_kinds")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train")
    ev = sub.add_parser("evaluate")
    ev.add_argument("--split", choices=("test", "train", "all"), default="test")
    ev.add_argument("--verbose", action="store_true")
    sub.add_parser("learning-curve")
    args = parser.parse_args(argv)
    if args.command == "train":
        train()
        return 0
    if args.command == "learning-curve":
        test = L.load_split()
        rows = training_rows({d for d in L.all_docs() if d not in test})
        print("| share of training documents | rows per fit | cross-validated accuracy |")
        print("|---|---|---|")
        for share, fitted, accuracy in learning_curve(rows, linear.recorded_setting(MODEL_PATH)):
            print(f"| {share:.0%} | {fitted} | {accuracy:.3f} |")
        return 0
    test = L.load_split()
    everything = set(L.all_docs())
    docs = {"test": test, "train": everything - test, "all": everything}[args.split]
    print(f"split: {args.split}")
    print(report(evaluate(docs), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
