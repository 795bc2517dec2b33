"""Body value against front-matter value for one header field, and the readers they share.

A value written in the body wins over the front matter; a disagreement warns
'frontmatter_conflict'. The first readable occurrence of a field wins; an empty, placeholder
or unreadable one before it is warned about and does not hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pipeline.parse.dates import DateHint, match_date
from pipeline.parse.fields import UNKNOWN_WORDS, split_list
from pipeline.parse.metadata import Metadata
from pipeline.parse.problems import ProblemLog
from pipeline.parse.text import clean_inline, is_placeholder


def fm_get(fm: dict[str, Any], *keys: str) -> Any:
    """The first of `keys` the front matter gives a non-empty value for."""
    for k in keys:
        if k in fm and fm[k] not in (None, "", []):
            return fm[k]
    return None


def as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [clean_inline(str(x)) for x in v if str(x).strip()]
    return split_list(clean_inline(str(v)))


def as_date(v: Any, hint: DateHint) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if v is None:
        return None
    dm = match_date(str(v), hint)
    return dm.value if dm else None


def _same(a: Any, b: Any) -> bool:
    """Agreement between front matter and body: case and list order do not matter."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(str(x).lower().lstrip("@") for x in a) == sorted(
            str(x).lower().lstrip("@") for x in b
        )
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b


class Resolver:
    """Body value vs front matter value for one field, with the warnings the rules ask for."""

    def __init__(self, meta: Metadata, fm: dict[str, Any], log: ProblemLog) -> None:
        self.meta, self.fm, self.log = meta, fm, log

    def field(
        self,
        name: str,
        fm_keys: tuple[str, ...],
        read: Callable[[str], Any],
        bad_code: str,
        what: str,
        fm_read: Callable[[Any], Any] | None = None,
        unknown_ok: bool = True,
        partial_ok: bool = False,
    ) -> tuple[Any, int | None]:
        body_value = None
        occurrences = self.meta.candidates(name)
        line = occurrences[0].line if occurrences else None
        for lab in occurrences:
            raw = lab.value
            if is_placeholder(raw):
                self.log.add(
                    "placeholder", f"{what} is still the template placeholder {raw!r}.", lab.line
                )
                if partial_ok:  # "ann, <add name here>": keep what was filled in
                    body_value = read(raw)
            elif unknown_ok and raw.strip().lower().rstrip(".") in UNKNOWN_WORDS:
                pass
            else:
                body_value = read(raw)
                if body_value is None and bad_code:
                    self.log.add(
                        bad_code, f"{what} {raw!r} could not be read; left NULL.", lab.line
                    )
            if body_value is not None:
                line = lab.line
                self.meta.values[name] = lab  # the line lint points at
                break
        fv = fm_get(self.fm, *fm_keys) if fm_keys else None
        fm_value = None
        if fv is not None:
            fm_value = fm_read(fv) if fm_read else read(clean_inline(str(fv)))
        if body_value is None:
            return fm_value, line
        if fm_value is not None and not _same(fm_value, body_value):
            self.log.add(
                "frontmatter_conflict",
                f"{what}: the body says {body_value!r}, the front matter {fm_value!r}; kept the body.",
                line,
            )
        return body_value, line
