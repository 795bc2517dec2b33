"""Timelines: tables and lists in their many shapes, dates carried forward, midnight, zones,
ranges, unknown and relative times, DD-MM vs MM-DD, and event kinds."""

from __future__ import annotations

from datetime import datetime as D

import pytest

from pipeline.parse import parse_document
from pipeline.parse.kinds import classify_event, stated_kind
from pipeline.parse.timeline import crosses_midnight


def timeline(body: str, date: str | None = "2024-03-14"):
    head = f"# T\n\n**Date:** {date}\n\n" if date else "# T\n\n"
    return parse_document(head + "## Timeline\n\n" + body)


def times(doc) -> list[D | None]:
    return [e.occurred_at for e in doc.timeline]


def codes(doc) -> list[str]:
    return [p.code for p in doc.problems]


def test_table_without_outer_pipes_and_with_actor_column_and_bold_headers() -> None:
    doc = timeline(
        "**Time (UTC)** | **Actor** | **Event**\n--- | --- | ---\n"
        "14:02 | bot | PagerDuty paged on-call\n14:05 | ann | on-call acks\n"
    )
    assert times(doc) == [D(2024, 3, 14, 14, 2), D(2024, 3, 14, 14, 5)]
    assert [e.event for e in doc.timeline] == ["PagerDuty paged on-call", "on-call acks"]
    assert [e.kind for e in doc.timeline] == ["alert", "acknowledged"]
    assert [e.line for e in doc.timeline] == [9, 10]


@pytest.mark.parametrize(
    ("item", "when", "text"),
    [
        ("- 14:02 — alert fired", D(2024, 3, 14, 14, 2), "alert fired"),
        ("- **16:58 UTC** - flags down", D(2024, 3, 14, 16, 58), "flags down"),
        ("- [08:47] Outage begins", D(2024, 3, 14, 8, 47), "Outage begins"),
        ("* 11:10 6th Nov 2023 - upgrade started", D(2023, 11, 6, 11, 10), "upgrade started"),
        ("- 2021-10-04 15:39 - BGP withdrawn", D(2021, 10, 4, 15, 39), "BGP withdrawn"),
        ("- Mar 15 15:39: BGP withdrawn", D(2024, 3, 15, 15, 39), "BGP withdrawn"),
        ("- 07-27-2023 2:14 pm - runner compromised", D(2023, 7, 27, 14, 14), "runner compromised"),
        ("- 1506 UTC: upgrade height reached", D(2024, 3, 14, 15, 6), "upgrade height reached"),
        ("- 10h47 server down", D(2024, 3, 14, 10, 47), "server down"),
        ("- 02:00-04:30 maintenance window", D(2024, 3, 14, 2, 0), "maintenance window"),
        ("- 09:35:12 first error", D(2024, 3, 14, 9, 35, 12), "first error"),
        ("- 12:15 AM job ran", D(2024, 3, 14, 0, 15), "job ran"),
        (
            "- **June 14th, 2022, 10:00 AM:** report received",
            D(2022, 6, 14, 10, 0),
            "report received",
        ),
    ],
)
def test_bullet_forms(item: str, when: D, text: str) -> None:
    doc = timeline(item + "\n")
    [ev] = doc.timeline
    assert (ev.occurred_at, ev.event) == (when, text)


def test_time_text_is_kept_as_written() -> None:
    [ev] = timeline("- **16:58 UTC** - flags down\n").timeline
    assert ev.time_text == "16:58 UTC"


def test_rolls_to_next_day_when_the_clock_goes_back() -> None:
    doc = timeline("- 23:40 deploy\n- 23:55 alert fired\n- 00:15 rolled back\n")
    assert times(doc) == [D(2024, 3, 14, 23, 40), D(2024, 3, 14, 23, 55), D(2024, 3, 15, 0, 15)]


def test_small_step_back_is_out_of_order_not_a_new_day() -> None:
    doc = timeline("- 11:08 node drained\n- 11:07 alert fired\n")
    assert times(doc) == [D(2024, 3, 14, 11, 8), D(2024, 3, 14, 11, 7)]
    assert crosses_midnight(D(1, 1, 1, 23, 40).time(), D(1, 1, 1, 0, 15).time())
    assert not crosses_midnight(D(1, 1, 1, 11, 8).time(), D(1, 1, 1, 11, 7).time())


