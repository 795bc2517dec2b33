"""A duration told in prose (`pipeline.parse.prose_duration`), and where it stands among the
other ways a duration is obtained. The sentences are taken from real postmortems of
`data/real/` and `../shared/corpus/wild`."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_document


def _summary(sentence: str, timeline: str = "") -> str:
    doc = f"# Outage\n\n**Date:** 2024-03-14\n\n## Summary\n\n{sentence}\n"
    return doc + (f"\n## Timeline\n\n{timeline}" if timeline else "")


@pytest.mark.parametrize(
    ("sentence", "minutes"),
    [
        ("Flags were down, lasting 1 hour and 48 minutes, from 16:58 to 18:46 UTC.", 108),
        ("The site suffered an incident lasting 9 hours and 48 minutes.", 588),
        ("This resulted in a 4-hour downtime for all websites.", 240),
        ("A 6-minute public outage of the service.", 6),
        ("The root filesystem filled up, a 7 minute cascading failure.", 7),
        ("Users saw approximately 25 minutes of downtime.", 25),
        ("Downtime for 30 hours.", 1800),
        ("The outage itself was about 90 minutes.", 90),
        ("Our outage really only lasted about 40 minutes.", 40),
        ("Total time to resolution approximately 49 minutes.", 49),
        ("The problem was fixed in about 40 minutes.", 40),
        ("It took 1 hour and 31 minutes from the start of the incident to the deploy.", 91),
        ("The disruption for Binder lasted for approximately five hours.", 300),
    ],
)
def test_a_duration_tied_to_the_outage_is_read(sentence: str, minutes: int) -> None:
    incident = parse_document(_summary(sentence)).incident
    assert (incident.duration_minutes, incident.duration_derived) == (minutes, "prose")
    assert incident.duration_evidence.startswith("line 7: ")


@pytest.mark.parametrize(
    "sentence",
    [
        "We waited 30 minutes before paging the database team.",
        "The cache keeps entries for 6 hours.",
        "Requests in the last 30 days were affected.",  # 'last', not 'lasted'
        "Failed to resolve for an estimated time of 10-15 minutes.",  # a range, not a figure
        "For approximately 14 hours nothing was sent.",  # no outage word tied to it
    ],
)
def test_a_number_of_minutes_not_tied_to_the_outage_is_not_a_duration(sentence: str) -> None:
    incident = parse_document(_summary(sentence)).incident
    assert (incident.duration_minutes, incident.duration_derived) == (None, None)


def test_the_timeline_section_is_not_read_for_prose_durations() -> None:
    doc = parse_document(
        _summary("Checkout failed.", "- 10:00 The outage lasted 20 minutes so far, paging\n")
    )
    assert doc.incident.duration_derived != "prose"


def test_a_rounded_figure_gives_way_to_the_timeline_it_rounds() -> None:
    # "about 3 hours" is the timeline's 2 h 35 min rounded: the exact figure is the reading
    timeline = "- 10:00 alert fired\n- 12:35 service restored\n"
    incident = parse_document(
        _summary("Payments were unavailable for about 3 hours.", timeline)
    ).incident
    assert (incident.duration_minutes, incident.duration_derived) == (155, "timeline")
    # a figure the timeline does not round to stays what the author wrote
    incident = parse_document(
        _summary("Payments were unavailable for about 5 hours.", timeline)
    ).incident
    assert (incident.duration_minutes, incident.duration_derived) == (300, "prose")
    # and an exact one is never rounded away
    incident = parse_document(
        _summary("The outage lasted 2 hours and 33 minutes.", timeline)
    ).incident
    assert (incident.duration_minutes, incident.duration_derived) == (153, "prose")


def test_prose_beats_the_front_matter_window_and_a_field_beats_prose() -> None:
    front = "---\nstart_time: 2024-03-14T10:00:00Z\nend_time: 2024-03-14T11:00:00Z\n---\n"
    incident = parse_document(front + _summary("We had 25 minutes of downtime.")).incident
    assert (incident.duration_minutes, incident.duration_derived) == (25, "prose")
    incident = parse_document(front + "# Outage\n\n- **Duration:** 2h\n").incident
    assert (incident.duration_minutes, incident.duration_derived) == (120, None)
    assert incident.duration_evidence == 'line 7: "Duration: 2h"'
    incident = parse_document(front + "# Outage\n\nIt broke.\n").incident
    assert (incident.duration_minutes, incident.duration_derived) == (60, "front_matter")
    assert incident.duration_evidence == (
        "start_time 2024-03-14 10:00:00+00:00, end_time 2024-03-14 11:00:00+00:00"
    )


def test_time_to_repair_beats_time_to_resolve() -> None:
    # a real report's key facts: the repair ends the outage, the resolve the follow-up
    doc = parse_document(
        "# Incident on 2021-07-12\n\n- **Time to repair**: 0h 07m\n\n"
        "- **Time to resolve**: 20h 03m\n"
    )
    assert doc.incident.duration_minutes == 7
    assert doc.incident.duration_evidence == 'line 3: "Time to repair: 0h 07m"'


@pytest.mark.parametrize(
    ("sentence", "minutes", "words"),
    [
        ("On 2023-07-20 between 12:17 and 12:30 UTC all crate downloads were broken.", 13,
         "between 12:17 and 12:30"),
        ("On August 29, 2019, between 10:00 AM and 10:40 AM, Zerodha had technical issues.", 40,
         "between 10:00 AM and 10:40 AM"),
        ("Customers experienced a service outage between 10:02 a.m. and 11:55 a.m. PDT.", 113,
         "between 10:02 a.m. and 11:55 a.m."),
        ("Between ~4pm and ~5:15pm the proxy was oomkilled and caused many 503 errors.", 75,
         "Between ~4pm and ~5:15pm"),
        ("All services were inaccessible from 23:50 UTC to 00:40 UTC.", 50,
         "from 23:50 UTC to 00:40"),
    ],
)  # fmt: skip
def test_a_window_of_clock_times_told_of_the_outage(sentence: str, minutes: int, words: str):
    incident = parse_document(_summary(sentence)).incident
    assert (incident.duration_minutes, incident.duration_derived) == (minutes, "prose")
    assert incident.duration_evidence == f'line 7: "{words}"'


@pytest.mark.parametrize(
    "sentence",
    [
        "We doubled the number of proxy instances from 15 to 30 to absorb the errors.",
        "From 12:24PM to 7:40PM UTC, users were able to see all pending invitations.",  # no outage word
        "The release train ran from 2019 to 2021 without issues.",
    ],
)
def test_counts_and_windows_not_told_of_the_outage_are_not_durations(sentence: str) -> None:
    assert parse_document(_summary(sentence)).incident.duration_minutes is None


def test_the_front_matter_window_beats_a_window_of_clock_times() -> None:
    # such a sentence may tell of a part of the incident: when data was lost, say
    front = "---\nstart_time: 2024-03-14T10:00:00Z\nend_time: 2024-03-14T10:30:00Z\n---\n"
    sentence = "Scores added between 3:47 PM CET and 11:21 PM CET were lost."
    incident = parse_document(front + _summary(sentence)).incident
    assert (incident.duration_minutes, incident.duration_derived) == (30, "front_matter")
    assert parse_document(_summary(sentence)).incident.duration_minutes == 454
