"""The labelled sets of real postmortems (`data/real/`, guide: `docs/labelling-guide.md`).

    python -m devtools.labels draft DOC...      rows to label, one TSV block per document
    python -m devtools.labels split             write data/real/split.json (once, before tuning)
    python -m devtools.labels check             label files well formed, split hash unchanged
    python -m devtools.labels merge             gather data/real/labels-work/*/ into the sets

Documents are named `wild/<file>` (the shared corpus, `../shared/corpus/wild`) or
`real/<file>` (`data/real/docs`). The draft lists the rows the parser finds, with their line
and time as read, but never a kind: kinds are decided by a person reading the document.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "data" / "real"
WILD = REPO.parent / "shared" / "corpus" / "wild"
KINDS = (
    "impact_start",
    "alert",
    "acknowledged",
    "root_cause",
    "mitigation",
    "restored",
    "all_clear",
    "other",
)
MECHANISMS = (
    "expiry",
    "config_change",
    "code_deploy",
    "capacity",
    "third_party",
    "dns",
    "network",
    "database",
    "data_deletion",
    "hardware",
    "time",
    "security",
    "operator_action",
    "latent_bug",
    "other",
)
SPLIT_FILE = REAL / "split.json"
SPLIT_SEED = 20261203


def doc_path(doc: str) -> Path:
    """The file of a document name (`wild/x.md` or `real/x.md`)."""
    corpus, _, name = doc.partition("/")
    if corpus == "wild":
        return WILD / name
    if corpus == "real":
        return REAL / "docs" / name
    raise ValueError(f"{doc!r}: a document is named wild/<file> or real/<file>")


def all_docs() -> list[str]:
    """Every document of the labelled sets, wild first, by name."""
    wild = sorted(f"wild/{p.name}" for p in WILD.glob("*.md"))
    real = sorted(f"real/{p.name}" for p in (REAL / "docs").glob("*.md"))
    return wild + real


def manifest() -> dict[str, dict[str, str]]:
    """doc -> its manifest row (repository, path, commit, licence...), both corpora."""
    rows: dict[str, dict[str, str]] = {}
    for corpus, path in (("wild", WILD / "MANIFEST.tsv"), ("real", REAL / "MANIFEST.tsv")):
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows[f"{corpus}/{row['file']}"] = row
    return rows


# ---------------------------------------------------------------------------------------------
# Drafting


def draft(docs: list[str]) -> str:
    """TSV rows (doc, line, time_text, occurred_at, kind, event) for the timeline rows the
    parser finds, kind left empty for the labeller; a document's lines follow its header."""
    from pipeline.parse import parse_document

    out = ["doc\tline\ttime_text\toccurred_at\tkind\tevent"]
    for doc in docs:
        parsed = parse_document(doc_path(doc).read_bytes(), doc)
        for event in parsed.timeline:
            when = event.occurred_at.strftime("%Y-%m-%d %H:%M") if event.occurred_at else ""
            out.append(
                "\t".join(
                    [
                        doc,
                        str(event.line),
                        _one_line(event.time_text),
                        when,
                        "",
                        _one_line(event.event),
                    ]
                )
            )
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


# ---------------------------------------------------------------------------------------------
# The frozen split