def test_day_headings_and_day_lines_carry_forward() -> None:
    doc = timeline(
        "#### 29-09-2021 (All times CEST)\n\n- 15:46 **ROOT CAUSE** — driver switched\n\n"
        "### 03-10-2021\n\n- 02:17 **OUTAGE BEGINS** — timeouts\n\n"
        "**7th Oct:**\n09:00 : redeploy started\n",
        date=None,
    )
    assert times(doc) == [D(2021, 9, 29, 13, 46), D(2021, 10, 3, 0, 17), D(2021, 10, 7, 7, 0)]
    assert [e.kind for e in doc.timeline][:2] == ["root_cause", "impact_start"]


def test_h3_per_event_with_date_once() -> None:
    doc = timeline(
        "All times in PST\n\n### 2018-01-18 4:19\nReddit post goes up.\n\n### 4:27\n"
        "Alerts fire for launch failures.\n\n### 8:20 - 8:24\nScaled up the cluster.\n",
        date=None,
    )
    assert times(doc) == [D(2018, 1, 18, 12, 19), D(2018, 1, 18, 12, 27), D(2018, 1, 18, 16, 20)]
    assert [e.event for e in doc.timeline] == [
        "Reddit post goes up.",
        "Alerts fire for launch failures.",
        "Scaled up the cluster.",
    ]
    assert doc.timeline[1].kind == "alert"


@pytest.mark.parametrize(
    ("body", "utc"),
    [
        ("| Time (PT) | Event |\n|---|---|\n| 09:35 | alert fired |\n", D(2024, 3, 14, 16, 35)),
        ("All times in CEST.\n\n- 10:00 alert fired\n", D(2024, 3, 14, 9, 0)),
        ("- 09:35 PST alert fired\n", D(2024, 3, 14, 16, 35)),  # PDT in force on 14 March
        ("- 09:35 GMT alert fired\n", D(2024, 3, 14, 9, 35)),
        (
            "*(All times US/Pacific, 24-hour clock.)*\n\n- 09:35 alert fired\n",
            D(2024, 3, 14, 16, 35),
        ),
        (
            "| Date and Time in CET | Event |\n|:-|-|\n| 2024-01-10 12:00 | alert fired |\n",
            D(2024, 1, 10, 11, 0),
        ),
    ],
)
def test_zones_convert_to_naive_utc_with_dst(body: str, utc: D) -> None:
    [ev] = timeline(body).timeline
    assert ev.occurred_at == utc


def test_unknown_times_keep_the_row() -> None:
    doc = timeline("| Time | Event |\n|---|---|\n| 2019-12-03 --:-- | surge |\n| ??? | paged |\n")
    assert [e.event for e in doc.timeline] == ["surge", "paged"]
    assert times(doc) == [None, None]
    assert codes(doc).count("unreadable_time") == 2


def test_relative_times_count_from_the_first_timed_event() -> None:
    doc = timeline("- 10:00 upgrade halted\n- [+6.5 hrs] validators patched\n")
    assert times(doc) == [D(2024, 3, 14, 10, 0), D(2024, 3, 14, 16, 30)]


def test_time_without_any_date_is_null_with_warning() -> None:
    doc = timeline("- 10:00 alert fired\n", date=None)
    assert times(doc) == [None]
    assert "undated_time" in codes(doc)


def test_dmy_decided_by_a_day_over_12_elsewhere() -> None:
    doc = timeline("- 03-04-2024 10:00 alert fired\n- 25-04-2024 10:00 restored\n", date=None)
    assert times(doc)[0] == D(2024, 4, 3, 10, 0)


def test_mdy_decided_by_a_day_over_12_elsewhere() -> None:
    doc = timeline("- 03-04-2024 10:00 alert fired\n- 04-25-2024 10:00 restored\n", date=None)
    assert times(doc)[0] == D(2024, 3, 4, 10, 0)


