"""The README is the user's manual: it must stay in step with the schema and the CLI."""

from __future__ import annotations

import re

from conftest import REPO_ROOT
from typer.main import get_command

from pipeline.cli import app

README = (REPO_ROOT / "README.md").read_text()
SCHEMA = (REPO_ROOT / "pipeline" / "sql" / "schema.sql").read_text()


def _schema_tables() -> dict[str, list[str]]:
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", SCHEMA, re.DOTALL):
        columns = []
        for line in body.splitlines():
            match = re.match(r"\s+(\w+)\s+[A-Z]", line)
            if match:
                columns.append(match.group(1))
        tables[name] = columns
    return tables


def _readme_section(table: str) -> str:
    match = re.search(rf"^### `{table}`\n(.*?)(?=^#{{1,3}} |\Z)", README, re.DOTALL | re.MULTILINE)
    assert match, f"README has no '### `{table}`' section"
    return match.group(1)


def test_readme_documents_every_table_and_column():
    tables = _schema_tables()
    assert len(tables) >= 10
    for table, columns in tables.items():
        section = _readme_section(table)
        documented = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
        assert documented == set(columns), (
            f"{table}: README {sorted(documented)} vs schema {sorted(columns)}"
        )


def test_readme_shows_every_cli_command_with_an_example():
    commands = get_command(app).commands
    assert "ingest" in commands
    for name, command in commands.items():
        assert re.search(rf"^postmortems {name}\b", README, re.MULTILINE), (
            f"README has no example of `postmortems {name}`"
        )
        assert "Example" in (command.help or ""), f"`postmortems {name} --help` has no example"


def test_readme_opens_with_the_two_commands():
    head = README[:1500]
    assert "make run" in head and "make test" in head
