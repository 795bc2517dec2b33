-- How incidents were found.
--
-- detection_hits: one row per incident and detection method ticked (duplicates removed).
--
-- incident_detection: one row per incident:
--   methods               the methods ticked, sorted (empty list when none was ticked)
--   method_known          at least one method ticked; detection shares use only these
--                         incidents as their denominator, since "nothing ticked" is unknown,
--                         not "found by nobody"
--   customer_detected     'customer_report' was ticked: a customer told us before we knew
--   time_to_detect        minutes from the first 'impact_start' event to the first alert,
--                         where the timeline has both and the alert is not earlier

create or replace view detection_hits as

with source as (

    select * from detection_methods

),

final as (

    select distinct incident_id, method
    from source
    where method is not null

)

select * from final;


create or replace view incident_detection as

with incidents as (

    select incident_id, impact_started_at, detected_at from incident_facts

),

methods as (

    select
        incident_id,
        list_sort(list(method)) as methods
    from detection_hits
    group by incident_id

),

final as (

    select
        incidents.incident_id,
        coalesce(methods.methods, []::varchar[]) as methods,
        methods.methods is not null as method_known,
        coalesce(list_contains(methods.methods, 'customer_report'), false) as customer_detected,
        case
            when incidents.detected_at >= incidents.impact_started_at
            then (epoch(incidents.detected_at) - epoch(incidents.impact_started_at)) / 60.0
        end as time_to_detect
    from incidents
    left join methods using (incident_id)

)

select * from final;
