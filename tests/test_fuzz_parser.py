"""The parser is total: whatever bytes it is given, it returns a ParsedDocument, never raises,
and a valid postmortem's fields survive noise elsewhere in the file.

Property-based (hypothesis), derandomized so CI runs the same examples every time. The number
of examples each test ran is counted and printed at the end of the module
(`pytest tests/test_fuzz_parser.py -s -p no:xdist` shows it). FUZZ_SCALE=10 in the
environment runs ten times as many, still deterministic.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter

import pytest
import yaml
from conftest import WILD_CORPUS, template_postmortem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model import ParsedDocument
from pipeline.parse import PROBLEM_CODES, parse_document

# One profile for every property here; each test sets only its example count.
settings.register_profile(
    "robustness",
    derandomize=True,  # same examples on every machine and every run (a fixed seed in CI)
    database=None,  # no .hypothesis/ folder in the checkout
    deadline=None,  # a shared 2-core machine: no per-example timing
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# FUZZ_SCALE=10 runs ten times the examples (still derandomized) for a longer local hunt.
_SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def fuzz_settings(examples: int) -> settings:
    """The robustness profile with this test's example count."""
    return settings(settings.get_profile("robustness"), max_examples=examples * _SCALE)


EXAMPLES = Counter()
"""Examples run per property in this process, printed by each test and at the module's end."""


def property_test(examples: int, *strategies):
    """A test that runs `body` on `examples` hypothesis examples, then checks and prints how many
    really ran (hypothesis stops early when it runs out of distinct inputs or filters too much).
    The count is kept inside the test, so it holds however pytest-xdist spreads the tests."""

    def decorate(body):
        name = body.__name__.removeprefix("test_")

        def counted(args: tuple) -> None:
            EXAMPLES[name] += 1
            body(*args)

        counted.__qualname__ = body.__qualname__  # its name seeds the derandomized examples
        run_property = fuzz_settings(examples)(given(st.tuples(*strategies))(counted))

        def test() -> None:
            before = EXAMPLES[name]
            run_property()
            ran = EXAMPLES[name] - before
            print(f"\n{body.__name__}: {ran} examples")
            assert ran >= examples * _SCALE

        test.__name__ = body.__name__
        test.__doc__ = body.__doc__
        return test

    return decorate


@pytest.fixture(scope="module", autouse=True)
def _print_example_counts():
    yield
    total = sum(v for k, v in EXAMPLES.items() if not k.startswith("hit"))
    print(
        f"\nfuzz examples run: {total} in total; "
        + ", ".join(f"{k} {v}" for k, v in sorted(EXAMPLES.items()))
    )


# ---------------------------------------------------------------------------------------------
# Checks every parse must pass.


def _decoded_line_count(data: str | bytes) -> int:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def assert_total(doc: object, data: str | bytes) -> ParsedDocument:
    """A ParsedDocument, no crash hidden in a problem, every problem well formed."""
    assert isinstance(doc, ParsedDocument)
    crashes = [p.message for p in doc.problems if p.code == "parser_crash"]
    assert not crashes, crashes
    last_line = _decoded_line_count(data)
    for p in doc.problems:
        assert p.code in PROBLEM_CODES, p
        assert p.level in ("error", "warning"), p
        assert p.message and "\n" not in p.message.strip(), p
        assert p.line is None or 1 <= p.line <= last_line, (p, last_line)
    if not doc.rejected:
        for row in [*doc.timeline, *doc.actions]:
            assert row.line is None or 1 <= row.line <= last_line, (row, last_line)
    return doc


# ---------------------------------------------------------------------------------------------
# Strategies: a filled template, then mutations of it.

