"""What the previous load left: whether the target is ours, and which files changed since.

A re-run stats every file (that cannot be avoided: an edit in place changes no folder) and
compares size and mtime with what `source_files` recorded. On 100,000 files the comparison is
one query returning one string, split in Python into a set of 'path, stamp' strings, and a set
lookup per file: fetching 100,000 rows as tuples cost 0.13 s here, a join in DuckDB against the
stats passed as lists 0.25 s, a dict of (size, mtime) tuples 0.09 s more than this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline import db as dbmod
from pipeline.discover import path_of, stored_paths
from pipeline.load_records import FileJob

DUCKDB_MAGIC = b"DUCK"


class TargetError(Exception):
    """The --db path is not something a load may write (the message says why)."""


@dataclass
class Plan:
    """Which files this load reads, and which it keeps or forgets without reading."""

    jobs: list[FileJob] = field(default_factory=list)
    """In path order: the first file to claim an id keeps it, and workers hand back in order."""
    unchanged: int = 0
    """Files whose size and mtime match the previous load: kept without being read."""
    removed: list[str] = field(default_factory=list)
    """Paths the previous load recorded that are gone now."""
    removed_loaded: int = 0
    """How many of those had been loaded (not rejected)."""
    previously_loaded: int = 0
    """Files the previous load had loaded (0 for a first or --full load)."""


def check_target(db_path):
    """('absent' | 'ours' | 'rebuild', a read-only connection when 'ours').

    'ours' is a readable database of this schema, 'rebuild' an older schema of ours. A file
    that is someone else's raises TargetError."""
    if not db_path.exists():
        return "absent", None
    if db_path.is_dir():
        raise TargetError(f"{db_path}: is a folder; give --db a file path")
    with open(db_path, "rb") as handle:
        header = handle.read(16)
    if header[8:12] != DUCKDB_MAGIC:
        raise TargetError(
            f"{db_path}: exists and is not a DuckDB database; refusing to overwrite it "
            "(choose another --db or remove the file)"
        )
    try:
        con = dbmod.open_readonly(db_path)
    except dbmod.DatabaseError:
        if _has_our_meta(db_path):
            return "rebuild", None
        raise TargetError(
            f"{db_path}: is a DuckDB database but not one made by postmortems; refusing to "
            "overwrite it (choose another --db or remove the file)"
        ) from None
    return "ours", con


def _has_our_meta(db_path) -> bool:
    """True for a database an older postmortems wrote (its meta table has a schema_version)."""
    import duckdb

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return bool(row)
    except duckdb.Error:
        return False
    finally:
        con.close()


@dataclass
class Recorded:
    """What the previous load recorded about each file."""

    loaded: set[str] = field(default_factory=set)
    """`discover.record(path, stamp)` of every file loaded."""
    rejected: set[str] = field(default_factory=set)
    """The paths of the files rejected."""


def read_recorded(con) -> Callable[[], Recorded]:
    """Start reading what the previous load recorded; call the result to wait for it.

    DuckDB runs the query without holding the GIL, so it overlaps the folder scan (0.1 s of a
    one-file re-ingest at 100k). A Ctrl-C while waiting stops the query and waits for it to
    end before the cursor is closed (a busy cursor cannot be), then goes on as Ctrl-C."""
    cursor = con.cursor()
    box: list[Recorded | Exception] = []
    done = threading.Event()

    def read() -> None:
        try:
            box.append(_recorded(cursor))
        except Exception as exc:  # noqa: BLE001 - handed to the waiter, who says what it means
            box.append(exc)
        finally:
            done.set()

    threading.Thread(target=read, daemon=True).start()
    closed = False

    def wait() -> Recorded:
        nonlocal closed
        try:
            done.wait()
        except KeyboardInterrupt:
            cursor.interrupt()
            _wait_through_ctrl_c(done)
            raise
        finally:
            # Whatever happened meanwhile, before the connection closes.
            if done.is_set() and not closed:
                cursor.close()
                closed = True
        if not box or isinstance(box[0], Exception):
            reason = f": {str(box[0]).strip().splitlines()[-1]}" if box and str(box[0]) else ""
            raise TargetError(f"cannot read source_files of the previous load{reason}")
        return box[0]

    return wait


