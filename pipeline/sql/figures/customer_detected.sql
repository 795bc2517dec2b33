-- customer_detected: incidents in view found by customers ('customer_report' ticked), newest
-- first, with what would have caught them earlier.

with in_view as (

    select incident_id, display_title as title, severity, incident_date, detection_gap
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

final as (

    select
        in_view.incident_id,
        in_view.title,
        in_view.severity,
        in_view.incident_date,
        in_view.detection_gap,
        incident_detection.methods
    from in_view
    inner join incident_detection using (incident_id)
    where incident_detection.customer_detected

)

select * from final
order by incident_date desc nulls last, incident_id