_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10
)
_PHRASE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def incidents(draw) -> dict:
    """The values a valid template postmortem is filled with (what the parser must read back)."""
    day = draw(_DATES)
    incident_id = f"INC-{day:%Y-%m-%d}-{draw(st.integers(1, 999)):03d}"
    minutes = sorted(
        draw(st.lists(st.integers(0, 23 * 60 + 59), min_size=1, max_size=8, unique=True))
    )
    # Fixed first words keep generated text clear of the template's placeholders ('TBD', 'None').
    timeline = [(f"{m // 60:02d}:{m % 60:02d}", "Saw " + draw(_PHRASE)) for m in minutes]
    n_actions = draw(st.integers(1, 5))
    actions = [
        (
            str(i + 1),
            "Fix " + draw(_PHRASE),
            draw(st.sampled_from(["alice", "@bob", "Chen Wei", "dana.o", "Émile"])),
            draw(_DATES).isoformat(),
            draw(st.sampled_from(["[x] DONE", "[ ] TODO"])),
        )
        for i in range(n_actions)
    ]
    return {
        "incident_id": incident_id,
        "date": day,
        "severity": draw(st.sampled_from(["P0", "P1", "P2", "P3"])),
        "timeline": timeline,
        "actions": actions,
    }


def render(values: dict) -> str:
    return template_postmortem(
        values["incident_id"],
        date=values["date"].isoformat(),
        severity=values["severity"],
        timeline=values["timeline"],
        actions=values["actions"],
    )


def _split_sections(text: str) -> list[str]:
    parts = text.split("\n## ")
    return [parts[0]] + ["## " + p for p in parts[1:]]


_SPLICE_BYTES = st.binary(min_size=1, max_size=64)
_WILD_TEXT = st.text(max_size=200)  # any code point, including surrogates' neighbours and RTL


@st.composite
def mutation(draw):
    """One named change to a document (text -> text or bytes)."""
    kind = draw(
        st.sampled_from(
            [
                "shuffle_sections",
                "drop_section",
                "cut_lines",
                "truncate",
                "splice_bytes",
                "table_cells",
                "gigantic_cell",
                "unicode",
                "line_ends",
                "fence",
                "front_matter",
                "duplicate_section",
                "heading_levels",
            ]
        )
    )
    rnd = draw(st.randoms(use_true_random=False))
    payload = {
        "splice_bytes": _SPLICE_BYTES,
        "unicode": _WILD_TEXT,
        "front_matter": st.one_of(
            _WILD_TEXT,
            st.sampled_from(
                [
                    "title: [unclosed",
                    "- a\n- b",
                    "!!binary aGVsbG8=",
                    "a: &x [*x]",
                    "key: !!python/name:os.system",
                    "? complex\n: key",
                    "%YAML 9.9\n---\nx: 1",
                    "severity: {P1: [",
                    "date: 2026-13-45",
                    "incident_id: 12",
                    "tags: 5",
                    "\t- tabbed",
                    "x: " + "[" * 500,
                ]
            ),
        ),
        "gigantic_cell": st.integers(10_000, 300_000),
    }.get(kind, st.none())
    return kind, draw(payload), rnd


