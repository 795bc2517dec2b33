-- response_times: one row per incident and response metric that incident has, in minutes.
--
-- The clock starts at the first alert (incidents.detected_at, the first 'alert' event of the
-- timeline), the same start the loader uses to derive a missing duration:
--   time_to_acknowledge  first alert -> first 'acknowledged' event
--   time_to_root_cause   first alert -> first 'root_cause' event
--   time_to_mitigate     first alert -> first 'mitigation' event
--   time_to_restore      first alert -> first 'restored' event
--   duration             incidents.duration_minutes (as written, or derived by the loader)
-- An incident lacking either end of an interval has no row for that metric (so "incidents"
-- counts only those having the figure). A negative interval (an end before the first alert)
-- means the timeline cannot be trusted for that figure, so it is left out rather than
-- reported as a negative time. Timeline times are full UTC timestamps, so an incident that
-- crosses midnight measures correctly.

create or replace view response_times as

with incidents as (

    select
        incident_id,
        detected_at,
        acknowledged_at,
        root_caused_at,
        mitigated_at,
        restored_at,
        duration_minutes
    from incident_facts

),

elapsed as (

    select
        incident_id,
        (epoch(acknowledged_at) - epoch(detected_at)) / 60.0 as time_to_acknowledge,
        (epoch(root_caused_at) - epoch(detected_at)) / 60.0 as time_to_root_cause,
        (epoch(mitigated_at) - epoch(detected_at)) / 60.0 as time_to_mitigate,
        (epoch(restored_at) - epoch(detected_at)) / 60.0 as time_to_restore,
        cast(duration_minutes as double) as duration
    from incidents

),

unpivoted as (

    -- UNPIVOT leaves out the NULLs: an incident without a figure gets no row for it.
    unpivot elapsed
    on time_to_acknowledge, time_to_root_cause, time_to_mitigate, time_to_restore, duration
    into name metric value minutes

),

final as (

    select incident_id, metric, minutes
    from unpivoted
    where minutes >= 0

)

select * from final;
