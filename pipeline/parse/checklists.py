"""Detection checkboxes, related incidents and the sign-off table."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model import RelatedIncident, Signoff
from pipeline.parse.blocks import Block
from pipeline.parse.dates import DateHint, match_date
from pipeline.parse.problems import ProblemLog
from pipeline.parse.text import clean_inline, is_instruction_line, is_placeholder

_METHODS = (
    ("automated_test", re.compile(r"\btest|\bci\b|synthetic|canary|smoke|probe", re.IGNORECASE)),
    (
        "automated_monitoring",
        re.compile(r"monitor|alert|alarm|pager|dashboard|metric|automat", re.IGNORECASE),
    ),
    (
        "customer_report",
        re.compile(r"customer|client|user report|support ticket|external|public", re.IGNORECASE),
    ),
    (
        "internal_user",
        re.compile(r"internal|employee|staff|team member|engineer|colleague", re.IGNORECASE),
    ),
)
_TICK = re.compile(r"^\s*(?:✅|✔|☑|\[[xX✓✔✅]\])\s*")


def detection_method(label: str) -> str:
    for method, rx in _METHODS:
        if rx.search(label):
            return method
    return "other"


def extract_detection(blocks: Iterable[Block], log: ProblemLog) -> list[str]:
    """Methods of the ticked boxes, in document order, each once."""
    methods: list[str] = []
    boxes = 0
    first_line = None
    for b in blocks:
        if b.kind != "list_item":
            continue
        text = b.text.split("\n", 1)[0]
        ticked = b.checked
        if ticked is None and _TICK.match(text):
            ticked = True
            text = _TICK.sub("", text)
        if b.checked is None and ticked is None:
            continue
        boxes += 1
        first_line = first_line or b.line
        if ticked:
            m = detection_method(clean_inline(text))
            if m not in methods:
                methods.append(m)
    if boxes and not methods:
        log.add("placeholder", "No detection method is ticked.", first_line)
    return methods


_INCIDENT_ID = re.compile(
    r"\b(?:INC|INCIDENT|PM|SEV|IR)[-_ ]?\d[\w-]*\b|\b[A-Z][A-Z0-9]{1,9}-\d+\b", re.IGNORECASE
)
_URL = re.compile(r"https?://[^\s)>\]]+")


def extract_related(blocks: Iterable[Block], log: ProblemLog) -> list[RelatedIncident]:
    out: list[RelatedIncident] = []
    for b in blocks:
        if b.kind == "rule":
            break  # the template closes each section with '---'; what follows is not a reference
        if b.kind == "list_item":
            items = [(b.text.replace("\n", " "), b.line)]
        elif b.kind == "paragraph":
            items = list(zip(b.lines, b.line_numbers))
        else:
            continue
        for raw, line in items:
            if is_instruction_line(raw) or is_placeholder(raw):
                log.add("placeholder", "The related-incidents placeholder was left in.", line)
                continue
            text = clean_inline(raw)
            if not text or text.lower().rstrip(".") in ("none", "n/a", "no", "none known", "-"):
                continue
            m = _INCIDENT_ID.search(text)
            u = _URL.search(raw)
            ref = m.group(0) if m else (u.group(0) if u else text)
            out.append(RelatedIncident(reference=ref, text=text, line=line))
    return out


_APPROVED = re.compile(r"\[[xX✓✔]\]|✅|✔|\byes\b|\bapproved\b|\by\b|\btrue\b|👍", re.IGNORECASE)


def extract_signoffs(blocks: Iterable[Block], hint: DateHint, log: ProblemLog) -> list[Signoff]:
    out: list[Signoff] = []
    for b in blocks:
        if b.kind != "table":
            continue
        header = [clean_inline(h).lower() for h in b.rows[0]]

        def col(*words: str, header: list[str] = header) -> int | None:
            return next((i for i, h in enumerate(header) if any(w in h for w in words)), None)

        c_role, c_name = col("role"), col("name", "who", "signed")
        c_date, c_ok = col("date"), col("approv", "sign", "ok")
        if c_role is None:
            continue
        for row, line in zip(b.rows[1:], b.line_numbers[1:]):

            def cell(i: int | None, row: list[str] = row) -> str:
                return row[i] if i is not None and i < len(row) else ""

            name = clean_inline(cell(c_name)) or None
            approved = bool(_APPROVED.search(cell(c_ok)))
            date_text = clean_inline(cell(c_date))
            if name is None and not approved and not date_text:
                log.add(
                    "placeholder",
                    f"Sign-off row {clean_inline(cell(c_role))!r} is empty; skipped.",
                    line,
                )
                continue
            dm = match_date(date_text, hint) if date_text else None
            if date_text and (dm is None or dm.value is None) and not is_placeholder(date_text):
                log.add("unreadable_date", f"Sign-off date {date_text!r} could not be read.", line)
            out.append(
                Signoff(
                    role=clean_inline(cell(c_role)),
                    name=name,
                    signed_on=dm.value if dm else None,
                    approved=approved,
                    line=line,
                )
            )
    return out