def apply_mutation(data: str | bytes, change) -> str | bytes:
    kind, payload, rnd = change
    if isinstance(data, bytes):
        # Once bytes are spliced in, keep mutating the bytes.
        if kind == "splice_bytes":
            at = rnd.randrange(len(data) + 1)
            return data[:at] + payload + data[at:]
        if kind == "truncate":
            return data[: rnd.randrange(len(data) + 1)]
        return data
    lines = data.split("\n")
    if kind == "shuffle_sections":
        sections = _split_sections(data)
        rnd.shuffle(sections)
        return "\n".join(sections)
    if kind == "drop_section":
        sections = _split_sections(data)
        sections.pop(rnd.randrange(len(sections)))
        return "\n".join(sections)
    if kind == "duplicate_section":
        sections = _split_sections(data)
        sections.insert(rnd.randrange(len(sections) + 1), rnd.choice(sections))
        return "\n".join(sections)
    if kind == "cut_lines":
        start = rnd.randrange(len(lines))
        del lines[start : start + rnd.randint(1, 12)]
        return "\n".join(lines)
    if kind == "truncate":
        return data[: rnd.randrange(len(data) + 1)]
    if kind == "splice_bytes":
        raw = data.encode("utf-8")
        at = rnd.randrange(len(raw) + 1)
        return raw[:at] + payload + raw[at:]
    if kind == "table_cells":
        rows = [i for i, line in enumerate(lines) if line.startswith("|")]
        for i in rnd.sample(rows, min(len(rows), rnd.randint(1, 4))):
            cells = lines[i].strip("|").split("|")
            if rnd.random() < 0.5 and len(cells) > 1:
                del cells[rnd.randrange(len(cells))]
            else:
                cells.insert(
                    rnd.randrange(len(cells) + 1), rnd.choice([" ", " extra ", " | ", "||", "\\|"])
                )
            lines[i] = "|" + "|".join(cells) + ("|" if rnd.random() < 0.7 else "")
        return "\n".join(lines)
    if kind == "gigantic_cell":
        rows = [i for i, line in enumerate(lines) if line.startswith("|")] or [len(lines) - 1]
        i = rnd.choice(rows)
        lines[i] = (
            lines[i][:-1]
            + ("x" * payload if rnd.random() < 0.5 else "14:00 " * (payload // 6))
            + " |"
        )
        return "\n".join(lines)
    if kind == "unicode":
        at = rnd.randrange(len(data) + 1)
        return data[:at] + payload + data[at:]
    if kind == "line_ends":
        return "".join(line + rnd.choice(["\n", "\r\n", "\r", "\n\r"]) for line in lines)[:-1]
    if kind == "fence":
        lines.insert(
            rnd.randrange(len(lines) + 1), rnd.choice(["```", "~~~", "````python", "```\n```\n```"])
        )
        return "\n".join(lines)
    if kind == "front_matter":
        opener = rnd.choice(["---\n", "---\r\n", "--- \n", "+++\n"])
        closer = rnd.choice(["\n---\n", "\n...\n", "\n", "\n---"])
        return opener + payload + closer + data
    if kind == "heading_levels":
        return "\n".join(
            rnd.choice(["#", "###", "######", "####### ", "#"]) + line.lstrip("#")
            if line.startswith("#")
            else line
            for line in lines
        )
    raise AssertionError(kind)


# ---------------------------------------------------------------------------------------------
# Properties.


@property_test(2000, incidents(), st.lists(mutation(), min_size=1, max_size=5))
def test_mutated_postmortems_never_crash_the_parser(values, changes):
    data: str | bytes = render(values)
    for change in changes:
        data = apply_mutation(data, change)
    assert_total(parse_document(data, "fuzz.md"), data)


@property_test(1500, st.one_of(st.binary(max_size=4096), st.text(max_size=4096)))
def test_arbitrary_input_never_crashes_the_parser(data):
    assert_total(parse_document(data, "fuzz.md"), data)


@property_test(
    600,
    st.lists(
        st.sampled_from(
            ["- ", "  ", "> ", "1. ", "* ", "| ", "#", "**", "`", "[", "](", "<div>", "\n"]
        ),
        max_size=3000,
    ),
)
def test_markdown_punctuation_soup_never_crashes_the_parser(pieces):
    data = "".join(pieces)
    assert_total(parse_document(data, "fuzz.md"), data)


# Noise that cannot be read as a field, a heading or a table row: letters, digits, spaces and
# punctuation that is not Markdown structure, over any script.
_NOISE_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="#|*:`~-_=<>[]+!\\",
    ),
    max_size=120,
)
_NOISE = st.one_of(
    st.lists(_NOISE_LINE, min_size=1, max_size=30).map("\n".join),
    # Structure the parser must leave alone because it is inside a fenced code block.
    st.lists(
        st.sampled_from(
            [
                "**Severity:** P0",
                "**Incident ID:** INC-1999-01-01-999",
                "**Date:** 1999-01-01",
                "| 23:59 | Not a timeline row |",
                "| 9 | Not an action | @nobody | 1999-01-01 | [ ] TODO |",
                "## Incident Timeline",
                "- **Duration:** 9 hours",
                "plain words",
            ]
        ),
        min_size=1,
        max_size=10,
    ).map(lambda lines: "```text\n" + "\n".join(lines) + "\n```"),
    # Markdown structure of its own that names none of the template's fields.
    st.lists(
        st.one_of(
            _NOISE_LINE.map(lambda t: "- " + t),
            _NOISE_LINE.map(lambda t: "1. " + t),
            _NOISE_LINE.map(lambda t: "> " + t),
            st.tuples(_NOISE_LINE, _NOISE_LINE).map(
                lambda ab: f"| Metric | Value |\n|---|---|\n| {ab[0]} | {ab[1]} |"
            ),
            st.sampled_from(
                ["### Graphs", "#### Raw data", "**Reviewer:** Sam", "**Ticket:** OPS-1234", "---"]
            ),
        ),
        min_size=1,
        max_size=12,
    ).map("\n\n".join),
)