def test_truly_ambiguous_prefers_incident_date() -> None:
    doc = timeline("- 03-04-2024 10:00 alert fired\n", date="2024-04-03")
    assert times(doc) == [D(2024, 4, 3, 10, 0)]
    assert "ambiguous_date" not in codes(doc)


def test_truly_ambiguous_without_help_is_recorded() -> None:
    doc = timeline("- 03-04-2024 10:00 alert fired\n", date=None)
    assert times(doc) == [D(2024, 3, 4, 10, 0)]
    assert "ambiguous_date" in codes(doc)


def test_placeholder_rows_give_no_row() -> None:
    doc = timeline("| Time (UTC) | Event |\n|---|---|\n| HH:MM | First alert triggered |\n")
    assert doc.timeline == []
    assert codes(doc).count("placeholder") == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("PagerDuty paged on-call", "alert"),
        ("First alert triggered", "alert"),
        ("on-call acks", "acknowledged"),
        ("Incident acknowledged", "acknowledged"),
        ("Root cause identified", "root_cause"),
        ("**ROOT CAUSE** — driver switch", "root_cause"),
        ("rolled back the rules globally", "mitigation"),
        ("Mitigation applied", "mitigation"),
        ("error rates back to normal", "restored"),
        ("Service restored", "restored"),
        ("incident closed", "all_clear"),
        ("All-clear declared", "all_clear"),
        ("**OUTAGE BEGINS** — timeouts", "impact_start"),
        ("(**outage ends**)", "restored"),
        # a restore under way is not the restore (labelling guide: a partial improvement)
        ("Artifacts started to be gradually restored", "other"),
        ("Service partially restored for EU users", "other"),
        ("Service fully recovered", "restored"),
        ("Lunch", "other"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert classify_event(text) == kind


def test_duration_derived_from_first_alert_to_restored() -> None:
    doc = timeline("- 23:50 alert fired\n- 23:55 on-call acks\n- 01:05 service restored\n")
    assert doc.incident.duration_minutes == 75
    assert doc.incident.duration_derived == "timeline"


def test_duration_derived_from_impact_start_when_there_is_one() -> None:
    doc = timeline(
        "- 23:20 warning: disk 80% full\n- 23:40 outage begins\n- 23:50 alert fired\n"
        "- 01:05 service restored\n- 09:00 follow-up ticket filed\n"
    )
    assert (doc.incident.duration_minutes, doc.incident.duration_derived) == (85, "timeline")


def test_no_duration_without_a_restore() -> None:
    doc = timeline("- 23:50 alert fired\n- 23:55 on-call acks\n- 03:00 retro scheduled\n")
    assert (doc.incident.duration_minutes, doc.incident.duration_derived) == (None, None)


def test_written_duration_wins_over_timeline() -> None:
    doc = parse_document(
        "# T\n\n**Date:** 2024-03-14\n- **Duration:** 2h\n\n## Timeline\n"
        "- 10:00 alert fired\n- 10:30 service restored\n"
    )
    assert (doc.incident.duration_minutes, doc.incident.duration_derived) == (120, None)


def test_nested_bullets_and_wrapped_lines_extend_the_event() -> None:
    doc = timeline("- 10:00 alert fired\n  for the API\n  - more detail\n- 10:30 restored\n")
    assert [e.event for e in doc.timeline] == ["alert fired for the API more detail", "restored"]


def test_code_blocks_in_the_timeline_are_not_events() -> None:
    doc = timeline("- 10:00 alert fired\n\n```\n10:01 ERROR x\n```\n\n- 10:30 restored\n")
    assert len(doc.timeline) == 2


def test_order_from_dates_lying_close_together() -> None:
    doc = parse_document(
        "# 12-01-2026 - Instances unavailable\n\n## Timeline\n\n- **08-01-2026** – cert expired\n"
        "- **11-01-2026 10:00 UTC** – failures began\n"
    )
    assert doc.incident.incident_date == D(2026, 1, 12).date()
    assert times(doc) == [None, D(2026, 1, 11, 10, 0)]
    assert "ambiguous_date" not in codes(doc)


def test_order_from_a_month_name_date_elsewhere() -> None:
    doc = parse_document(
        "# 06-11-2023 - Data loss\n\n## Timeline\n\n* 11:10 6th Nov 2023 - upgrade\n"
    )
    assert doc.incident.incident_date == D(2023, 11, 6).date()


def test_severity_under_its_own_heading() -> None:
    doc = parse_document("# T\n\n## Severity\n\n**Critical** - Complete outage.\n")
    assert doc.incident.severity == "P0"


def test_sre_book_headings_hold_values() -> None:
    doc = parse_document("# T\n\n## Date\n\nWednesday, 2018-08-22\n\n## Status\n\nResolved\n")
    assert (doc.incident.incident_date, doc.incident.status) == (D(2018, 8, 22).date(), "FINAL")


def test_day_written_after_the_time() -> None:
    doc = timeline("- 12:45 PM PST Saturday Oct 30th: First wave begins\n"
                   "- 03:30 AM PST Sunday Oct 31st: Largest wave begins\n", date="2021-10-31")  # fmt: skip
    assert times(doc) == [D(2021, 10, 30, 19, 45), D(2021, 10, 31, 10, 30)]
    assert [e.event for e in doc.timeline] == ["First wave begins", "Largest wave begins"]


def test_date_then_bold_time_then_handle() -> None:
    [ev] = timeline("- Feb 28th **01:52** `@quintessence` First report of media outages\n").timeline
    assert (ev.occurred_at, ev.event) == (
        D(2024, 2, 28, 1, 52),
        "@quintessence First report of media outages",
    )


def test_dates_without_a_year_take_the_nearest_year() -> None:
    doc = timeline("- [12-05 16:21] bug introduced\n- [03-20 16:46] spec updated\n- [03-26 02:50] reported\n",
                   date="2019-03-26")  # fmt: skip
    assert times(doc) == [D(2018, 12, 5, 16, 21), D(2019, 3, 20, 16, 46), D(2019, 3, 26, 2, 50)]


def test_timeline_under_bold_list_labels() -> None:
    doc = parse_document(
        "# Incident on 2020-08-14\n\n- **Key events**\n  - First detected 2020-08-14 10:43\n"
        "  - Incident declared: 2020-08-14 11:01\n  - Resolved 2020-08-14 11:38\n\n"
        "- **Time to repair**: 0h 37m\n\n- **Context**:\n\n15:35 – Plan pushed\n\n16:08 – Leak found\n\n"
        "- **Resolution**: restarted the leader pod\n"
    )
    assert [(e.event, e.occurred_at, e.kind) for e in doc.timeline] == [
        ("First detected", D(2020, 8, 14, 10, 43), "alert"),
        ("Incident declared", D(2020, 8, 14, 11, 1), "acknowledged"),
        ("Resolved", D(2020, 8, 14, 11, 38), "restored"),
        ("Plan pushed", D(2020, 8, 14, 15, 35), "other"),
        ("Leak found", D(2020, 8, 14, 16, 8), "other"),
    ]
    assert doc.incident.duration_minutes == 37


def test_incident_date_from_the_timeline_is_the_local_day() -> None:
    doc = parse_document(
        "# Outage\n\n## Timeline\n\nAll times in PST.\n\n- 2024-01-10 20:00 alert fired\n"
    )
    assert times(doc) == [D(2024, 1, 11, 4, 0)]
    assert doc.incident.incident_date == D(2024, 1, 10).date()


@pytest.mark.parametrize(
    "noise",
    [
        "## Appendix\n\nA similar incident happened on 2019-01-01.\n",
        "## Logs\n\n```\n2019-01-01 12:00 boot\n```\n",
        "## Related\n\n- INC-2019-01-01-001\n",
    ],
)
def test_an_unrelated_date_does_not_flip_the_order(noise: str) -> None:
    doc = parse_document(
        "# 06-11-2023 - Data loss on upgrade\n\n## Timeline\n\n* 11:10 6th Nov 2023 - upgrade\n\n"
        + noise
    )
    assert doc.incident.incident_date == D(2023, 11, 6).date()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[restored] rollback finished, errors back to baseline", "restored"),
        ("[Impact start] checkout returns 500s", "impact_start"),
        ("[alert] PagerDuty: p99 latency", "alert"),
        ("[ack] Dana takes the page", "acknowledged"),
        ("[root cause] the flag defaulted to on", "root_cause"),
        ("[mitigated] traffic drained from eu-west", "mitigation"),
        ("[all clear] incident closed", "all_clear"),
        ("Service restored after the revert", "restored"),
        ("First alert triggered by the synthetic check", "alert"),
        ("**All-clear declared**", "all_clear"),
    ],
)
def test_a_stated_kind_always_wins(text: str, kind: str) -> None:
    assert stated_kind(text) == kind
    doc = timeline(f"- 10:00 something unrelated happened\n- 10:05 {text}\n")
    row = doc.timeline[1]
    assert (row.kind, row.kind_stated, row.kind_confidence) == (kind, True, 1.0)


