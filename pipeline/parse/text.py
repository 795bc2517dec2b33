"""Inline clean-up and placeholder recognition shared by every extractor."""

from __future__ import annotations

import html
import re
from functools import lru_cache

_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)  # a table cell's line break
_EMPH = re.compile(
    r"(\*\*\*|\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1"
    # '_' emphasis only at word edges, as in CommonMark: snake_case_name and __init__.py stay
    r"|(?<![\w\\])(___|__|_)(?=\S)(.+?)(?<=\S)\3(?!\w|\.\w)"
)
_CODE = re.compile(r"`([^`]*)`")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"[ \t\u00a0\ufeff]+")


def _unemphasize(m: re.Match[str]) -> str:
    return m.group(2) if m.group(1) is not None else m.group(4)


@lru_cache(maxsize=16384)
def clean_inline(s: str) -> str:
    """Drop inline Markdown (emphasis, code, links keep their text), entities and odd spaces."""
    if not s:
        return ""
    if "&" in s:
        s = html.unescape(s)
    if "[^" in s:
        s = _FOOTNOTE.sub("", s)
    if "[" in s:
        s = _LINK.sub(r"\1", s)
    if "<" in s:
        s = _LINE_BREAK.sub(" ", _AUTOLINK.sub(r"\1", s))
    if "`" in s:
        s = _CODE.sub(r"\1", s)
    if "*" in s or "_" in s or "~" in s:
        for _ in range(3):
            new = _EMPH.sub(_unemphasize, s)
            if new == s:
                break
            s = new
    if "\\" in s:
        # Markdown escapes ("\~30", "\[+1 hrs]") and hard-break backslashes go; a backslash
        # before a letter is text (C:\\Users)
        s = _ESCAPE.sub(r"\1", s).rstrip("\\")
    s = _SPACES.sub(" ", s)
    return s.strip()


# ---------------------------------------------------------------- placeholders

_OPTION_LIST = re.compile(r"\[\s*[^\[\]|]+(?:\|[^\[\]|]+){1,}\]")
_PLACEHOLDER_TOKENS = re.compile(
    r"YYYY|HH:MM|\bMM-DD\b|INC-YYYY|-###|\bX hours\b|\bY minutes\b|\bN users\b|\bX%|"
    r"\bTBD by author\b|<add [^>]*>|\[insert[^\]]*\]|\bxx:xx\b",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(
    r"^(?:[-*]\s*)?[*_](?:describe|include|link|list|explain|summari[sz]e|add|what |how |"
    r"detailed|a brief|brief|provide|insert|note|optional|e\.g\.|if any|5 whys|"
    r"template version)[^*_]*[*_]$",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def is_placeholder(value: str) -> bool:
    """True when `value` is a template placeholder ("YYYY-MM-DD", "[P0 | P1]", "*Describe…*")."""
    v = value.strip()
    if not v:
        return True
    if _OPTION_LIST.search(v) or _PLACEHOLDER_TOKENS.search(v):
        return True
    return bool(_INSTRUCTION.match(v))


@lru_cache(maxsize=16384)
def is_instruction_line(raw: str) -> bool:
    """A whole italic line that tells the author what to write: template guidance, not content."""
    return bool(_INSTRUCTION.match(raw.strip()))


_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=16384)
def norm_words(s: str) -> str:
    """Lower-case, alphanumerics only, single spaces: for table look-ups of headings and labels."""
    return " ".join(_WORDS.findall(s.lower()))
