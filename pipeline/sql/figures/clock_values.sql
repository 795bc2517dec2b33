-- clock_values: the incidents in view that have the response clock $clock (view
-- response_clocks), one row each: incident_id, severity and quarter ('unknown' when unknown),
-- minutes. Oldest quarter first, then severity, then id.

with in_view as (

    select
        incident_id,
        coalesce(severity, 'unknown') as severity,
        coalesce(quarter, 'unknown') as quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

clock as (

    select incident_id, minutes
    from response_clocks
    where clock = $clock

),

final as (

    select in_view.*, clock.minutes
    from clock
    inner join in_view using (incident_id)

)

select * from final
order by quarter, severity, incident_id
