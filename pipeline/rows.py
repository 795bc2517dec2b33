"""Flatten a ParsedDocument into column lists, one set per table.

Workers flatten their documents chunk by chunk and send columns (not objects) back to the
process that writes the database: plain lists pickle fast and DuckDB takes each as one
parameter. The columns are the fields of the records of `pipeline.model`, so a field added
there is loaded without a change here. Child rows carry `source_path` in place of the incident
id, which is settled across the whole corpus only when the rows are written.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

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

# Table name -> (attribute of ParsedDocument holding its records, their record class).
CHILD_TABLES = {
    "timeline": ("timeline", TimelineEvent),
    "actions": ("actions", Action),
    "whys": ("whys", Why),
    "learnings": ("learnings", Learning),
    "related_incidents": ("related_incidents", RelatedIncident),
    "signoffs": ("signoffs", Signoff),
}
DETECTION_TABLE = "detection_methods"
INCIDENT_COLUMNS = [*(f.name for f in fields(Incident)), "source_path", "content_sha256"]
"""The incidents columns a document fills; `incident_id` holds the claimed id until the writer
replaces it with the one settled for the file."""


def _columns_of(record_class) -> list[str]:
    return [f.name for f in fields(record_class)]


CHILD_COLUMNS = {
    table: [*_columns_of(cls), "source_path"] for table, (_, cls) in CHILD_TABLES.items()
}
CHILD_COLUMNS[DETECTION_TABLE] = ["method", "source_path"]

# attrgetter with several names returns a tuple: one C call per record instead of a dict.
_INCIDENT_VALUES = attrgetter(*(f.name for f in fields(Incident)))
_CHILD_VALUES = {
    table: (attr, attrgetter(*_columns_of(cls))) for table, (attr, cls) in CHILD_TABLES.items()
}


class Columns:
    """Rows per table, appended as tuples and turned into column lists once per chunk."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {}

    def add_document(self, doc: ParsedDocument, source_path: str, sha256: str) -> None:
        """Append one loaded document's rows (incident, children, detection methods)."""
        self.rows.setdefault("incidents", []).append(
            (*_INCIDENT_VALUES(doc.incident), source_path, sha256)
        )
        for table, (attr, values) in _CHILD_VALUES.items():
            records = getattr(doc, attr)
            if records:
                self.rows.setdefault(table, []).extend(
                    (*values(record), source_path) for record in records
                )
        if doc.detection_methods:
            self.rows.setdefault(DETECTION_TABLE, []).extend(
                (method, source_path) for method in dict.fromkeys(doc.detection_methods)
            )

    def to_columns(self) -> dict[str, dict[str, list]]:
        """Table name -> column name -> values (one list per column, rows in order)."""
        out: dict[str, dict[str, list]] = {}
        for table, rows in self.rows.items():
            names = INCIDENT_COLUMNS if table == "incidents" else CHILD_COLUMNS[table]
            out[table] = {name: list(values) for name, values in zip(names, zip(*rows))}
        return out
