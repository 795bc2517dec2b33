"""Write one load into a DuckDB file: the tables, the derived ids and clusters, the views.

`LoadWriter` builds the complete new state in `target` (a fresh file for a full load, a
copy of the previous database for an incremental one), staging parsed rows as they arrive. Everything that depends on the whole
corpus rather than on one file (duplicate ids, root-cause clusters, file outcomes, views) is
recomputed here on every load, which is what makes an incremental load end in exactly the
tables a full load would.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline import db as dbmod
from pipeline.rows import CHILD_TABLES

CHILD_TABLE_NAMES = [*CHILD_TABLES, "detection_methods"]
ALL_INCIDENT_TABLES = ["incidents", *CHILD_TABLE_NAMES, "root_cause_clusters"]
# Problems that are about the corpus as a whole, not one file's content: redone every load.
CORPUS_PROBLEM_CODES = ("duplicate_id", "not_found", "unreadable_folder", "symlink_loop")
STAGING_BATCH_DOCUMENTS = 2000
STAGING_MEMORY_LIMIT = "1GB"


def base_incident_id(claimed: str | None, source_path: str) -> str:
    """The id a document claims, or one made from its file name when it claims none."""
    if claimed:
        return claimed
    name = os.path.basename(source_path)
    for suffix in (".markdown", ".md"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass
class IdAssignment:
    claims: dict[str, str]
    """source_path -> the id its document claims (or one made from its file name)."""
    assigned: dict[str, str]
    """source_path -> the unique id it is loaded under."""
    firsts: dict[str, str]
    """claimed id -> the first file (by path) that claims it, for ids claimed more than once."""
    new_ids: dict[str, str]
    """source_path -> id, for the files parsed in this load."""


class LoadWriter:
    """Builds the new database in `target` while documents are still being parsed.

    Each chunk of parsed rows is staged into DuckDB as it arrives (`stage`), so the parent
    process never holds the whole corpus as Python objects (100k documents held that way
    peaked at 2.2 GB). `finish` settles ids, moves the staged rows into the tables and
    recomputes everything that depends on the whole corpus.
    """

    def __init__(self, target: Path, *, copy_from: Path | None) -> None:
        if copy_from is not None:
            shutil.copyfile(copy_from, target)
        # Staged rows go to a scratch database file, not to memory: DuckDB's buffer manager
        # then keeps the process within the memory limit (100k documents staged in memory
        # peaked at 2.7 GB). The scratch file is deleted with the temp file.
        self.staging_path = Path(str(target) + ".staging")
        self.con = duckdb.connect(
            str(target),
            config={"memory_limit": STAGING_MEMORY_LIMIT, "temp_directory": str(target) + ".spill"},
        )
        self.con.execute("ATTACH ? AS staging", [str(self.staging_path)])
        self.pending: dict[str, list[pa.Table]] = {}
        self.pending_rows = 0
        if copy_from is None:
            self.con.execute((dbmod.SQL_DIR / "schema.sql").read_text())
        self.claims: dict[str, str | None] = {}
        """source_path -> claimed id, for the documents parsed in this load."""
        for table in ["incidents", *CHILD_TABLE_NAMES]:
            extra = (
                "NULL::VARCHAR AS claimed_id"
                if table == "incidents"
                else "NULL::VARCHAR AS source_path"
            )
            self.con.execute(
                f"CREATE TABLE staging.staged_{table} AS SELECT * EXCLUDE (incident_id), {extra} "
                f"FROM main.{table} LIMIT 0"
            )

    def stage(self, tables: dict[str, pa.Table]) -> None:
        """Append one chunk's rows (Arrow tables by table name, from `Columns.to_arrow`)."""
        incidents = tables.get("incidents")
        if incidents is not None:
            paths = incidents.column("source_path").to_pylist()
            claimed = incidents.column("claimed_id").to_pylist()
            self.claims.update(zip(paths, claimed))
        for table, rows in tables.items():
            self.pending.setdefault(table, []).append(rows)
        self.pending_rows += incidents.num_rows if incidents is not None else 0
        # One INSERT per table costs ~3 ms whatever its size: gather chunks into batches.
        if self.pending_rows >= STAGING_BATCH_DOCUMENTS:
            self._flush()

    def _flush(self) -> None:
        for table, chunks in self.pending.items():
            self.con.register("chunk", pa.concat_tables(chunks, promote_options="permissive"))
            self.con.execute(f"INSERT INTO staging.staged_{table} BY NAME SELECT * FROM chunk")
            self.con.unregister("chunk")
        self.pending = {}
        self.pending_rows = 0

    def finish(
        self,
        *,
        current_files: set[str],
        unchanged: list[tuple[str, str, int, int]],
        outcomes: list[tuple[str, str | None, int | None, int | None, str]],
        problems: list[tuple[str, int | None, str, str, str]],
    ) -> None:
        self._flush()
        con = self.con
        # One transaction writes only one database: the staging writes are done, now the
        # whole change to the tables is one transaction.
        con.execute("BEGIN")
        reparsed = {outcome[0] for outcome in outcomes}
        _drop_stale(con, current_files, reparsed)
        _refresh_unchanged(con, unchanged)
        ids = _settle_ids(con, self.claims)
        _insert_new(con, ids.new_ids)
        _insert_files_and_problems(con, outcomes, problems, ids)
        _mark_duplicates(con, ids)
        _set_outcomes(con)
        _write_clusters(con)
        _create_views(con)
        _write_meta(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")

    def abort(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            for leftover in (self.staging_path, Path(str(self.staging_path) + ".wal")):
                leftover.unlink(missing_ok=True)
            shutil.rmtree(
                str(
                    self.staging_path.parent
                    / (self.staging_path.name[: -len(".staging")] + ".spill")
                ),
                ignore_errors=True,
            )


def _drop_stale(con, current_files: set[str], reparsed: set[str]) -> None:
    """Remove what belongs to files that disappeared or are being re-parsed."""
    known = [row[0] for row in con.execute("SELECT source_path FROM source_files").fetchall()]
    drop = [path for path in known if path not in current_files or path in reparsed]
    _load_temp(con, "drop_paths", {"source_path": pa.array(drop, pa.string())})
    con.execute(
        """
        CREATE TEMP TABLE drop_ids AS
        SELECT incident_id FROM source_files
        WHERE source_path IN (SELECT source_path FROM drop_paths) AND incident_id IS NOT NULL
        """
    )
    for table in ALL_INCIDENT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE incident_id IN (SELECT incident_id FROM drop_ids)")
    con.execute(
        "DELETE FROM load_problems WHERE source_path IN (SELECT source_path FROM drop_paths) "
        "OR code IN (SELECT unnest(?::VARCHAR[]))",
        [list(CORPUS_PROBLEM_CODES)],
    )
    con.execute(
        "DELETE FROM source_files WHERE source_path IN (SELECT source_path FROM drop_paths)"
    )


def _refresh_unchanged(con, unchanged: list[tuple[str, str, int, int]]) -> None:
    """A file touched but not changed keeps its rows; remember its new size and mtime."""
    if not unchanged:
        return
    _load_temp(
        con,
        "touched",
        {
            "source_path": [u[0] for u in unchanged],
            "size_bytes": pa.array([u[2] for u in unchanged], pa.int64()),
            "mtime_ns": pa.array([u[3] for u in unchanged], pa.int64()),
        },
    )
    con.execute(
        """
        UPDATE source_files SET size_bytes = t.size_bytes, mtime_ns = t.mtime_ns
        FROM touched t WHERE source_files.source_path = t.source_path
        """
    )


def _settle_ids(con, new_claims: dict[str, str | None]) -> IdAssignment:
    """Give every loaded file a unique incident id.

    The first file (by path) claiming an id keeps it; later ones are loaded as `ID~2`, `ID~3`
    and get a problem naming the first, so no incident is silently overwritten. Unchanged files
    whose id moves (the file that held it was removed) are renamed in every table.
    """
    claims: dict[str, str] = {}
    for path, claimed in new_claims.items():
        claims[path] = base_incident_id(claimed, path)
    current: dict[str, str] = {}
    for path, claimed, incident_id in con.execute(
        "SELECT source_path, claimed_id, incident_id FROM source_files WHERE incident_id IS NOT NULL"
    ).fetchall():
        claims[path] = claimed
        current[path] = incident_id

    # Almost every id is claimed once and simply kept; only the duplicates are walked in path
    # order (sorting all 100k claims cost a quarter of a one-file re-ingest).
    counts = Counter(claims.values())
    assigned = {path: base for path, base in claims.items() if counts[base] == 1}
    taken = set(assigned.values())
    firsts: dict[str, str] = {}
    for path in sorted(p for p, base in claims.items() if counts[base] > 1):
        base = claims[path]
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}~{n}"
        taken.add(candidate)
        assigned[path] = candidate
        firsts.setdefault(base, path)

    moved = [p for p in current if current[p] != assigned[p]]
    if moved:
        _rename_incidents(con, [(current[p], assigned[p]) for p in moved])
        con.execute(
            "UPDATE source_files SET incident_id = r.new_id FROM id_renames r "
            "WHERE source_files.incident_id = r.old_id"
        )
    new_ids = {path: assigned[path] for path in new_claims}
    return IdAssignment(claims, assigned, firsts, new_ids)


def _rename_incidents(con, renames: list[tuple[str, str]]) -> None:
    _load_temp(
        con, "id_renames", {"old_id": [r[0] for r in renames], "new_id": [r[1] for r in renames]}
    )
    # incidents has a primary key, so its rows move by delete and re-insert.
    con.execute(
        "CREATE TEMP TABLE moved AS SELECT r.new_id AS incident_id, i.* EXCLUDE (incident_id) "
        "FROM incidents i JOIN id_renames r ON i.incident_id = r.old_id"
    )
    con.execute("DELETE FROM incidents WHERE incident_id IN (SELECT old_id FROM id_renames)")
    con.execute("INSERT INTO incidents BY NAME SELECT * FROM moved")
    for table in [*CHILD_TABLE_NAMES, "root_cause_clusters"]:
        con.execute(
            f"UPDATE {table} SET incident_id = r.new_id FROM id_renames r "
            f"WHERE {table}.incident_id = r.old_id"
        )


def _load_temp(con, name: str, cols: dict) -> None:
    """A temp table from Python lists, through Arrow: executemany costs ~1 ms a row in DuckDB."""
    con.register(f"{name}_arrow", pa.table(cols))
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _insert_new(con, new_ids: dict[str, str]) -> None:
    if not new_ids:
        return
    _load_temp(
        con, "new_ids", {"source_path": list(new_ids), "incident_id": list(new_ids.values())}
    )
    con.execute(
        """
        INSERT INTO incidents BY NAME
        SELECT m.incident_id, s.* EXCLUDE (claimed_id)
        FROM staging.staged_incidents s JOIN new_ids m ON s.source_path = m.source_path
        """
    )
    for table in CHILD_TABLE_NAMES:
        con.execute(
            f"""
            INSERT INTO {table} BY NAME
            SELECT m.incident_id, s.* EXCLUDE (source_path)
            FROM staging.staged_{table} s JOIN new_ids m ON s.source_path = m.source_path
            """
        )


def _insert_files_and_problems(con, outcomes, problems, ids: IdAssignment) -> None:
    if outcomes:
        _load_temp(
            con,
            "staged_files",
            {
                "source_path": [o[0] for o in outcomes],
                "content_sha256": pa.array([o[1] for o in outcomes], pa.string()),
                "size_bytes": pa.array([o[2] for o in outcomes], pa.int64()),
                "mtime_ns": pa.array([o[3] for o in outcomes], pa.int64()),
                "outcome": [o[4] for o in outcomes],
                "claimed_id": pa.array([ids.claims.get(o[0]) for o in outcomes], pa.string()),
                "incident_id": pa.array([ids.new_ids.get(o[0]) for o in outcomes], pa.string()),
            },
        )
        con.execute("INSERT INTO source_files BY NAME SELECT * FROM staged_files")
    _insert_problems(con, problems)


def _insert_problems(con, problems: list[tuple]) -> None:
    if not problems:
        return
    con.register(
        "staged_problems",
        pa.table(
            {
                "source_path": pa.array([p[0] for p in problems], pa.string()),
                "line": pa.array([p[1] for p in problems], pa.int32()),
                "level": pa.array([p[2] for p in problems], pa.string()),
                "code": pa.array([p[3] for p in problems], pa.string()),
                "message": pa.array([p[4] for p in problems], pa.string()),
            }
        ),
    )
    con.execute("INSERT INTO load_problems BY NAME SELECT * FROM staged_problems")
    con.unregister("staged_problems")


def _mark_duplicates(con, ids: IdAssignment) -> None:
    rows = []
    for path, incident_id in ids.assigned.items():
        base = ids.claims[path]
        if incident_id != base:
            rows.append(
                (
                    path,
                    None,
                    "warning",
                    "duplicate_id",
                    f"incident id {base} is also claimed by {ids.firsts[base]}; loaded as {incident_id}",
                )
            )
    _insert_problems(con, rows)


def _set_outcomes(con) -> None:
    """A file's outcome follows from its problems, so it stays right as duplicates come and go."""
    con.execute(
        """
        UPDATE source_files SET outcome = CASE
            WHEN incident_id IS NULL THEN 'rejected'
            WHEN EXISTS (SELECT 1 FROM load_problems p
                         WHERE p.source_path = source_files.source_path AND p.level = 'warning')
                THEN 'loaded_with_warnings'
            ELSE 'loaded' END
        """
    )


def _write_clusters(con) -> None:
    # Imported here: the clustering pulls in scikit-learn, which commands that never load
    # should not pay for at start.
    from pipeline.clusters.loading import write_clusters

    write_clusters(con)


def _create_views(con) -> None:
    if not dbmod.VIEWS_DIR.is_dir():
        return
    for sql_file in sorted(dbmod.VIEWS_DIR.glob("*.sql")):
        con.execute(sql_file.read_text())


def _write_meta(con) -> None:
    values = {
        "schema_version": dbmod.SCHEMA_VERSION,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for key, value in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
