"""Write the root-cause groups of a load: the step of `store.LoadWriter.finish` that depends on
every incident's cause text, with the cache that keeps a one-file change cheap.

Values reach DuckDB as lists unnested in SQL (no Arrow): the loader imports neither pyarrow
nor numpy, and this step imports the grouping (numpy, scipy) only when some cause text, the
model or the reviewers' corrections changed.
"""

from __future__ import annotations

from pipeline.clusters.settings import settings_digest
from pipeline.corrections_file import CorrectionsFile, digest

CORRECTION_CODES = ("corrections_invalid", "correction_unmatched")
INSERT_BATCH = 10_000


class _UsageRecordingCache(dict):
    """The grouping's cache, remembering which keys this run used, so only those are kept."""

    def __init__(self, entries) -> None:
        super().__init__(entries)
        self.used: set[str] = set()

    def get(self, key, default=None):
        self.used.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.used.add(key)
        return super().__contains__(key)

    def __setitem__(self, key, value) -> None:
        self.used.add(key)
        super().__setitem__(key, value)


def write_clusters(
    con, corrections: list[CorrectionsFile] = ()
) -> list[tuple[str, int | None, str, str]]:
    """Group every incident's cause again, reusing what earlier loads worked out.

    The grouping is a function of the whole corpus, so it runs over all incidents; its cache
    (each text's mechanism, the grouping of the texts the model leaves) lives in
    `cluster_cache`, so after a one-file change only that file's text is classified anew. The
    reviewers' corrections (`causes.yml`) are applied last; an entry that matches nothing
    becomes a load problem pointing at its line. Returns the problems written now, as
    (path, line, code, message); none when the groups stand as they were.
    """
    corrections = list(corrections)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('corrections', ?)", [digest(corrections)])
    # The groups are a function of the cause texts, the settings and the corrections alone:
    # when none changed, as after most edits, the previous groups stand. An order-free
    # fingerprint of one 64-bit hash per incident (xor, sum and count together).
    (inputs,) = con.execute(
        """
        WITH hashed AS (
            SELECT hash(incident_id, coalesce(cause_text, ''), coalesce(root_cause_category, ''))
                AS h
            FROM incidents
        )
        SELECT md5(concat_ws('/', ?, count(*), bit_xor(h), sum(h::HUGEINT))) FROM hashed
        """,
        [settings_digest() + "/" + digest(corrections)],
    ).fetchone()
    previous = con.execute("SELECT value FROM meta WHERE key = 'cluster_inputs'").fetchone()
    if previous is not None and previous[0] == inputs:
        return []
    con.execute("INSERT OR REPLACE INTO meta VALUES ('cluster_inputs', ?)", [inputs])

    from pipeline.clusters import CauseText, cluster_root_causes
    from pipeline.clusters.corrections import read_corrections

    # In batches: one fetchall of 100,000 cause texts made DuckDB hold the whole result
    # beside its Python copy, ~150 MB more at the load's peak.
    cursor = con.execute(
        "SELECT incident_id, cause_text, root_cause_category FROM incidents ORDER BY incident_id"
    )
    docs = []
    while batch := cursor.fetchmany(10_000):
        docs.extend(
            CauseText(incident_id=r[0], text=r[1] or "", pinned_category=r[2]) for r in batch
        )
    cache = _UsageRecordingCache(con.execute("SELECT key, value FROM cluster_cache").fetchall())
    known = set(cache)
    read = [read_corrections(f) for f in corrections]
    problems = [p for r in read for p in r.problems]
    assignments = cluster_root_causes(docs, cache=cache, corrections=read, problems=problems)
    _write_problems(con, problems)
    con.execute("DELETE FROM root_cause_clusters")
    # A batch at a time: DuckDB turns each parameter list into values in memory, and all
    # 100,000 rows at once made this insert the load's peak (~280 MB more).
    for start in range(0, len(assignments), INSERT_BATCH):
        batch = assignments[start : start + INSERT_BATCH]
        con.execute(
            """
            INSERT INTO root_cause_clusters
                (incident_id, cluster_id, cluster_label, similarity, terms, mechanism,
                 assignment, what_failed)
            SELECT * FROM (SELECT
                unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[]),
                unnest(?::DOUBLE[]), unnest(?::VARCHAR[][]), unnest(?::VARCHAR[]),
                unnest(?::VARCHAR[]), unnest(?::VARCHAR[]))
            """,
            [
                [a.incident_id for a in batch],
                [a.cluster_id for a in batch],
                [a.cluster_label for a in batch],
                [float(a.similarity) for a in batch],
                [list(a.terms) for a in batch],
                [a.mechanism for a in batch],
                ["pinned" if a.pinned else "found" for a in batch],
                [a.what_failed for a in batch],
            ],
        )
    if cache.used != known or len(cache) != len(known):
        kept = sorted(key for key in cache.used if key in cache)
        con.execute("DELETE FROM cluster_cache")
        for start in range(0, len(kept), INSERT_BATCH):
            keys = kept[start : start + INSERT_BATCH]
            con.execute(
                "INSERT INTO cluster_cache SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [keys, [cache[k] for k in keys]],
            )
    return problems


def _write_problems(con, problems: list[tuple[str, int | None, str, str]]) -> None:
    """The corrections' problems are redone with the groups: the old ones go first."""
    con.execute(
        "DELETE FROM load_problems WHERE code IN (SELECT unnest(?::VARCHAR[]))",
        [list(CORRECTION_CODES)],
    )
    if not problems:
        return
    con.execute(
        """
        INSERT INTO load_problems (source_path, line, level, code, message)
        SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), 'warning', unnest(?::VARCHAR[]),
               unnest(?::VARCHAR[])
        """,
        [
            [p[0] for p in problems],
            [p[1] for p in problems],
            [p[2] for p in problems],
            [p[3] for p in problems],
        ],
    )