# Prose an author might write in a recognised section: times, dates, ids and label-like words
# that are not the fields. Lines never start with list, heading or table marks.
_PROSE = st.lists(
    st.one_of(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="#|*`~<>[]\\"
            ),
            min_size=1,
            max_size=80,
        ),
        st.sampled_from(
            [
                "At 14:05 UTC the API failed.",
                "On 2019-01-01 we saw this before.",
                "Severity was debated: P0 or P3?",
                "Duration: about 9 hours",
                "INC-1999-01-01-001 looked similar.",
                "Status: DRAFT",
            ]
        ),
    ),
    min_size=1,
    max_size=8,
).map(lambda lines: "\n".join(line.lstrip(" -+=_:0123456789.") or "x" for line in lines))
# Where prose goes: after this line of the template.
_PROSE_PLACES = {
    "summary": "Checkout requests failed for an hour because a certificate expired.",
    "business impact": "- About 400 orders were lost.",
    "what went well": "1. Rollback was quick.",
    "detection gap": "An expiry alert 14 days ahead would have caught it.",
    "top of impact": "## Impact\n",
}


def _fields(doc: ParsedDocument) -> dict:
    return {
        "id": doc.incident.incident_id,
        "severity": doc.incident.severity,
        "date": doc.incident.incident_date,
        "timeline": [(e.time_text, e.event, e.occurred_at) for e in doc.timeline],
        "actions": [
            (a.action_id, a.description, a.owner, a.due_date, a.status) for a in doc.actions
        ],
    }


@property_test(1000, incidents(), _NOISE, st.sampled_from(["end", "after_summary", "both"]))
def test_fields_survive_unrelated_noise_in_a_custom_section(values, noise, where):
    clean = render(values)
    expected = {
        "id": values["incident_id"],
        "severity": values["severity"],
        "date": values["date"],
        "timeline": [
            (t, e, dt.datetime.combine(values["date"], dt.time.fromisoformat(t)))
            for t, e in values["timeline"]
        ],
        "actions": [
            (i, d, o.lstrip("@"), dt.date.fromisoformat(due), "done" if "DONE" in s else "todo")
            for i, d, o, due, s in values["actions"]
        ],
    }
    assert _fields(assert_total(parse_document(clean, "clean.md"), clean)) == expected

    section = f"\n## Appendix: scratch notes\n\n{noise}\n"
    noisy = clean
    if where in ("end", "both"):
        noisy = noisy + section
    if where in ("after_summary", "both"):
        noisy = noisy.replace(
            "\n---\n\n## Incident Timeline", section + "\n---\n\n## Incident Timeline", 1
        )
    assert _fields(assert_total(parse_document(noisy, "noisy.md"), noisy)) == expected


