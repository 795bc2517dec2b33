"""Replace the database file all at once, writing only the blocks that changed.

A load never writes the database file readers use. It writes the next generation in a
temporary file beside it and renames that over the database when it is complete, so a crash,
SIGKILL or Ctrl-C at any point leaves the previous database whole, and a reader holding the old
file (the dashboard) keeps reading it until it reopens the path.

The next generation of an incremental load starts as a byte copy of the current database. A
copy of the whole file is what most of a small change used to cost, so the replaced database is
kept as a *spare* (`.NAME.spare-*`, at most `SPARES`), and the next load brings a spare up to
date by rewriting only the 256 KiB blocks in which it differs from the current file: after a
one-file change 12 of 342 blocks of a 100k-incident database differ (3 MB instead of 86 MB).

A spare is used only when nothing else has it open: a DuckDB reader (the dashboard, a report)
holds a shared lock on its file, so a spare that cannot be locked exclusively is left alone
(its reader keeps reading it) and another spare, or a plain copy, is used instead. The
dashboard keeps at most two files open (the current one and the one just replaced), so with
two spares one is usually free.

Measured on the 100k bench database (docs/loader.md has the table): copy 40-70 ms, patch
24-40 ms warm, and 86 MB versus 3 MB written per load.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import struct
import time
from pathlib import Path

BLOCK = 256 * 1024
"""DuckDB's block size: a change rewrites whole blocks, so they are compared whole."""
SPARES = 2


def temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")


def _spares(db_path: Path) -> list[Path]:
    """The spares, newest first (the newest differs least from the current database)."""
    found = []
    for path in db_path.parent.glob(f".{db_path.name}.spare-*"):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    return [path for _, path in sorted(found, reverse=True)]


def remove_leftovers(db_path: Path) -> None:
    """Delete what killed loads left: temporary files, and a spare that is the database itself.

    Called with the ingest lock held, so no other load is using them."""
    for stale in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    try:
        current = db_path.stat()
    except OSError:
        return
    for spare in _spares(db_path):
        try:
            if os.path.samestat(spare.stat(), current):
                # A load killed between linking the old database as a spare and renaming the
                # new one over it: the "spare" is the live database. Forget the second name.
                spare.unlink()
        except OSError:
            continue


def prepare_copy(db_path: Path, target: Path) -> str:
    """Make `target` a byte copy of the database; returns 'patched N blocks' or 'copied'.

    A free spare is renamed to `target` first, so if this load dies the spare is a temporary
    file the next load deletes, never a half-patched spare."""
    for spare in _spares(db_path):
        try:
            os.rename(spare, target)
        except OSError:
            continue
        written = _patch_if_unused(db_path, target)
        if written is not None:
            return f"patched {written} blocks"
        # Someone reads it: give it back its name (its reader keeps its open file either way).
        os.rename(target, spare)
    shutil.copyfile(db_path, target)
    return "copied"


def _patch_if_unused(source: Path, target: Path) -> int | None:
    """Rewrite the blocks of `target` that differ from `source`; None if `target` is in use."""
    fd = os.open(target, os.O_RDWR | os.O_CLOEXEC)
    try:
        if _open_elsewhere_in_this_process(fd) or not _lock_exclusively(fd):
            return None
        written = 0
        with open(source, "rb") as src:
            offset = 0
            while block := src.read(BLOCK):
                if os.pread(fd, len(block), offset) != block:
                    os.pwrite(fd, block, offset)
                    written += 1
                offset += len(block)
        os.ftruncate(fd, offset)
        return written
    finally:
        # Closing releases the lock: DuckDB, in this process, takes its own next.
        os.close(fd)


def _open_elsewhere_in_this_process(fd: int) -> bool:
    """Whether this process has the file open through another descriptor (a DuckDB connection
    of a notebook or a test that also loads). Its lock is no proof: a process loses all its
    record locks on a file when it closes any descriptor of it, as reading the database does."""
    mine = os.fstat(fd)
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return True  # cannot tell: never write into it
    for name in descriptors:
        if name == str(fd):
            continue
        try:
            if os.path.samestat(os.stat(f"/proc/self/fd/{name}"), mine):
                return True
        except OSError:
            continue
    return False


def _lock_exclusively(fd: int) -> bool:
    """Whether no other process holds a lock on the file: DuckDB locks the files it opens.

    An open-file-description lock is used because it also conflicts with record locks this
    same process holds, which a classic `lockf` would not see."""
    ofd_setlk = getattr(fcntl, "F_OFD_SETLK", None)
    try:
        if ofd_setlk is None:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            # struct flock: type, whence, start, len (0: the whole file), pid (0 for OFD locks).
            request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
            fcntl.fcntl(fd, ofd_setlk, request)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def commit(target: Path, db_path: Path) -> None:
    """Rename the complete new generation over the database, keeping the old one as a spare."""
    if db_path.exists():
        spare = db_path.with_name(f".{db_path.name}.spare-{os.getpid()}-{time.time_ns()}")
        try:
            os.link(db_path, spare)
        except OSError:
            pass  # no hard links here (some network file systems): the next load copies
    os.replace(target, db_path)
    _fsync_dir(db_path.parent)
    for extra in _spares(db_path)[SPARES:]:
        extra.unlink(missing_ok=True)


def discard(target: Path) -> None:
    for leftover in (target, Path(str(target) + ".wal")):
        leftover.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
