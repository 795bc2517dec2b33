-- time_to_detect: minutes from impact start to the first alert per incident in view, where
-- both are known and the alert is not earlier (view incident_detection); oldest first.

with in_view as (

    select
        incident_id,
        incident_date,
        coalesce(severity, 'unknown') as severity,
        coalesce(quarter, 'unknown') as quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

final as (

    select
        in_view.incident_id,
        in_view.severity,
        in_view.quarter,
        incident_detection.time_to_detect as minutes,
        in_view.incident_date
    from in_view
    inner join incident_detection using (incident_id)
    where incident_detection.time_to_detect is not null

)

select incident_id, severity, quarter, minutes
from final
order by incident_date, incident_id
