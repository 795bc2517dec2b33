"""`postmortems dashboard`: serve the Streamlit dashboard over a database, on this machine only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands._options import DbOption
from pipeline.db import DEFAULT_DB

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def register(app: typer.Typer) -> None:
    app.command(
        "dashboard",
        help=(
            "Serve the dashboard (overview, severity trends, detection, action items, root "
            "causes, incident explorer) over a database made by `postmortems ingest`. It binds "
            "to 127.0.0.1 unless --host says otherwise, and shows a new load without a restart."
            "\n\nExample: postmortems dashboard --db data/postmortems.duckdb --port 8501"
        ),
    )(dashboard_command)


def streamlit_command(db: Path, port: int, host: str, python: str) -> list[str]:
    """The `streamlit run` command line that serves the dashboard (headless, no usage stats)."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.runOnSave",
        "false",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--",
        "--db",
        str(db),
    ]


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def dashboard_command(
    db: DbOption = DEFAULT_DB,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8501,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; the default keeps it on this machine.")
    ] = "127.0.0.1",
) -> None:
    import os
    import sys

    from pipeline.db import DatabaseError, open_readonly

    db = db.resolve()
    if not _port_free(host, port):
        typer.echo(f"Error: port {port} on {host} is in use; pick another with --port N", err=True)
        raise typer.Exit(2)
    try:
        open_readonly(db).close()
    except DatabaseError as exc:
        # Still start: the page explains the problem and shows the data once a load lands.
        typer.echo(f"Note: {exc}", err=True)
    env = dict(os.environ, POSTMORTEMS_DB=str(db))
    command = streamlit_command(db, port, host, sys.executable)
    typer.echo(f"Dashboard for {db}: http://{host}:{port}  (Ctrl-C stops it)")
    sys.stdout.flush()
    # Replace this process, so Ctrl-C and the exit status are streamlit's own.
    os.execve(sys.executable, command, env)
