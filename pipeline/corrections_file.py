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
    unreadable: str | None = None
    """Why the file could not be read (then `text` is empty and nothing is applied)."""


def read_corrections_file(path: str | Path) -> CorrectionsFile:
    """One corrections file as the loader and lint read it (never raises)."""
    resolved = str(Path(path).resolve())
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES)
    except OSError as exc:
        return CorrectionsFile(resolved, "", exc.strerror or type(exc).__name__)
    return CorrectionsFile(resolved, data.decode("utf-8", "replace"))


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
                found.append(read_corrections_file(candidate))
                break
    return found


def digest(files: list[CorrectionsFile]) -> str:
    """Changes whenever any corrections file changes (so the groups are worked out again)."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.path}\0{f.text}\0".encode("utf-8", "surrogatepass"))
        if f.unreadable is not None:
            h.update(f"unreadable\0{f.unreadable}\0".encode())
    return h.hexdigest()[:16]
