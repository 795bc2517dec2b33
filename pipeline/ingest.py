"""Load a folder of postmortems into a DuckDB file: incremental, parallel, all-or-nothing.

How a load goes:
1. Only one load writes a database at a time (an advisory lock beside it); a second load
   exits with a clear message instead of racing.
2. Files are found (`discover`), then compared with what the previous load recorded in
   `source_files`: same size and mtime means unchanged without reading; otherwise the file is
   read and hashed, and only a changed hash is parsed. Parsing runs in worker processes.
3. The new database is built in a temporary file beside the old one (a copy of it, for an
   incremental load) and renamed over it only when complete. A crash, SIGKILL or Ctrl-C
   leaves the previous database untouched; readers holding the old file keep reading it.
4. Every file ends up in `source_files` (loaded, loaded_with_warnings or rejected) and every
   problem in `load_problems`, so nothing is lost silently.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline import db as dbmod
from pipeline.discover import find_postmortems, stored_path
from pipeline.rows import Columns, add_document
from pipeline.source_file import DEFAULT_MAX_FILE_BYTES, read_source
from pipeline.store import LoadWriter

CHUNK_SIZE = 64
DUCKDB_MAGIC = b"DUCK"


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
    seconds: float = 0.0
    problems_by_code: Counter = field(default_factory=Counter)
    rejected_files: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of every file rejected this run."""


# ---------------------------------------------------------------------------------------------
# Worker side: read, hash, parse, flatten.


@dataclass
class _ChunkResult:
    tables: dict  # table name -> pyarrow.Table of this chunk's rows
    unchanged: list[tuple[str, str, int, int]]  # path, sha, size, mtime_ns
    outcomes: list[
        tuple[str, str | None, int | None, int | None, str]
    ]  # path, sha, size, mtime, outcome
    problems: list[tuple[str, int | None, str, str, str]]  # path, line, level, code, message


def _process_chunk(jobs: list[tuple[str, str | None]], max_bytes: int) -> _ChunkResult:
    from pipeline.parse import parse_document

    columns = Columns()
    result = _ChunkResult({}, [], [], [])
    for real_path, previous_sha in jobs:
        path = stored_path(real_path)
        if path != real_path:
            result.problems.append(
                (
                    path,
                    None,
                    "warning",
                    "undecodable_file_name",
                    f"{path}: the file name is not valid UTF-8; recorded with its bad bytes escaped",
                )
            )
        read = read_source(real_path, max_bytes)
        data, size, mtime = read.data, read.size, read.mtime_ns
        if data is None:
            result.outcomes.append((path, None, size, mtime, "rejected"))
            result.problems.append((path, None, "error", read.code, read.reason))
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha == previous_sha:
            result.unchanged.append((path, sha, size, mtime))
            continue
        doc = parse_document(data, path)
        for problem in doc.problems:
            result.problems.append(
                (path, problem.line, problem.level, problem.code, problem.message)
            )
        if doc.rejected:
            result.outcomes.append((path, sha, size, mtime, "rejected"))
            continue
        has_warnings = any(p.level == "warning" for p in doc.problems)
        result.outcomes.append(
            (path, sha, size, mtime, "loaded_with_warnings" if has_warnings else "loaded")
        )
        add_document(columns, doc, path, sha)
    result.tables = columns.to_arrow()
    # Workers run with the cyclic collector off (parsing makes few cycles and the collector
    # cost ~20% of parse time); one collection per chunk keeps any cycles from piling up.
    gc.collect()
    return result


def _process_chunk_star(args):
    return _process_chunk(*args)


# ---------------------------------------------------------------------------------------------
# Main side.


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


def _temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")


def _remove_stale_temp_files(db_path: Path) -> None:
    # We hold the lock, so any temporary file left here is from a load that died.
    for stale in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        stale.unlink(missing_ok=True)


def _check_target(db_path: Path, *, full: bool) -> tuple[str, dict[str, tuple]]:
    """('absent' | 'ours' | 'rebuild', what the previous load recorded per file).

    'ours' is a readable database of this schema (its source_files come back unless `full`);
    'rebuild' an older schema of ours. Someone else's file is refused."""
    if not db_path.exists():
        return "absent", {}
    if db_path.is_dir():
        raise IngestError(f"{db_path}: is a folder; give --db a file path")
    with open(db_path, "rb") as handle:
        header = handle.read(16)
    if header[8:12] != DUCKDB_MAGIC:
        raise IngestError(
            f"{db_path}: exists and is not a DuckDB database; refusing to overwrite it "
            "(choose another --db or remove the file)"
        )
    try:
        con = dbmod.open_readonly(db_path)
    except dbmod.DatabaseError:
        if _has_our_meta(db_path):
            return "rebuild", {}
        raise IngestError(
            f"{db_path}: is a DuckDB database but not one made by postmortems; refusing to "
            "overwrite it (choose another --db or remove the file)"
        ) from None
    try:
        previous = {} if full else _previous_files(con)
    finally:
        con.close()
    return "ours", previous