@pytest.mark.parametrize(
    "text", ["[JIRA-123] restored the config", "Restored service", "the service restored itself"]
)
def test_no_stated_kind_without_the_convention(text: str) -> None:
    assert stated_kind(text) is None


@pytest.mark.parametrize(
    ("written", "at", "event"),
    [
        # Chia's security reports: a date, a colon, then the time
        ("February 15, 2024: 7:56am UTC Employee contacted the bank", D(2024, 2, 15, 7, 56),
         "Employee contacted the bank"),
        # go-ethereum: "date: At time, what happened"
        ("2021-08-27: At 12:50:07 UTC, issue exploited", D(2021, 8, 27, 12, 50),
         "issue exploited"),
        # wire: date/time
        ("2023-01-04/11:34: Wire was informed", D(2023, 1, 4, 11, 34),
         "Wire was informed"),
    ],
)  # fmt: skip
def test_a_date_then_its_time_after_a_colon_or_slash(written, at, event):
    doc = parse_document(f"# X\n\n## Timeline\n\n- {written}\n".encode())
    [row] = doc.timeline
    assert (row.occurred_at.replace(second=0), row.event) == (at, event)


def test_a_table_with_the_date_and_the_time_in_two_columns():
    # Chia's "| Day | Date (2021) | Time (PT) | Event |": PDT on Oct 31 2021 is UTC-7
    doc = parse_document(
        b"# X\n\n**Date:** 2021-10-31\n\n## Timeline\n\n"
        b"| Day | Date (2021) | Time (PT) | Event |\n|---|---|---|---|\n"
        b"| Sun | Oct 31 | 21:33 | User posts in Keybase |\n"
        b"| Mon | Nov 1 | 09:10 | Laptop reimaged |\n"
    )
    assert [(e.occurred_at, e.event) for e in doc.timeline] == [
        (D(2021, 11, 1, 4, 33), "User posts in Keybase"),
        (D(2021, 11, 1, 16, 10), "Laptop reimaged"),
    ]