def in_test_split(doc: str) -> bool:
    """A document's side, fixed by its name alone: a seeded hash puts about a third in the
    test split. Documents added later land by the same rule, so no document is ever placed
    after its result was seen, and earlier ones never move."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{doc}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 3 == 0


def make_split(docs: list[str]) -> dict:
    """The test split of `docs` (see `in_test_split`), with its hash."""
    test = sorted(d for d in docs if in_test_split(d))
    return {
        "rule": "sha256(f'{seed}:{doc}') first 8 bytes, big-endian, mod 3 == 0",
        "seed": SPLIT_SEED,
        "documents": len(docs),
        "test": test,
        "sha256": split_hash(test),
    }


def split_hash(test: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(test)).encode()).hexdigest()


def load_split() -> set[str]:
    data = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    if split_hash(data["test"]) != data["sha256"]:
        raise SystemExit(f"{SPLIT_FILE}: the test split does not match its recorded hash")
    return set(data["test"])


# ---------------------------------------------------------------------------------------------
# Reading and checking the label files


@dataclass(frozen=True, slots=True)
class RowLabel:
    doc: str
    line: int
    time_text: str
    occurred_at: str
    kind: str
    event: str


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def timeline_labels() -> list[RowLabel]:
    return [
        RowLabel(r["doc"], int(r["line"]), r["time_text"], r["occurred_at"], r["kind"], r["event"])
        for r in read_tsv(REAL / "timeline_labels.tsv")
    ]


def check() -> list[str]:
    """Everything wrong with the label files (empty when all is well)."""
    problems: list[str] = []
    known = set(all_docs())
    rows = manifest()
    for doc in known:
        if doc not in rows:
            problems.append(f"{doc}: not in a MANIFEST.tsv")
    test = load_split()
    problems += [f"split.json: {doc} is not a document" for doc in sorted(test - known)]
    seen: set[tuple[str, int]] = set()
    lines_of: dict[str, int] = {}
    for row in timeline_labels():
        where = f"timeline_labels.tsv: {row.doc}:{row.line}"
        if row.doc not in known:
            problems.append(f"{where}: unknown document")
            continue
        if row.kind not in KINDS:
            problems.append(f"{where}: kind {row.kind!r} is not one of {', '.join(KINDS)}")
        if (row.doc, row.line) in seen:
            problems.append(f"{where}: labelled twice")
        seen.add((row.doc, row.line))
        if row.doc not in lines_of:
            lines_of[row.doc] = doc_path(row.doc).read_bytes().count(b"\n") + 1
        if not 1 <= row.line <= lines_of[row.doc]:
            problems.append(f"{where}: the file has {lines_of[row.doc]} lines")
    cause_path = REAL / "cause_labels.tsv"
    if cause_path.exists():
        for row in read_tsv(cause_path):
            if row["doc"] not in known:
                problems.append(f"cause_labels.tsv: {row['doc']}: unknown document")
            if row["mechanism"] not in MECHANISMS:
                problems.append(f"cause_labels.tsv: {row['doc']}: mechanism {row['mechanism']!r}")
    return problems


LABEL_FILES = {
    "timeline_labels.tsv": ("doc", "line", "time_text", "occurred_at", "kind", "event"),
    "document_labels.tsv": (
        "doc", "incident_date", "severity", "action_count", "duration_minutes",
        "duration_basis", "notes",
    ),
    "cause_labels.tsv": ("doc", "mechanism", "what_failed", "cause_text", "source"),
}  # fmt: skip


def merge() -> dict[str, int]:
    """Gather the labellers' files (`data/real/labels-work/<batch>/*.tsv`) into the three
    label sets, one row per key, sorted by document (and line)."""
    counts = {}
    for name, columns in LABEL_FILES.items():
        rows: dict[tuple, dict[str, str]] = {}
        for path in sorted((REAL / "labels-work").glob(f"*/{name}")):
            for row in read_tsv(path):
                key = (row["doc"], int(row["line"])) if "line" in columns else (row["doc"],)
                # a document's name is a file name, kept byte for byte (dfds has one with two
                # spaces in a row); every other field is text, put on one line
                rows[key] = {c: (row.get(c) or "") if c == "doc" else _one_line(row.get(c) or "")
                             for c in columns}  # fmt: skip
        with (REAL / name).open("w", encoding="utf-8", newline="") as handle:
            handle.write("\t".join(columns) + "\n")
            for key in sorted(rows):
                handle.write("\t".join(rows[key][c] for c in columns) + "\n")
        counts[name] = len(rows)
    return counts


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, args = argv[0], argv[1:]
    if command == "draft":
        sys.stdout.write(draft(args or all_docs()))
        return 0
    if command == "split":
        split = make_split(all_docs())
        if SPLIT_FILE.exists():
            # Documents added since land by the rule; one already placed never changes side.
            before = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))["test"]
            dropped = sorted(set(before) - set(split["test"]))
            if dropped:
                print(f"refusing: the split would drop {dropped}", file=sys.stderr)
                return 2
        SPLIT_FILE.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
        print(f"{len(split['test'])} of {split['documents']} documents in the test split")
        return 0
    if command == "merge":
        for name, count in merge().items():
            print(f"{name}: {count} rows")
        return 0
    if command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print("labels: ok" if not problems else f"labels: {len(problems)} problems")
        return 1 if problems else 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
