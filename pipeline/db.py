"""Where the database lives and how readers open it.

Ingest writes a new database file and atomically renames it over the old one, so a reader
that opens the path always sees a complete load. Readers open it read-only, and check the
schema version so an old file gets a message that says what to run instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_DB = Path("data/postmortems.duckdb")
SCHEMA_VERSION = "8"
SQL_DIR = Path(__file__).parent / "sql"
VIEWS_DIR = SQL_DIR / "views"


class DatabaseError(Exception):
    """A database that cannot be read; the message is one line saying what to run."""


def interrupted_query(exc: BaseException) -> bool:
    """Whether `exc` is Ctrl-C arriving while DuckDB ran a query: DuckDB stops the query and
    raises RuntimeError('Query interrupted'), not KeyboardInterrupt."""
    return type(exc) is RuntimeError and str(exc) == "Query interrupted"


def open_readonly(db_path: str | Path):
    """Open an ingested database read-only, or raise DatabaseError with a one-line fix."""
    import duckdb

    path = Path(db_path)
    hint = f"run: postmortems ingest PATH --db {path}"
    if not path.exists():
        raise DatabaseError(f"{path}: no such database; {hint}")
    # Something else is at the path: ingest would refuse to overwrite it, so do not suggest it.
    elsewhere = "point --db at a database made by postmortems ingest"
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file; {elsewhere}")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(
            f"{path}: not a readable DuckDB database ({first_line}); {elsewhere}"
        ) from None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        row = None
    if row is None or row[0] != SCHEMA_VERSION:
        con.close()
        found = "none" if row is None else row[0]
        raise DatabaseError(
            f"{path}: made by another version of postmortems (schema {found}, this one reads "
            f"{SCHEMA_VERSION}); re-run: postmortems ingest PATH --db {path} --full"
        )
    return con
