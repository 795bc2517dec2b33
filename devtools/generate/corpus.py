"""Generate a corpus: incident dates over a period, one document per incident, in date order.

`generate_corpus` is the Python API (documents with their truth, nothing written);
`write_corpus` puts them on disk. Incidents are drawn in date order so a later incident can
link an earlier one as related, and ids (INC-YYYY-MM-DD-###) number the incidents of a day.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

from devtools.generate.draw import Drawer
from devtools.generate.render import render
from devtools.generate.truth import GeneratedDoc, Truth

_SLUG = re.compile(r"[^a-z0-9]+")


def generate_corpus(
    count: int, seed: int = 0, start: date | None = None, end: date | None = None
) -> Iterator[GeneratedDoc]:
    """Yield `count` postmortems dated between `start` and `end` (inclusive), same seed -> same
    documents. `end` defaults to today and `start` to two years before `end`; action statuses
    are drawn as seen on `end` (the corpus's 'today')."""
    if count < 0:
        raise ValueError("count must be >= 0")
    end = end or date.today()
    start = start or end - timedelta(days=730)
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    rng = random.Random(seed)
    span = (end - start).days
    offsets = sorted(rng.randint(0, span) for _ in range(count))
    drawer = Drawer(rng, start, end)
    per_day: dict[int, int] = {}
    for offset in offsets:
        seq = per_day[offset] = per_day.get(offset, 0) + 1
        incident_date = start + timedelta(days=offset)
        incident_id = f"INC-{incident_date.isoformat()}-{seq:03d}"
        plan = drawer.draw(incident_id, incident_date)
        slug = _SLUG.sub("-", plan.truth.title.lower()).strip("-")[:48].rstrip("-")
        filename = f"{incident_date.isoformat()}-{seq:03d}-{slug}.md"
        yield GeneratedDoc(filename, render(plan), plan.truth)


def write_corpus(
    docs: Iterable[GeneratedDoc], out_dir: Path, truth_path: Path | None = None
) -> int:
    """Write each document's bytes into `out_dir` (created); optionally one JSON line of truth
    per document to `truth_path`. Returns the number of files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_file = truth_path.open("w", encoding="utf-8") if truth_path else None
    n = 0
    try:
        for doc in docs:
            (out_dir / doc.filename).write_bytes(doc.data)
            if truth_file is not None:
                truth_file.write(json.dumps(truth_record(doc), ensure_ascii=False) + "\n")
            n += 1
    finally:
        if truth_file is not None:
            truth_file.close()
    return n


def truth_record(doc: GeneratedDoc) -> dict:
    """The truth of one document as plain JSON values (dates as ISO strings)."""
    t: Truth = doc.truth
    return {
        "filename": doc.filename,
        "incident_id": t.incident_id,
        "theme": t.theme,
        "severity": t.severity,
        "status": t.status,
        "incident_date": t.incident_date.isoformat(),
        "team": t.team_of_record,
        "services": list(t.services_of_record),
        "duration_minutes": t.duration_minutes,
        "duration_derived": t.duration_derived,
        "detection_methods": t.detection_methods,
        "root_cause_category": t.root_cause_category,
        "related": t.related,
        "quirks": list(t.quirks),
    }
