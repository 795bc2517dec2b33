-- repeat_incidents: an incident in view that hit a service already hit by another incident at
-- most $within_days days before (view service_hits; the previous hit may be outside the
-- filters). With a service filter, only the services asked for are listed.

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

hits as (

    select service, incident_id, incident_date, previous_incident_id, previous_date,
        days_between
    from service_hits
    where previous_incident_id is not null
        and days_between <= $within_days
        and ($services is null or list_contains(cast($services as varchar[]), service))

),

final as (

    select hits.*
    from hits
    inner join in_view using (incident_id)

)

select * from final
order by incident_date desc, service, incident_id
