"""Hostile postmortem files for the robustness tests: each builder returns the file's bytes (or
writes it, when it is too big to hold), built around the template so only the hostile part differs.
"""

from __future__ import annotations

from pathlib import Path

from conftest import template_postmortem

MB = 1024 * 1024


def billion_laughs(levels: int = 9) -> str:
    """YAML front matter whose aliases expand to 9**levels strings (the classic "billion laughs")."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def python_tag_front_matter(tag: str, marker: Path) -> str:
    """Front matter whose tag, if a YAML loader honoured it, would run `touch marker`."""
    if tag == "python/object/apply:os.system":
        value = f'!!python/object/apply:os.system ["touch {marker}"]'
    elif tag == "python/object/apply:subprocess.call":
        value = f"!!python/object/apply:subprocess.call [[touch, {marker}]]"
    elif tag == "python/object/new:subprocess.Popen":
        value = f"!!python/object/new:subprocess.Popen [[touch, {marker}]]"
    else:
        raise ValueError(tag)
    return f"---\ntitle: {value}\nseverity: P1\n---\n"


def deep_nesting(levels: int = 5000) -> str:
    """A custom section holding Markdown nested `levels` deep, four ways."""
    indented = "\n".join("  " * i + "- item" for i in range(min(levels, 1500)))
    return (
        "\n## Notes\n\n"
        + "- " * levels
        + "nested list\n\n"
        + ">" * levels
        + " nested quote\n\n"
        + "<div>" * levels
        + "html"
        + "</div>" * levels
        + "\n\n"
        + indented
        + "\n"
    )


def long_timeline(rows: int) -> str:
    """A template postmortem whose timeline table has `rows` rows (one a minute, wrapping)."""
    timeline = [(f"{(i // 60) % 24:02d}:{i % 60:02d}", f"Event number {i}") for i in range(rows)]
    return template_postmortem("INC-LONG-TIMELINE", timeline=timeline)


def many_actions(rows: int) -> str:
    """A template postmortem whose action-item table has `rows` rows."""
    actions = [
        (str(i + 1), f"Fix thing {i}", f"owner{i % 50}", "2026-06-30", "[ ] TODO")
        for i in range(rows)
    ]
    return template_postmortem("INC-MANY-ACTIONS", actions=actions)


def unreadable_timeline(rows: int) -> str:
    """A timeline of `rows` rows whose times are mostly not times (one warning each)."""
    timeline = [(f"{i % 99}:{i % 97}:xx", f"Event {i}") for i in range(rows)]
    return template_postmortem("INC-BAD-TIMES", timeline=timeline)


def invalid_utf8() -> bytes:
    """A template postmortem saved as Latin-1: the author's name holds a byte UTF-8 rejects."""
    return (
        template_postmortem("INC-LATIN1").replace("Alice Example", "Zoë Example").encode("latin-1")
    )


def binary() -> bytes:
    """A PNG-like header and every byte value: a file that is not text."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


def write_big_file(path: Path, size: int) -> None:
    """A real (not sparse) postmortem-looking file of at least `size` bytes."""
    block = template_postmortem("INC-HUGE").encode()
    with open(path, "wb") as handle:
        handle.writelines(block for _ in range(size // len(block) + 1))
