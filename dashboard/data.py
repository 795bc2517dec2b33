"""The dashboard's only door to the database: which file, one cached connection, cached queries.

Ingest writes a new database file and renames it over the old one. A DuckDB connection kept open
on a replaced file keeps reading the old file (measured with DuckDB 2.0), so everything cached
here is keyed on the file's version, (inode, mtime_ns, size): after an ingest the next rerun
sees a new key, opens the new file and queries it afresh, without restarting the app.

Metrics are never computed here: every figure comes from a function of `pipeline.analytics`,
which pages pass by reference (`data.query(analytics.headline, filters)`).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pipeline.db import DEFAULT_DB, DatabaseError, open_readonly

DB_ENV = "POSTMORTEMS_DB"
"""Environment variable naming the database file (set by `postmortems dashboard --db`)."""

FileVersion = tuple[int, int, int]
_CATALOG = "postmortems"
_ANALYTICS = "pipeline.analytics"


def db_path() -> Path:
    """The database this app reads: `--db FILE` after `--` on the streamlit command line, else
    $POSTMORTEMS_DB, else the project default."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def file_version(path: Path) -> FileVersion | None:
    """(inode, mtime_ns, size) of the file, or None when it is missing; changes on every ingest."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _close(con: Any) -> None:
    # Closing a connection whose file was replaced or removed may complain; it is gone anyway.
    with contextlib.suppress(Exception):
        con.close()


# Two entries: the current file, and the one just replaced (a session may still be reading it).
@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(path: str, version: FileVersion) -> Any:
    import duckdb

    # open_readonly words what is wrong with a file (missing, not DuckDB, older schema).
    open_readonly(path).close()
    # But `duckdb.connect(path)` hands back the database instance already open in this process
    # for that path, i.e. the replaced file while any connection to it lives (measured with
    # DuckDB 2.0). ATTACH in a fresh in-memory instance always opens the file now at the path.
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{path.replace(chr(39), chr(39) * 2)}' AS {_CATALOG} (READ_ONLY)")
    return con


def _open_cursor(path: str, version: FileVersion) -> Any:
    # A cursor is DuckDB's per-thread handle; Streamlit runs each session in its own thread.
    # Each cursor starts in the in-memory catalog, so point it at the attached database.
    cur = _connection(path, version).cursor()
    cur.execute(f"USE {_CATALOG}")
    return cur


def _cursor(path: Path) -> tuple[Any, FileVersion]:
    version = file_version(path)
    if version is None:
        # Let open_readonly word the message (missing file, folder, ...).
        open_readonly(path)
        raise DatabaseError(f"{path}: no such database")
    return _open_cursor(str(path), version), version


def check() -> None:
    """Raise DatabaseError (one line saying what to run) when the database cannot be read."""
    cur, _ = _cursor(db_path())
    cur.close()


Figure = Callable[..., Any]
"""A function of pipeline.analytics taking (connection, *args, **kwargs)."""


def _reference(fn: Figure) -> tuple[str, str]:
    """(module, qualified name) of an analytics function: the cache key that stands for it.

    Pages pass the function itself, so a renamed figure fails where the page names it; only
    functions of the analytics package are accepted, so no other code runs through here."""
    module, name = getattr(fn, "__module__", ""), getattr(fn, "__qualname__", "")
    if not module.startswith(_ANALYTICS + ".") or _resolve(module, name) is not fn:
        raise TypeError(f"{fn!r} is not a function of {_ANALYTICS}")
    return module, name


def _resolve(module: str, name: str) -> Figure:
    return getattr(importlib.import_module(module), name, None)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_call(
    path: str, version: FileVersion, figure: tuple[str, str], args: tuple, kwargs: tuple
) -> Any:
    # Open the version this entry is keyed on; a newer file gets a new key on the next call.
    cur = _open_cursor(path, version)
    try:
        return _resolve(*figure)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def query(fn: Figure, *args: Any, **kwargs: Any) -> Any:
    """`fn(connection, *args, **kwargs)` for a function of pipeline.analytics (for example
    `query(analytics.incident_counts, filters, period="month")`), cached per database version
    and keyed on the function's module and name.

    The result is a copy (st.cache_data), so pages may modify it freely.
    """
    figure = _reference(fn)
    path = db_path()
    version = file_version(path)
    if version is None:
        check()  # raises the friendly DatabaseError
    return _cached_call(str(path), version, figure, args, tuple(sorted(kwargs.items())))


def _accepts(fn: Figure, parameter: str) -> bool:
    return parameter in inspect.signature(fn).parameters


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_view(
    path: str,
    version: FileVersion,
    figure: tuple[str, str],
    args: tuple,
    kwargs: tuple,
    columns: tuple[str, ...] | None,
    where: tuple,
    head: int | None,
) -> tuple[pd.DataFrame, int | None]:
    fn = _resolve(*figure)
    call = dict(kwargs)
    after = []
    for column, value in where:
        # Let SQL do the narrowing where the function takes it as a parameter.
        if _accepts(fn, column):
            call[column] = value
        else:
            after.append((column, value))
    limited = head is not None and not after and _accepts(fn, "limit")
    if limited:
        call["limit"] = head + 1  # one more than shown tells whether there are more
    cur = _open_cursor(path, version)
    try:
        frame = fn(cur, *args, **call)
    finally:
        cur.close()
    for column, value in after:
        frame = frame[frame[column] == value]
    total: int | None = None if limited and len(frame) > head else len(frame)
    if columns is not None:
        frame = frame[list(columns)]
    if head is not None:
        frame = frame.head(head)
    return frame.reset_index(drop=True), total


def fresh(fn: Figure, *args: Any, **kwargs: Any) -> Any:
    """Call an analytics function without caching (for a one-off such as a CSV download)."""
    _reference(fn)
    cur, _ = _cursor(db_path())
    try:
        return fn(cur, *args, **kwargs)
    finally:
        cur.close()


def view(
    fn: Figure,
    *args: Any,
    columns: list[str] | None = None,
    where: dict[str, Any] | None = None,
    head: int | None = None,
    **kwargs: Any,
) -> tuple[pd.DataFrame, int | None]:
    """The rows of an analytics DataFrame a page shows, and how many rows there are in all
    (None when the function's own `limit` cut the result: "more than `head`").

    Only selection happens here: rows equal to `where` (passed to the function when it takes
    that parameter, filtered after the call otherwise), `columns`, the first `head` rows (the
    function's `limit` when it has one). All of it inside the cache, so a page over 100,000
    incidents unpickles the 1,000 rows it draws on each rerun, not the whole result.
    """
    figure = _reference(fn)
    path = db_path()
    version = file_version(path)
    if version is None:
        check()
    return _cached_view(
        str(path),
        version,
        figure,
        args,
        tuple(sorted(kwargs.items())),
        tuple(columns) if columns is not None else None,
        tuple(sorted((where or {}).items())),
        head,
    )


def points(
    fn: Figure, *args: Any, limit: int, count: int, columns: list[str], **kwargs: Any
) -> pd.DataFrame | None:
    """The rows of `fn` a chart draws a dot for, or None when there are more than `limit` (the
    chart then draws from the figures alone, and the page sends no rows to the browser).
    `count` is how many rows there are, from the figures the chart has anyway: past the limit
    the rows are not even read."""
    if count > limit:
        return None
    rows, _ = view(fn, *args, columns=columns, **kwargs)
    return rows


@st.cache_data(max_entries=8, show_spinner=False)
def _loaded_at(path: str, version: FileVersion) -> str | None:
    import duckdb

    cur = _open_cursor(path, version)
    try:
        row = cur.execute("SELECT value FROM meta WHERE key = 'loaded_at'").fetchone()
    except duckdb.Error:  # a file from before loaded_at existed still shows its data
        row = None
    finally:
        cur.close()
    return row[0] if row else None


def loaded_at() -> str | None:
    """When the database in view was written by ingest (ISO timestamp), if it says."""
    path = db_path()
    version = file_version(path)
    return _loaded_at(str(path), version) if version else None


def source_bytes(source_path: str) -> bytes | None:
    """The current bytes of an incident's source file, or None when it cannot be read.

    Bytes, not text: ingest hashes the bytes (content_sha256), and reading as text would turn
    CRLF into LF and make every Windows-edited file look changed."""
    from pipeline.source_file import read_source

    if not isinstance(source_path, str) or not source_path:
        return None
    # Never Path.read_bytes(): a source replaced by a FIFO or a link to /dev/zero would hang
    # this session; read_source refuses what is not a regular file or is over the size limit.
    return read_source(source_path).data
