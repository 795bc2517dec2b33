-- response_clocks: one row per incident and response clock it has, in minutes:
--   time_to_detect       impact start -> first alert (view incident_detection)
--   time_to_acknowledge, time_to_root_cause, time_to_mitigate, time_to_restore, duration
--                        as in view response_times (the clock starts at the first alert)
-- Durations are heavy-tailed (roughly log-normal), so the analytics show them as
-- distributions on a log scale, with medians and their intervals, never as means.

create or replace view response_clocks as

with after_alert as (

    select incident_id, metric as clock, minutes
    from response_times

),

detect as (

    select incident_id, 'time_to_detect' as clock, time_to_detect as minutes
    from incident_detection
    where time_to_detect is not null

),

final as (

    select * from detect
    union all
    select * from after_alert

)

select * from final;
