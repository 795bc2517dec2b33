-- days_to_final_summary: the days from incident to FINAL of days_to_final.sql per quarter or
-- severity ($by; 'unknown' when unknown): incidents, min, q1, median, q3 and p90 (quantile_cont),
-- max.
-- Quarters in order, severities in $severity_order.

with in_view as (

    select
        case $by when 'severity' then coalesce(severity, 'unknown')
            else coalesce(quarter, 'unknown') end as grp,
        date_diff('day', incident_date, last_updated) as days
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where status = 'FINAL' and last_updated >= incident_date

),

final as (

    select
        grp,
        count(*) as incidents,
        min(days) as min,
        quantile_cont(days, 0.25) as q1,
        quantile_cont(days, 0.5) as median,
        quantile_cont(days, 0.75) as q3,
        quantile_cont(days, 0.9) as p90,
        max(days) as max
    from in_view
    group by grp

)

select * from final
order by
    case when $by = 'severity'
        then coalesce(list_position($severity_order, grp), len($severity_order) + 1)
    end,
    grp
