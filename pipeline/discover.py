"""Find the postmortem files under the paths a user gives, with their size and mtime.

Symlinked folders are followed (teams link shared folders in), but each real folder is
visited once, so a symlink loop ends instead of spinning; the loop is reported.

Each file is stat'ed once, through its open folder: on 100,000 files that stat is most of what
an unchanged re-run costs (~0.3 s here; GNU find takes as long), so nothing stats twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".md", ".markdown")
BATCH = 8192
"""Records handed on at a time by a scan that streams them (`scan_postmortems(on_batch=...)`)."""


@dataclass(slots=True)
class Skipped:
    path: str
    code: str
    message: str


@dataclass(slots=True)
class Scan:
    """The postmortem files found, each with a stamp of what it was when found."""

    records: list[str]
    """One `record(path, stamp)` per file, in the order found (sorting 100,000 paths costs
    0.1 s, so only those who need an order sort). The path is absolute; the stamp is empty
    when the stat failed (the file is read anyway, and the read says why it cannot be)."""
    skipped: list[Skipped]

    def paths(self) -> list[str]:
        return [path_of(r) for r in self.records]


def stamp(size: int, mtime_ns: int) -> str:
    """What tells a file changed without reading it: size and mtime as one string."""
    return f"{size} {mtime_ns}"


def record(path: str, stamp: str) -> str:
    """A file and its stamp as one string: paths cannot hold NUL, so NUL separates them.

    One string, because comparing 100,000 of them with the previous load's is cheaper than
    building as many tuples, and a scan can hand them over as they are."""
    return f"{path}\0{stamp}"


def path_of(record: str) -> str:
    return record.partition("\0")[0]


def stored_path(path: str) -> str:
    """The path as recorded in the database: always valid UTF-8.

    Linux file names are bytes; one that is not UTF-8 reaches Python with surrogate escapes,
    which neither Arrow nor DuckDB will store. Such bytes are written as `\\xff`, which is
    deterministic, so an incremental load still recognises the file next time.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_postmortem_name(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def stored_paths(paths: list[str]) -> list[str]:
    """`stored_path` of each path (or record: the stamp is ASCII and unchanged); one encode
    of them all when, as usual, all are UTF-8."""
    try:
        "\0".join(paths).encode("utf-8")
        return paths
    except UnicodeEncodeError:
        return [stored_path(path) for path in paths]


def find_postmortems(paths: list[str | Path]) -> tuple[list[str], list[Skipped]]:
    """Return (absolute file paths, sorted and unique; what was skipped and why)."""
    scan = scan_postmortems(paths)
    return sorted(scan.paths()), scan.skipped


def scan_postmortems(
    paths: list[str | Path], on_batch: Callable[[list[str]], None] | None = None
) -> Scan:
    """The files under `paths` (absolute, unique) with their stamps; what was skipped.

    With `on_batch`, records are handed to it `BATCH` at a time as they are found, and the
    Scan returned holds only the rest; the caller then makes them unique itself if it gave
    several paths (`unique_records`)."""
    records: list[str] = []
    skipped: list[Skipped] = []
    # Shared by every path given: a folder reached again through another one (`ingest docs
    # docs-link`) is read once, or each of its postmortems would count twice.
    visited: set[tuple[int, int]] = set()
    sink = _Sink(records, on_batch)
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            skipped.append(Skipped(str(path), "not_found", f"{path}: no such file or folder"))
        elif path.is_dir():
            _walk(path, sink, skipped, visited)
        else:
            # A file named explicitly is taken whatever its suffix: the user asked for it.
            absolute = os.path.abspath(path)
            try:
                st = os.stat(absolute)
                records.append(record(absolute, stamp(st.st_size, st.st_mtime_ns)))
            except OSError:
                records.append(record(absolute, ""))
    if len(paths) > 1 and on_batch is None:
        records = unique_records(records)
    return Scan(records, skipped)


def unique_records(records: list[str]) -> list[str]:
    """Paths given may overlap (a folder and a file in it): each file once, where first found."""
    first: dict[str, str] = {}
    for r in records:
        first.setdefault(path_of(r), r)
    return list(first.values())


class _Sink:
    """Where a scan puts its records: a list, emptied into `on_batch` every BATCH records."""

    __slots__ = ("limit", "on_batch", "records")

    def __init__(self, records: list[str], on_batch: Callable[[list[str]], None] | None):
        self.records = records
        self.on_batch = on_batch
        self.limit = BATCH if on_batch is not None else float("inf")

    def hand_on(self) -> None:
        self.on_batch(self.records.copy())  # type: ignore[misc] - only called with one
        self.records.clear()


def _walk(root: Path, sink: _Sink, skipped: list[Skipped], visited: set[tuple[int, int]]) -> None:
    """Every postmortem under `root`, folders in sorted order, each real folder once.

    Each folder is opened once and its entries listed and stat'ed through that descriptor
    (os.walk lists by path and would stat every file by its whole path again)."""
    # Absolute once, here: abspath per file (its normalisation) cost ~0.8 s on 100,000 files.
    pending = [os.path.abspath(root)]
    while pending:
        dirpath = pending.pop()
        try:
            folder = os.open(dirpath, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as err:
            skipped.append(_unreadable(dirpath, err))
            continue
        try:
            st = os.fstat(folder)
            key = (st.st_dev, st.st_ino)
            if key in visited:
                skipped.append(
                    Skipped(
                        dirpath,
                        "symlink_loop",
                        f"{dirpath}: folder already read through another path (a symbolic "
                        "link, or a loop of them); not read twice",
                    )
                )
                continue
            visited.add(key)
            subfolders = _list(dirpath, folder, sink)
        except OSError as err:
            skipped.append(_unreadable(dirpath, err))
            continue
        finally:
            os.close(folder)
        # Depth first, in sorted order: the first path to reach a folder is the one it is
        # recorded under, so which one that is must not depend on the file system's order.
        pending.extend(dirpath + os.sep + name for name in sorted(subfolders, reverse=True))


def _list(dirpath: str, folder: int, sink: _Sink) -> list[str]:
    """Record the postmortems of one open folder; return its sub-folders' names.

    The loop body runs once per file, so `record` and `stamp` are written out in it: calling
    them cost 0.02 s more per 100,000 files, ~5% of the scan."""
    subfolders = []
    prefix = dirpath + os.sep
    records, limit = sink.records, sink.limit
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()  # follows symlinks: linked folders are walked
            except OSError:
                is_folder = False
            if is_folder:
                subfolders.append(name)
            elif is_postmortem_name(name):
                try:
                    st = entry.stat()
                    records.append(f"{prefix}{name}\0{st.st_size} {st.st_mtime_ns}")
                except OSError:
                    records.append(f"{prefix}{name}\0")
                if len(records) >= limit:
                    sink.hand_on()
    return subfolders


def _unreadable(dirpath: str, err: OSError) -> Skipped:
    return Skipped(dirpath, "unreadable_folder", f"{dirpath}: cannot list folder ({err.strerror})")