def _wait_through_ctrl_c(done: threading.Event) -> None:
    """Wait for `done`, whatever further Ctrl-C arrive meanwhile (the query was told to stop)."""
    while True:
        try:
            done.wait()
            return
        except KeyboardInterrupt:
            continue


class Comparison:
    """The files found now against the previous load (`previous`: a connection to it, and what
    it recorded; None to read every file), fed batch by batch as a scan finds them
    (`BackgroundScan.result(consumer)`), so the set lookups run while the scan still stats
    (0.05 s of a one-file re-ingest at 100k)."""

    def __init__(self, previous, recorded: Recorded | None) -> None:
        self.previous = previous if recorded is not None else None
        self.recorded = recorded
        self.restart()

    def restart(self) -> None:
        self.found: list[str] = []
        self.stored: list[str] = []
        """Every record as the previous load recorded it, stamps and all."""
        self.maybe_changed: list[int] = []
        """Indexes of the records the previous load did not record as they are now."""

    def add(self, records: list[str]) -> None:
        stored = stored_paths(records)
        if self.recorded is not None:
            known, start = self.recorded.loaded, len(self.stored)
            self.maybe_changed += [start + i for i, r in enumerate(stored) if r not in known]
        self.found += records
        self.stored += stored

    def plan(self) -> Plan:
        result = Plan()
        found, stored = self.found, self.stored
        if self.previous is None or self.recorded is None:
            result.jobs = sorted(
                (FileJob(path_of(r), path_of(s), None) for r, s in zip(found, stored)),
                key=_by_path,
            )
            return result
        known, rejected = self.recorded.loaded, self.recorded.rejected
        result.previously_loaded = len(known)
        maybe_changed = self.maybe_changed
        result.unchanged = len(stored) - len(maybe_changed)
        changed_paths = [path_of(stored[i]) for i in maybe_changed]
        # Rejected files have no hash worth keeping: the reason (a permission, a size limit)
        # may have gone away without the content changing, so they are always read again.
        previous_sha = _hashes(
            self.previous, [path for path in changed_paths if path not in rejected]
        )
        result.jobs = sorted(
            (
                FileJob(path_of(found[i]), path, previous_sha.get(path))
                for i, path in zip(maybe_changed, changed_paths)
            ),
            key=_by_path,
        )
        # Files loaded before and not seen unchanged now are changed (they have a hash) or
        # gone; only when some are gone is it worth finding which (0.04 s on 100k files).
        if len(known) - result.unchanged > len(previous_sha) or rejected:
            current = {path_of(record) for record in stored}
            gone = {path_of(record) for record in known.difference(stored)} - current
            result.removed_loaded = len(gone)
            result.removed = sorted(gone | (rejected - current))
        return result


def _by_path(job: FileJob) -> str:
    return job.real_path


def _recorded(con) -> Recorded:
    """One string per query, split in Python: paths cannot hold NUL, and neither field is
    empty, so NUL separates the fields and two NULs the files."""
    loaded, rejected = con.execute(
        """
        SELECT
            string_agg(source_path || chr(0) || coalesce(size_bytes || ' ' || mtime_ns, '-'),
                       chr(0) || chr(0)) FILTER (WHERE outcome <> 'rejected'),
            string_agg(source_path, chr(0)) FILTER (WHERE outcome = 'rejected')
        FROM source_files
        """
    ).fetchall()[0]
    return Recorded(
        set(loaded.split("\0\0")) if loaded else set(),
        set(rejected.split("\0")) if rejected else set(),
    )


def _hashes(con, paths: list[str]) -> dict[str, str]:
    if not paths:
        return {}
    rows = con.execute(
        "SELECT source_path, content_sha256 FROM source_files "
        "WHERE source_path IN (SELECT unnest(?::VARCHAR[]))",
        [paths],
    ).fetchall()
    return dict(rows)