@property_test(600, incidents(), _PROSE, st.sampled_from(list(_PROSE_PLACES)))
def test_fields_survive_prose_written_in_other_sections(values, prose, place):
    clean = render(values)
    expected = _fields(parse_document(clean, "clean.md"))
    after = _PROSE_PLACES[place]
    noisy = clean.replace(after, f"{after}\n{prose}\n", 1)
    assert noisy != clean
    assert _fields(assert_total(parse_document(noisy, "noisy.md"), noisy)) == expected


# Front matter naming the fields the parser reads there, with values of every YAML type.
_FRONT_MATTER_KEYS = [
    "id", "incident_id", "incident-id", "uuid", "ID", "date", "incident_date", "start_time",
    "DATE", "last_updated", "updated", "lastmod", "status", "authors", "author", "severity",
    "sev", "Severity", "services", "service", "team", "tags", "categories", "keywords",
    "root_cause_category", "duration", "duration_minutes", "users", "summary", "description",
    "title",
]  # fmt: skip
_RAW_YAML = [
    "!!binary aGVsbG8=", "!!set {a, b}", "2026-02-30", "1e400", ".nan", "-.inf", "~", "yes",
    "!!timestamp 2001-12-14t21:59:43.10-05:00", "[[[]]]", "{a: {b: c}}", "0x1F", "0o17",
    "12:30:00", "2026-03-14 25:00:00", "''", '"\\u0000"', "!!int '7'", "[P1, P2]", "{P1: x}",
    "2026-03-14T10:00:00Z", "!!float 3", "|\n  multi\n  line", ">\n  folded",
]  # fmt: skip
_YAML_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(), st.text(max_size=30),
        st.dates(), st.datetimes(), st.binary(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)  # fmt: skip


