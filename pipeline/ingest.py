"""Load a folder of postmortems into a DuckDB file: incremental, parallel, all-or-nothing.

How a load goes:
1. Only one load writes a database at a time (an advisory lock beside it); a second load
   exits with a clear message instead of racing.
2. Files are found and stat'ed (`discover`, in a child process: `background_scan`, forked
   as the program starts by `early_scan`), while this one parses the command line, opens the
   previous database and imports the parser; then they are compared with what the previous
   load recorded in `source_files` (`previous_load`): same size and mtime means
   unchanged without reading; otherwise the file is read and hashed, and only a changed hash
   is parsed. Parsing runs in worker processes (`parse_pool`).
3. The new database is the next generation of the file (`generations`): a fresh file for a
   full load, an up-to-date copy of the previous one for an incremental load, written by
   `store.LoadWriter` and renamed over the old one only when complete. A crash, SIGKILL or
   Ctrl-C leaves the previous database untouched; readers holding the old file keep reading it.
4. Every file ends up in `source_files` (loaded, loaded_with_warnings or rejected) and every
   problem in `load_problems`, so nothing is lost silently.

docs/loader.md has what a load costs and the measurements behind this design.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import db as dbmod
from pipeline import early_scan, generations
from pipeline.background_scan import BackgroundScan
from pipeline.corrections_file import CorrectionsFile, digest, find_corrections
from pipeline.discover import stored_path
from pipeline.load_records import LOADED_WITH_WARNINGS, REJECTED, ChunkResult, LoadProblem
from pipeline.previous_load import (
    Comparison,
    Plan,
    TargetError,
    check_target,
    read_recorded,
)
from pipeline.source_file import DEFAULT_MAX_FILE_BYTES


class IngestError(Exception):
    """A load that cannot start (the message is one line saying why and what to do)."""


@dataclass
class IngestSummary:
    db_path: str
    seen: int = 0
    loaded: int = 0
    """Parsed and loaded this run (including those with warnings)."""
    loaded_with_warnings: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0
    """Incidents whose file disappeared since the previous load."""
    previously_loaded: int = 0
    """Files the previous load had loaded (0 for a first or --full load)."""
    seconds: float = 0.0
    problems_by_code: Counter = field(default_factory=Counter)
    rejected_files: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of every file rejected this run."""
    loaded_files: list[str] = field(default_factory=list)
    """Paths loaded this run (a re-run names the few it read again)."""
    removed_files: list[str] = field(default_factory=list)
    """Paths the previous load recorded that are gone now."""

    def count(self, chunk: ChunkResult) -> None:
        for outcome in chunk.outcomes:
            if outcome.outcome == REJECTED:
                self.rejected += 1
            else:
                self.loaded += 1
                self.loaded_files.append(outcome.source_path)
                self.loaded_with_warnings += outcome.outcome == LOADED_WITH_WARNINGS
        self.unchanged += len(chunk.unchanged)
        self.count_problems(chunk.problems)

    def count_problems(self, problems: list[LoadProblem]) -> None:
        for problem in problems:
            self.problems_by_code[problem.code] += 1
            if problem.level == "error":
                self.rejected_files.append((problem.source_path, problem.message))


