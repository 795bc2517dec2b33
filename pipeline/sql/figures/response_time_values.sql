-- response_time_values: one row per incident in view and metric of $metrics it has (view
-- response_times), for box and strip plots: incident_id, severity, quarter (unknown as
-- 'unknown'), metric, minutes. Rows come in $metric_order, then by incident.

with in_view as (

    select
        incident_id,
        coalesce(severity, 'unknown') as severity,
        coalesce(quarter, 'unknown') as quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

values_of_metrics as (

    select incident_id, metric, minutes
    from response_times
    where list_contains($metrics, metric)

),

final as (

    select
        in_view.incident_id,
        in_view.severity,
        in_view.quarter,
        values_of_metrics.metric,
        values_of_metrics.minutes
    from values_of_metrics
    inner join in_view using (incident_id)

)

select * from final
order by list_position($metric_order, metric), incident_id
