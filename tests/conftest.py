"""Shared test helpers: write template postmortems, ingest them, read tables back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
WILD_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "wild"

TABLES = [
    "incidents",
    "timeline",
    "actions",
    "detection_methods",
    "whys",
    "learnings",
    "related_incidents",
    "signoffs",
    "root_cause_clusters",
    "source_files",
    "load_problems",
]


def template_postmortem(
    incident_id: str = "INC-2026-03-14-001",
    *,
    title: str = "Checkout API returned 503s",
    status: str = "FINAL",
    date: str = "2026-03-14",
    severity: str = "P1",
    duration: str = "1 hour 5 minutes",
    timeline: list[tuple[str, str]] | None = None,
    actions: list[tuple[str, str, str, str, str]] | None = None,
    detection: tuple[str, ...] = ("Automated monitoring",),
    root_cause: str = "The TLS certificate of the payment gateway expired.",
) -> str:
    """A postmortem in the shared template, filled in; pieces can be overridden."""
    timeline = timeline or [
        ("14:02", "First alert triggered"),
        ("14:05", "Incident acknowledged"),
        ("14:30", "Root cause identified"),
        ("14:50", "Mitigation applied"),
        ("15:07", "Service restored"),
        ("15:20", "All-clear declared"),
    ]
    actions = actions or [
        ("1", "Automate certificate renewal", "@alice", "2026-04-01", "[x] DONE"),
        ("2", "Alert 14 days before certificate expiry", "bob", "2026-05-01", "[ ] TODO"),
    ]
    methods = ["Automated monitoring", "Customer report", "Internal user", "Automated test"]
    detection_lines = "\n".join(f"- [{'x' if m in detection else ' '}] {m}" for m in methods)
    timeline_rows = "\n".join(f"| {t} | {e} |" for t, e in timeline)
    action_rows = "\n".join(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in actions)
    return f"""# Incident Postmortem: {title}

**Incident ID:** {incident_id}
**Status:** {status}
**Author(s):** Alice Example
**Date:** {date}
**Last Updated:** {date}

---

## Executive Summary

Checkout requests failed for an hour because a certificate expired.

---

## Incident Timeline

| Time (UTC) | Event |
|------------|-------|
{timeline_rows}

---

## Impact

### User Impact
- **Duration:** {duration}
- **Users Affected:** 12,000 users / 8% of traffic
- **Severity:** {severity}

### Business Impact
- About 400 orders were lost.

### Data Impact
- No data was lost.
- **Data Loss:** None

---

## Root Cause

### What Happened?
{root_cause}

### Why Did It Happen?

1. **Why?** Clients refused the TLS handshake.
2. **Why?** The certificate had expired.
3. **Why?** Renewal was a manual calendar task.
4. **Why?** Nobody owned certificate inventory.
5. **Why?** {root_cause} (Root Cause)

---

## Detection

### How Was It Detected?
{detection_lines}

### Detection Gap
An expiry alert 14 days ahead would have caught it.

---

## Response

### What Went Well
1. Rollback was quick.

### What Could Be Improved
1. Certificate ownership.

### Where We Got Lucky
1. It happened on a quiet day.

---

## Resolution

### Immediate Fix
Installed a renewed certificate.

### Permanent Fix
Automated renewal with cert-manager.

---

## Action Items

| ID | Action | Owner | Due Date | Status |
|----|--------|-------|----------|--------|
{action_rows}

---

## Related Incidents

- INC-2025-11-02-004

---

## Sign-Off

| Role | Name | Date | Approved |
|------|------|------|----------|
| Author | Alice Example | {date} | [x] |
"""


def write_corpus(folder: Path, documents: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def table_rows(db_path: Path, table: str) -> list[tuple]:
    """Every row of a table, sorted, so two loads can be compared whatever their order."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        con.close()
    return sorted(rows, key=repr)


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def wild_corpus() -> Path:
    if not WILD_CORPUS.is_dir():
        pytest.skip(
            f"wild corpus not found at {WILD_CORPUS} (it lives in the shared folder beside the repo)"
        )
    return WILD_CORPUS


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_dashboard(db: Path, log_path: Path, *, timeout: float = 90):
    """The real `postmortems dashboard` on a free port, healthy; yields its URL, stops it after."""
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "dashboard", "--db", str(db), "--port", str(port)],
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("dashboard did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False
