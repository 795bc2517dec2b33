"""Take the README's screenshots from the demo corpus: `python -m devtools.screenshots`.

Ingests data/corpus into a scratch database, serves the real dashboard on a free port, and
photographs the Overview (docs/screenshot-overview.png, the README's picture) and the Response
page (docs/screenshot-response.png) with Debian's headless Chromium, waiting until every chart
has drawn.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {"": "screenshot-overview.png", "response": "screenshot-response.png"}  # "" is Overview
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def main() -> int:
    from playwright.sync_api import sync_playwright

    from pipeline.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        ingest([REPO / "data" / "corpus"], db)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "dashboard", "--db", str(db), "--port", str(port)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the dashboard did not start")
                time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1500})
                for path, name in PAGES.items():
                    page.goto(f"{url}/{path}")
                    # The script run has ended, nothing is still a placeholder, and every chart
                    # (there is at least one) has drawn its svg.
                    page.wait_for_function(
                        "document.querySelector('[data-testid=stApp]')"
                        "?.getAttribute('data-test-script-state') === 'notRunning'"
                        " && document.querySelector('h1') !== null"
                        " && !document.querySelector('[data-testid=stSkeleton]')"
                        " && document.querySelectorAll('.js-plotly-plot').length > 0"
                        " && [...document.querySelectorAll('.js-plotly-plot')]"
                        ".every((chart) => chart.querySelector('.main-svg'))",
                        timeout=120_000,
                    )
                    page.screenshot(path=str(REPO / "docs" / name), full_page=True)
                    print(f"docs/{name}")
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
