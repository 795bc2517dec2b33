"""Write the root-cause clusters of a load: the step of `store.LoadWriter.finish` that depends on
every incident's cause text, with the cache that keeps a one-file change cheap."""

from __future__ import annotations

import pyarrow as pa


def _load_temp(con, name: str, cols: dict) -> None:
    con.register(f"{name}_arrow", pa.table(cols))
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


class _UsageRecordingCache(dict):
    """The clustering cache, remembering which keys this run used, so only those are kept."""

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


def write_clusters(con) -> None:
    """Cluster every incident's root cause again, reusing what earlier loads worked out.

    The clustering is a function of the whole corpus, so it runs over all incidents; its cache
    (each text's theme, the grouping of the texts no theme claims) lives in `cluster_cache`, so
    after a one-file change only that file's text is classified anew.
    """
    from pipeline.clusters import CauseText, _settings_digest, cluster_root_causes

    # The parser assembled each incident's cause text (pipeline/parse/cause_text.py).
    con.execute(
        """
        CREATE OR REPLACE TEMP VIEW cause_texts AS
        SELECT incident_id, cause_text AS text, root_cause_category
        FROM incidents
        """
    )
    # The clusters are a function of the cause texts (and the clustering's own settings)
    # alone: when none changed, as after most edits, the previous clusters stand.
    # An order-free fingerprint of one 64-bit hash per incident (xor, sum and count together):
    # string_agg over 100k texts cost 0.4 s of a one-file re-ingest.
    (inputs,) = con.execute(
        """
        WITH hashed AS (
            SELECT hash(incident_id, text, coalesce(root_cause_category, '')) AS h FROM cause_texts
        )
        SELECT md5(concat_ws('/', ?, count(*), bit_xor(h), sum(h::HUGEINT))) FROM hashed
        """,
        [_settings_digest()],
    ).fetchone()
    previous = con.execute("SELECT value FROM meta WHERE key = 'cluster_inputs'").fetchone()
    if previous is not None and previous[0] == inputs:
        return
    con.execute("INSERT OR REPLACE INTO meta VALUES ('cluster_inputs', ?)", [inputs])
    rows = con.execute("SELECT * FROM cause_texts ORDER BY incident_id").fetchall()
    docs = [CauseText(incident_id=r[0], text=r[1] or "", pinned_category=r[2]) for r in rows]
    cache = _UsageRecordingCache(con.execute("SELECT key, value FROM cluster_cache").fetchall())
    known = set(cache)
    assignments = cluster_root_causes(docs, cache=cache)
    con.execute("DELETE FROM root_cause_clusters")
    if assignments:
        con.register(
            "staged_clusters",
            pa.table(
                {
                    "incident_id": [a.incident_id for a in assignments],
                    "cluster_id": pa.array([a.cluster_id for a in assignments], pa.int32()),
                    "cluster_label": [a.cluster_label for a in assignments],
                    "similarity": pa.array(
                        [float(a.similarity) for a in assignments], pa.float64()
                    ),
                    "terms": pa.array([list(a.terms) for a in assignments], pa.list_(pa.string())),
                }
            ),
        )
        con.execute("INSERT INTO root_cause_clusters BY NAME SELECT * FROM staged_clusters")
        con.unregister("staged_clusters")
    if cache.used != known or len(cache) != len(known):
        kept = sorted(key for key in cache.used if key in cache)
        con.execute("DELETE FROM cluster_cache")
        if kept:
            _load_temp(con, "staged_cache", {"key": kept, "value": [cache[k] for k in kept]})
            con.execute("INSERT INTO cluster_cache SELECT * FROM staged_cache")