@pytest.mark.parametrize(
    ("day_line", "first"),
    [
        # real reports: pypi/warehouse 2023-12-04, bitcoin-core 2018-09-20 (the posts' dates)
        ("**Date: 2023-11-22**", D(2023, 11, 22, 8, 42)),
        ("Timeline for September 17, 2018: (all times UTC)", D(2018, 9, 17, 8, 42)),
        ("Timeline for September 17, 2018: (all times PDT)", D(2018, 9, 17, 15, 42)),
    ],
)
def test_a_labelled_day_line_places_the_bare_times_below_it(day_line: str, first: D) -> None:
    doc = timeline(f"{day_line}\n\n- 08:42 new user account created\n- 08:44 token issued\n")
    assert times(doc)[0] == first
    assert [e.event for e in doc.timeline] == ["new user account created", "token issued"]


def test_a_row_that_opens_with_a_date_and_says_more_is_a_row_not_a_day_line() -> None:
    doc = timeline("- Date 2024-03-15 the vendor confirmed the fault\n- 09:00 paged\n")
    assert len(doc.timeline) == 2


def test_a_timezone_label_in_the_timeline_sets_its_zone() -> None:
    # the head of a real timeline (dfds/postmortems PM2019-011)
    doc = timeline(
        "**Timezone**: CET\n\n| Time | Event |\n| :---: | --- |\n| 04:00 | Terraform run |\n"
    )
    assert times(doc) == [D(2024, 3, 14, 3, 0)]
