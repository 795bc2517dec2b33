-- headline_incidents: per severity of the incidents in view (NULL when unknown): incidents,
-- with_method_known (a detection method ticked) and customer_detected ('customer_report'
-- ticked). The headline adds them up.

with in_view as (

    select incident_id, severity
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

detection as (

    select
        in_view.severity,
        incident_detection.method_known,
        incident_detection.customer_detected
    from in_view
    inner join incident_detection using (incident_id)

),

final as (

    select
        severity,
        count(*) as incidents,
        count(*) filter (method_known) as with_method_known,
        count(*) filter (customer_detected) as customer_detected
    from detection
    group by severity

)

select * from final
