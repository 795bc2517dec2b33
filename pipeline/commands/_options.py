"""Options several commands share, defined once (sqlite-utils keeps them as small helpers too).

Not a command itself (no `register`), so the CLI frame skips it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file made by `postmortems ingest`.")]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="First incident date included (YYYY-MM-DD).", show_default=False),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Last incident date included (YYYY-MM-DD).", show_default=False),
]
NoDraftsOption = Annotated[bool, typer.Option("--no-drafts", help="Leave out DRAFT postmortems.")]
