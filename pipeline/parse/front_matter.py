"""Split and read the optional front matter, safely: YAML between `---` lines, or TOML between
`+++` lines (Hugo and Zola blogs, where many public postmortems are published).

YAML is read with python-frontmatter's YAML handler, which uses the *safe* (C) loader: a tag such
as `!!python/object` is refused, never executed. Aliases are only a problem when something walks
the data they fan out into (the "billion laughs"), so front matter that uses them is composed
first and its expanded size counted before it is loaded.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from pipeline.parse.problems import ProblemLog

MAX_FRONT_MATTER_CHARS = 64 * 1024
NOT_FRONT_MATTER = "not front matter"
"""Marker in the message of a 'frontmatter_invalid' problem when the block between the two
'---' lines is not YAML key/values at all (a document opening with a horizontal rule)."""
MAX_EXPANDED_NODES = 10_000

_HANDLER = YAMLHandler()
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s|\*\*|\||>|```)", re.MULTILINE)
_TOML_LINE = re.compile(r"at line (\d+)")
_COMPOSE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines before the body). TOML front
    matter is told from YAML by `is_toml(text)`."""
    toml = is_toml(text)
    if not text.startswith("---") and not toml:
        return None, text, 0
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].strip() != ("+++" if toml else "---"):
        return None, text, 0
    pos = first_end + 1
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        stripped = line.rstrip()
        if (
            toml
            and stripped == "+++"
            or not toml
            and (
                stripped in ("---", "...")
                or (stripped.startswith("---") and not stripped.strip("-"))
            )
        ):
            fm = text[first_end + 1 : pos]
            body = "" if end < 0 else text[end + 1 :]
            return fm, body, text.count("\n", 0, end + 1 if end >= 0 else len(text))
        if end < 0:
            break
        pos = end + 1
    return None, text, 0  # no closing delimiter: a horizontal rule, not front matter


def _expanded_size(node: yaml.Node, memo: dict[int, int], limit: int) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = limit + 1  # a cycle counts as too big
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, limit)
            if size > limit:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
            if size > limit:
                break
    memo[key] = size
    return size


def is_toml(text: str) -> bool:
    return text.startswith("+++")


def load_front_matter(fm: str, log: ProblemLog, *, toml: bool = False) -> dict[str, Any] | None:
    """Read front matter text into a dict; None (with a problem logged) when it can't be."""
    if len(fm) > MAX_FRONT_MATTER_CHARS:
        log.add(
            "frontmatter_too_large",
            f"The front matter is {len(fm)} characters, over the {MAX_FRONT_MATTER_CHARS} limit.",
            1,
        )
        return None
    if toml:
        return _load_toml(fm, log)
    try:
        if "*" in fm and "&" in fm:
            root = yaml.compose(fm, Loader=_COMPOSE_LOADER)
            if (
                root is not None
                and _expanded_size(root, {}, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES
            ):
                log.add(
                    "frontmatter_too_large",
                    f"The front matter's aliases expand past {MAX_EXPANDED_NODES} nodes "
                    "(an alias bomb); the file was not loaded.",
                    1,
                )
                return None
        data = _HANDLER.load(fm)
    except yaml.constructor.ConstructorError as exc:
        if "python/" in str(exc) or "tag" in str(exc):
            line = exc.problem_mark.line + 2 if exc.problem_mark else 1
            log.add(
                "frontmatter_unsafe",
                f"The front matter uses a tag safe YAML refuses ({exc.problem}); nothing was run.",
                line,
            )
            return None
        log.add("frontmatter_invalid", f"The front matter could not be read: {exc.problem}.", 1)
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if _MARKDOWN_LINE.search(fm):
            log.add(
                "frontmatter_invalid",
                f"The block between the opening '---' lines is Markdown, not YAML ({problem}); "
                f"read as {NOT_FRONT_MATTER}.",
                line,
            )
        else:
            log.add(
                "frontmatter_invalid",
                f"The front matter is not valid YAML ({problem}); ignored.",
                line,
            )
        return {}
    except RecursionError:
        log.add("frontmatter_too_large", "The front matter nests too deeply.", 1)
        return None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. "date: 2026-02-30": YAML makes it a date and Python refuses the day
        log.add(
            "frontmatter_invalid",
            f"The front matter holds an impossible value ({exc}); ignored.",
            1,
        )
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        log.add(
            "frontmatter_invalid",
            f"The block between the opening '---' lines is not key/values; read as {NOT_FRONT_MATTER}.",
            1,
        )
        return {}
    return data


def _load_toml(fm: str, log: ProblemLog) -> dict[str, Any] | None:
    """TOML front matter (stdlib `tomllib`: it builds plain values, nothing is run)."""
    try:
        return tomllib.loads(fm)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_LINE.search(str(exc))  # "... (at line 3, column 7)"
        log.add(
            "frontmatter_invalid",
            f"The front matter is not valid TOML ({str(exc).split(' (at')[0]}); ignored.",
            int(where.group(1)) + 1 if where else 1,  # + the opening '+++' line
        )
        return {}
    except RecursionError:
        log.add("frontmatter_too_large", "The front matter nests too deeply.", 1)
        return None