def _has_our_meta(db_path: Path) -> bool:
    """True for a database an older postmortems wrote (its meta table has a schema_version)."""
    import duckdb

    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return row is not None
    except duckdb.Error:
        return False
    finally:
        con.close()


def _previous_files(con) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT source_path, content_sha256, size_bytes, mtime_ns, outcome FROM source_files"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    gc.disable()


def _run_workers(
    jobs: list[tuple[str, str | None]],
    workers: int,
    max_bytes: int,
    on_progress: Callable[[int, int], None] | None,
) -> Iterable[_ChunkResult]:
    chunks = [jobs[i : i + CHUNK_SIZE] for i in range(0, len(jobs), CHUNK_SIZE)]
    total = len(jobs)
    done = 0
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield _process_chunk(chunk, max_bytes)
            done += len(chunk)
            if on_progress:
                on_progress(done, total)
        return
    ctx = multiprocessing.get_context("fork")
    # Workers ignore Ctrl-C: the main process gets it, stops the pool and says one line,
    # instead of every worker printing its own KeyboardInterrupt traceback.
    pool = ctx.Pool(workers, initializer=_init_worker)
    try:
        for chunk, result in zip(
            chunks, pool.imap(_process_chunk_star, [(c, max_bytes) for c in chunks])
        ):
            done += len(chunk)
            if on_progress:
                on_progress(done, total)
            yield result
        pool.close()
    finally:
        pool.terminate()
        pool.join()


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
    workers = workers or os.cpu_count() or 1
    summary = IngestSummary(db_path=str(db_path))
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IngestError(
            f"cannot create the folder of {db_path}: {exc.strerror or exc} (choose another --db)"
        ) from None

    with _ingest_lock(db_path):
        _remove_stale_temp_files(db_path)
        state, previous = _check_target(db_path, full=full)
        incremental = state == "ours" and not full

        files, skipped = find_postmortems(paths)
        summary.seen = len(files)
        jobs: list[tuple[str, str | None]] = []
        fast_unchanged: list[tuple[str, str, int, int]] = []
        stored = {path: stored_path(path) for path in files}
        for path in files:
            prev = previous.get(stored[path])
            if prev is not None and prev[3] != "rejected":
                try:
                    st = os.stat(path)
                except OSError:
                    st = None
                if st is not None and st.st_size == prev[1] and st.st_mtime_ns == prev[2]:
                    fast_unchanged.append((stored[path], prev[0], prev[1], prev[2]))
                    continue
                jobs.append((path, prev[0]))
            else:
                # Rejected files are always retried: the reason (a permission, a size limit)
                # may have gone away without the content changing.
                jobs.append((path, None))

        unchanged = list(fast_unchanged)
        outcomes: list[tuple] = []
        problems: list[tuple] = []
        temp = _temp_path(db_path)
        writer: LoadWriter | None = None
        try:
            for result in _run_workers(jobs, workers, max_file_bytes, on_progress):
                if result.tables:
                    writer = writer or LoadWriter(temp, copy_from=db_path if incremental else None)
                    writer.stage(result.tables)
                unchanged.extend(result.unchanged)
                outcomes.extend(result.outcomes)
                problems.extend(result.problems)
            for item in skipped:
                problems.append(
                    (stored_path(item.path), None, "warning", item.code, stored_path(item.message))
                )

            current = set(stored.values())
            removed = [p for p in previous if p not in current]
            nothing_changed = (
                incremental
                and not outcomes
                and not removed
                and not skipped
                and len(unchanged) == len(fast_unchanged)
            )
            # A re-run over an unchanged corpus leaves the database file alone: no copy, no
            # rename, and the dashboard's caches (keyed on the file) stay warm.
            if not nothing_changed:
                writer = writer or LoadWriter(temp, copy_from=db_path if incremental else None)
                # Only files read again and found unchanged need their size and mtime refreshed.
                touched = unchanged[len(fast_unchanged) :]
                writer.finish(
                    current_files=current, unchanged=touched, outcomes=outcomes, problems=problems
                )
                writer.close()
                writer = None
                os.replace(temp, db_path)
                _fsync_dir(db_path.parent)
        except (OSError, duckdb.Error) as exc:
            # A full disk, a read-only folder: the old database is untouched; say so in one line.
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise IngestError(
                f"cannot write {temp}: {reason} (disk full?); {db_path} is unchanged"
            ) from None
        finally:
            if writer is not None:
                writer.abort()
                writer.close()
            temp.unlink(missing_ok=True)
            Path(str(temp) + ".wal").unlink(missing_ok=True)

    for path, _sha, _size, _mtime, outcome in outcomes:
        if outcome == "rejected":
            summary.rejected += 1
        else:
            summary.loaded += 1
            if outcome == "loaded_with_warnings":
                summary.loaded_with_warnings += 1
    summary.unchanged = len(unchanged)
    summary.removed = sum(1 for path in removed if previous[path][3] != "rejected")
    for path, _line, level, code, message in problems:
        summary.problems_by_code[code] += 1
        if level == "error":
            summary.rejected_files.append((path, message))
    summary.seconds = time.perf_counter() - started
    return summary


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