@contextmanager
def _ingest_lock(db_path: Path):
    lock_path = db_path.with_name(db_path.name + ".ingest-lock")
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole load, closed in finally
    except OSError as exc:
        raise IngestError(
            f"cannot write {lock_path}: {exc.strerror or exc} (choose another --db)"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IngestError(
                f"{db_path}: another ingest is writing this database (pid {holder}); "
                "try again when it has finished"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _check_arguments(paths: list[str | Path], db_path: Path) -> None:
    if not db_path.name or db_path.name in (".", ".."):
        raise IngestError(
            f"--db {str(db_path)!r} names no file; give the database file to write, e.g. data/postmortems.duckdb"
        )
    # A path that does not exist is a typo or an unmounted share, not "every file was deleted":
    # stop before anything is written rather than empty the database.
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise IngestError(
            f"{', '.join(missing)}: no such file or folder; nothing loaded, {db_path} unchanged"
        )
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IngestError(
            f"cannot create the folder of {db_path}: {exc.strerror or exc} (choose another --db)"
        ) from None


def ingest(
    paths: list[str | Path],
    db_path: str | Path = dbmod.DEFAULT_DB,
    *,
    full: bool = False,
    workers: int | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Load the postmortems under `paths` into `db_path`; see the module docstring."""
    started = time.perf_counter()
    db_path = Path(db_path)
    _check_arguments(paths, db_path)
    summary = IngestSummary(db_path=str(db_path))
    # The scan runs in a child process (since the program started, when `postmortems ingest`
    # guessed these paths) while this one gets ready to compare.
    background_scan = early_scan.claim(paths) or BackgroundScan(paths)
    with closing(background_scan), _ingest_lock(db_path):
        generations.remove_leftovers(db_path)
        try:
            state, previous = check_target(db_path)
        except TargetError as exc:
            raise IngestError(str(exc)) from None
        incremental = state == "ours" and not full
        corrections = find_corrections(paths)
        corrections_changed = not incremental or digest(corrections) != _stored_corrections(
            previous
        )
        recorded = read_recorded(previous) if incremental else None
        try:
            if background_scan.running():
                _warm_up_parser()
            # Each batch the child has found is compared as it arrives.
            comparison = Comparison(previous if incremental else None, recorded and recorded())
            scan = background_scan.result(comparison)
            todo = comparison.plan()
        except TargetError as exc:
            raise IngestError(f"{db_path}: {exc}; re-run with --full") from None
        finally:
            if recorded is not None:
                with suppress(TargetError):
                    recorded()
            if previous is not None:
                previous.close()
        summary.seen = len(scan.records)
        summary.unchanged = todo.unchanged
        summary.removed = todo.removed_loaded
        summary.previously_loaded = todo.previously_loaded
        summary.removed_files = list(todo.removed)
        corpus_problems = [
            LoadProblem(stored_path(s.path), None, "warning", s.code, stored_path(s.message))
            for s in scan.skipped
        ]
        summary.count_problems(corpus_problems)
        _write(
            db_path,
            todo,
            corpus_problems,
            summary,
            corrections=corrections,
            corrections_changed=corrections_changed,
            incremental=incremental,
            workers=workers or os.cpu_count() or 1,
            max_file_bytes=max_file_bytes,
            on_progress=on_progress,
        )
    summary.seconds = time.perf_counter() - started
    return summary


def _warm_up_parser() -> None:
    """Import the parser while the scan runs: any changed file needs it, and parser workers
    forked from this process start with it imported. Not when the scan is already done (a
    small corpus): a load that finds nothing changed would pay for it (0.07 s)."""
    from pipeline.parse import parse_document

    parse_document(b"# Warm-up\n", "warm-up.md")


def _stored_corrections(con) -> str | None:
    """The digest of the corrections files the previous load applied (None if unknown)."""
    if con is None:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'corrections'").fetchone()
    except Exception:  # noqa: BLE001 - an older database: treat as changed
        return None
    return row[0] if row else None


def _write(
    db_path: Path,
    todo: Plan,
    corpus_problems: list[LoadProblem],
    summary: IngestSummary,
    *,
    corrections: list[CorrectionsFile],
    corrections_changed: bool,
    incremental: bool,
    workers: int,
    max_file_bytes: int,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """Parse the files to read and write the next generation, unless nothing changed."""
    import duckdb

    from pipeline.parse_pool import run_parsers
    from pipeline.store import LoadWriter

    temp = generations.temp_path(db_path)
    writer: LoadWriter | None = None
    # Files read again but found unchanged need no new generation by themselves: they wait
    # until something else makes one (then their new size and mtime are recorded).
    waiting: list[ChunkResult] = []

    def open_writer() -> LoadWriter:
        if incremental:
            generations.prepare_copy(db_path, temp)
        new = LoadWriter(temp, fresh=not incremental)
        for chunk in waiting:
            new.add(chunk)
        waiting.clear()
        return new

    try:
        with closing(run_parsers(todo.jobs, workers, max_file_bytes, on_progress)) as chunks:
            for chunk in chunks:
                summary.count(chunk)
                if writer is None and not chunk.outcomes:
                    waiting.append(chunk)
                    continue
                writer = writer or open_writer()
                writer.add(chunk)
        touched = any(chunk.unchanged for chunk in waiting)
        if (
            writer is None
            and incremental
            and not (touched or todo.removed or corpus_problems or corrections_changed)
        ):
            # A re-run over an unchanged corpus leaves the database file alone: no copy, no
            # rename, and the dashboard's caches (keyed on the file) stay warm.
            return
        writer = writer or open_writer()
        summary.count_problems(
            writer.finish(
                removed=todo.removed, corpus_problems=corpus_problems, corrections=corrections
            )
        )
        writer.close()
        writer = None
        generations.commit(temp, db_path)
    except (OSError, duckdb.Error) as exc:
        # A full disk, a read-only folder: the old database is untouched; say so in one line.
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise IngestError(
            f"cannot write {temp}: {reason} (disk full?); {db_path} is unchanged"
        ) from None
    finally:
        if writer is not None:
            writer.close()
        generations.discard(temp)
