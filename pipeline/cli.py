"""The `postmortems` command line: a thin typer layer over the pipeline's Python API.

Each command lives in its own module under `pipeline/commands/` and exposes
`register(app)`; this file only gathers them, so commands can be added without touching it.
Command modules import their heavy dependencies (pandas, duckdb, numpy and scipy) inside the command
function, so `postmortems --help` stays fast.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil

import typer

import pipeline.commands

app = typer.Typer(
    name="postmortems",
    help="Turn a folder of Markdown incident postmortems into DuckDB tables and answers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _group() -> None:
    """Turn a folder of Markdown incident postmortems into DuckDB tables and answers."""


def _register_commands() -> None:
    for module_info in sorted(
        pkgutil.iter_modules(pipeline.commands.__path__), key=lambda m: m.name
    ):
        module = importlib.import_module(f"pipeline.commands.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    try:
        app()
    finally:
        # The interpreter's exit collects garbage over every object the imports made
        # (pydantic, DuckDB, the parser): 50-80 ms of each command. Frozen, they are left to
        # reference counting; nothing of ours relies on a cycle being collected at exit.
        gc.freeze()


if __name__ == "__main__":
    main()
