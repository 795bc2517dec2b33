"""Flatten a ParsedDocument into column lists, one set per table.

Workers flatten their documents chunk by chunk and send columns (not objects) back to the
main process: extending a list is far cheaper than pickling and walking 100,000 dataclass
trees there. Child rows carry `source_path`; the loader swaps it for the final incident id
once duplicate and missing ids have been settled across the whole corpus.
"""

from __future__ import annotations

from dataclasses import fields

from pipeline.model import (
    Action,
    Incident,
    Learning,
    ParsedDocument,
    RelatedIncident,
    Signoff,
    TimelineEvent,
    Why,
)

INCIDENT_FIELDS = [f.name for f in fields(Incident)]
CHILD_TABLES = {
    "timeline": (TimelineEvent, [f.name for f in fields(TimelineEvent)]),
    "actions": (Action, [f.name for f in fields(Action)]),
    "whys": (Why, [f.name for f in fields(Why)]),
    "learnings": (Learning, [f.name for f in fields(Learning)]),
    "related_incidents": (RelatedIncident, [f.name for f in fields(RelatedIncident)]),
    "signoffs": (Signoff, [f.name for f in fields(Signoff)]),
}
ATTR_OF_TABLE = {
    "timeline": "timeline",
    "actions": "actions",
    "whys": "whys",
    "learnings": "learnings",
    "related_incidents": "related_incidents",
    "signoffs": "signoffs",
}


class Columns:
    """Column lists per table, appended to row by row and extended chunk by chunk."""

    def __init__(self) -> None:
        # Plain dicts, not defaultdicts of lambdas: these travel between processes by pickle.
        self.tables: dict[str, dict[str, list]] = {}

    def add(self, table: str, row: dict) -> None:
        cols = self.tables.get(table)
        if cols is None:
            cols = self.tables[table] = {name: [] for name in row}
        for name, value in row.items():
            cols[name].append(value)

    def extend(self, other: Columns) -> None:
        for table, cols in other.tables.items():
            mine = self.tables.get(table)
            if mine is None:
                self.tables[table] = {name: list(values) for name, values in cols.items()}
                continue
            for name, values in cols.items():
                mine[name].extend(values)

    def to_arrow(self) -> dict:
        """Arrow tables by table name: they cross the process boundary as a few buffers, not
        millions of Python objects, and DuckDB reads them without another conversion."""
        import pyarrow as pa

        return {
            table: pa.table({name: pa.array(values) for name, values in cols.items()})
            for table, cols in self.tables.items()
            if cols
        }

    def count(self, table: str) -> int:
        cols = self.tables.get(table)
        if not cols:
            return 0
        return len(next(iter(cols.values())))


def add_document(out: Columns, doc: ParsedDocument, source_path: str, sha256: str) -> None:
    """Append one loaded document's rows (incident, children, detection methods)."""
    incident = doc.incident
    row = {name: getattr(incident, name) for name in INCIDENT_FIELDS}
    row["claimed_id"] = row.pop("incident_id")
    row["source_path"] = source_path
    row["content_sha256"] = sha256
    out.add("incidents", row)

    for table, (_, names) in CHILD_TABLES.items():
        for record in getattr(doc, ATTR_OF_TABLE[table]):
            child = {name: getattr(record, name) for name in names}
            child["source_path"] = source_path
            out.add(table, child)
    for method in dict.fromkeys(doc.detection_methods):
        out.add("detection_methods", {"source_path": source_path, "method": method})
