-- service_hits: one row per incident and service it hit, with the previous incident that hit
-- the same service (by incident date; same-day incidents ordered by id). The previous hit is
-- any loaded incident, whatever the filters of the question asked: a service hit again is hit
-- again even if the first hit belongs to another team. "Repeat within N days" is
-- days_between <= N, applied by the analytics module.

create or replace view service_hits as

with incidents as (

    select incident_id, incident_date, services
    from incident_facts
    where incident_date is not null

),

hits as (

    select distinct incident_id, incident_date, unnest(services) as service
    from incidents

),

final as (

    select
        service,
        incident_id,
        incident_date,
        lag(incident_id) over by_service as previous_incident_id,
        lag(incident_date) over by_service as previous_date,
        date_diff('day', lag(incident_date) over by_service, incident_date) as days_between
    from hits
    where service is not null and trim(service) <> ''
    window by_service as (partition by service order by incident_date, incident_id)

)

select * from final;
