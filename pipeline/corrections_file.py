"""Where the reviewers' corrections file lives and whether it changed: what `ingest` needs of
it before any grouping runs (`pipeline.clusters.corrections` reads and applies it). Kept apart
so a load that only checks for changes imports nothing heavy."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

FILE_NAMES = ("causes.yml", "causes.yaml")
MAX_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class CorrectionsFile:
    path: str
    text: str


def find_corrections(paths: list[str | Path]) -> list[CorrectionsFile]:
    """The corrections files at the root of each folder being loaded (first name found)."""
    found: list[CorrectionsFile] = []
    for root in paths:
        root = Path(root)
        if not root.is_dir():
            continue
        for name in FILE_NAMES:
            candidate = root / name
            if candidate.is_file():
                data = candidate.read_bytes()[:MAX_BYTES]
                found.append(
                    CorrectionsFile(str(candidate.resolve()), data.decode("utf-8", "replace"))
                )
                break
    return found


def digest(files: list[CorrectionsFile]) -> str:
    """Changes whenever any corrections file changes (so the groups are worked out again)."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.path}\0{f.text}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]
