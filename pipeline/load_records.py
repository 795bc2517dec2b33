"""The records a load passes from reading files to writing the database.

The parser's records (`pipeline.model`) describe what one document says; these describe what
happened to one file in one load: its outcome, the problems found, or that it was read again
and found unchanged. Workers make them and send them, with the flattened rows, to the process
that writes the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOADED = "loaded"
LOADED_WITH_WARNINGS = "loaded_with_warnings"
REJECTED = "rejected"


@dataclass(slots=True, frozen=True)
class FileJob:
    """A file to read in this load."""

    real_path: str
    """The path to open (on Linux, a name that is not UTF-8 keeps its surrogate escapes)."""
    source_path: str
    """The path as recorded in the database (always valid UTF-8, see `discover.stored_path`)."""
    previous_sha: str | None
    """The content hash the previous load recorded, or None when it must be parsed whatever."""


@dataclass(slots=True, frozen=True)
class FileOutcome:
    """A file read and parsed (or refused) in this load: one row of `source_files`."""

    source_path: str
    content_sha256: str | None
    """None when the file could not be read."""
    size_bytes: int | None
    mtime_ns: int | None
    outcome: str
    """LOADED, LOADED_WITH_WARNINGS or REJECTED."""
    claimed_id: str | None = None
    """The id the document claims, or one made from its file name; None when rejected."""


@dataclass(slots=True, frozen=True)
class UnchangedFile:
    """A file read again (its size or mtime moved) whose content hash had not changed."""

    source_path: str
    size_bytes: int
    mtime_ns: int


@dataclass(slots=True, frozen=True)
class LoadProblem:
    """One row of `load_problems`: something about a file the loader or the parser reports."""

    source_path: str
    line: int | None
    """1-based line in the file, None when the problem is about the whole file."""
    level: str
    """'error' (the file was not loaded) or 'warning'."""
    code: str
    message: str


@dataclass(slots=True)
class ChunkResult:
    """What a worker sends back for one chunk of files."""

    rows: dict[str, dict[str, list]] = field(default_factory=dict)
    """Table name -> column name -> values, for the documents loaded (see `rows.Columns`)."""
    outcomes: list[FileOutcome] = field(default_factory=list)
    unchanged: list[UnchangedFile] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