def _yaml_flow(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


@property_test(
    600,
    incidents(),
    st.lists(
        st.tuples(
            st.sampled_from(_FRONT_MATTER_KEYS),
            st.one_of(_YAML_VALUES.map(_yaml_flow), st.sampled_from(_RAW_YAML)),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_typed_front_matter_never_crashes_and_the_body_wins(values, entries):
    body = render(values)
    lines = [
        f"{key}:\n  " + value.replace("\n", "\n  ") if "\n" in value else f"{key}: {value}"
        for key, value in entries
    ]
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    doc = assert_total(parse_document(text, "fm.md"), text)
    if not doc.rejected:
        # The body gives id, date, severity, timeline and actions: front matter never overrides them.
        assert _fields(doc) == _fields(parse_document(body, "body.md"))


# Real-world postmortems (the wild corpus beside the repo) as seeds instead of the template.
_WILD_TEXTS = (
    [p.read_bytes().decode("utf-8", "replace") for p in sorted(WILD_CORPUS.glob("*.md"))]
    if WILD_CORPUS.is_dir()
    else []
)
_NEEDS_WILD = pytest.mark.skipif(
    not _WILD_TEXTS,
    reason=f"wild corpus not found at {WILD_CORPUS} (the shared folder beside the repo)",
)


@_NEEDS_WILD
@property_test(
    500, st.sampled_from(_WILD_TEXTS or ["-"]), st.lists(mutation(), min_size=1, max_size=5)
)
def test_mutated_wild_postmortems_never_crash_the_parser(text, changes):
    data: str | bytes = text
    for change in changes:
        data = apply_mutation(data, change)
    assert_total(parse_document(data, "wild.md"), data)


@_NEEDS_WILD
@property_test(600, st.sampled_from(_WILD_TEXTS or ["-"]), _NOISE)
def test_wild_fields_survive_noise_in_a_custom_section_at_the_end(text, noise):
    expected = _fields(parse_document(text, "wild.md"))
    noisy = text.rstrip("\n") + f"\n\n## Appendix: scratch notes\n\n{noise}\n"
    assert _fields(assert_total(parse_document(noisy, "wild.md"), noisy)) == expected


# ---------------------------------------------------------------------------------------------
# Regression tests for what the properties found, each reduced to a minimal input.


@pytest.mark.parametrize("value", ["2026-02-30", "0000-00-00", "2026-13-01 10:00:00"])
def test_impossible_front_matter_date_is_a_warning_not_a_crash(value):
    doc = parse_document(f"---\ndate: {value}\n---\n# T\n\n**Incident ID:** INC-1\n", "r1.md")
    assert [p.code for p in doc.problems if p.level == "error"] == []
    assert doc.incident.incident_id == "INC-1"
    assert "frontmatter_invalid" in {p.code for p in doc.problems}


# A stray label above the header fields, and the value it must not hide (R2, fixed).
STRAY_LABELS = {
    "Date:": ("incident_date", dt.date(2026, 3, 14)),
    "Incident:": ("incident_id", "INC-2026-03-14-001"),
    "Severity:": ("severity", "P1"),
    "Severity: see below": ("severity", "P1"),
    "Status:": ("status", "FINAL"),
}


@pytest.mark.parametrize("stray", list(STRAY_LABELS))
def test_an_empty_field_line_does_not_hide_the_real_value(stray):
    title = "# Incident Postmortem: Checkout API returned 503s"
    text = template_postmortem().replace(title, f"{title}\n{stray}")
    doc = parse_document(text, "r2.md")
    field, expected = STRAY_LABELS[stray]
    assert getattr(doc.incident, field) == expected
    assert [e.occurred_at is not None for e in doc.timeline] == [True] * 6


# ---------------------------------------------------------------------------------------------
# How the bytes are laid out (line ends, BOM, trailing blanks) never changes what is read.


def _everything(doc: ParsedDocument) -> dict:
    return {
        **_fields(doc),
        "incident": doc.incident,
        "whys": [(w.level, w.text, w.is_root_cause) for w in doc.whys],
        "learnings": [(x.kind, x.text) for x in doc.learnings],
        "detection": doc.detection_methods,
        "problems": [(p.line, p.code) for p in doc.problems],
    }


@property_test(500, incidents(), st.sampled_from(["crlf", "cr", "bom", "trailing", "tabs"]))
def test_line_ends_bom_and_trailing_blanks_do_not_change_what_is_read(values, layout):
    text = render(values)
    if layout == "crlf":
        other: str | bytes = text.replace("\n", "\r\n").encode()
    elif layout == "cr":
        other = text.replace("\n", "\r").encode()
    elif layout == "bom":
        other = b"\xef\xbb\xbf" + text.encode()
    elif layout == "trailing":
        other = "\n".join(line + "  " for line in text.split("\n"))
    else:
        other = "\n".join(line + "\t" for line in text.split("\n"))
    expected = _everything(parse_document(text, "a.md"))
    assert _everything(assert_total(parse_document(other, "a.md"), other)) == expected


@pytest.mark.parametrize(
    "extra",
    [
        "## Appendix\n\nA similar incident happened on 2019-01-01.\n",
        "## Related\n\n- INC-2019-01-01-001\n",
        "## Appendix\n\n```\n2019-01-01\n```\n",
    ],
)
def test_an_unrelated_iso_date_does_not_flip_a_numeric_date(extra):
    # Found on a wild document by the property above.
    text = (
        "# 06-11-2023 - Data loss on upgrade\n\n## Timeline\n"
        "* 11:10 6th Nov 2023 - commit merged.\n* 10:00 7th Nov 2023 - the team noticed.\n"
    )
    assert parse_document(text, "r3.md").incident.incident_date == dt.date(2023, 11, 6)
    assert parse_document(f"{text}\n{extra}", "r3.md").incident.incident_date == dt.date(
        2023, 11, 6
    )
