"""A ParsedDocument as plain JSON-able data (dates as ISO strings): for expected-output tests,
debugging (`python -m pipeline.parse FILE`) and anything that wants to diff two parses."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from pipeline.model import ParsedDocument


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def as_dict(doc: ParsedDocument) -> dict[str, Any]:
    out = _plain(doc)
    out["problems"] = [f"{p.code}@{p.line}" for p in doc.problems]
    return out
