-- clock_distribution: the response clock $clock (view response_clocks) per group of the
-- incidents in view ($by 'quarter' or 'severity'; 'unknown' when unknown): incidents having
-- it, min, q1, median, q3 and p90 (quantile_cont),
-- max, and the values sorted (the analytics package reads
-- the median's order-statistic interval off them). Only groups with at least one value;
-- quarters in order, severities in $severity_order.

with in_view as (

    select
        incident_id,
        case $by when 'severity' then coalesce(severity, 'unknown')
            else coalesce(quarter, 'unknown') end as grp
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

clock as (

    select incident_id, minutes
    from response_clocks
    where clock = $clock

),

final as (

    select
        in_view.grp,
        count(*) as incidents,
        min(clock.minutes) as min,
        quantile_cont(clock.minutes, 0.25) as q1,
        quantile_cont(clock.minutes, 0.5) as median,
        quantile_cont(clock.minutes, 0.75) as q3,
        quantile_cont(clock.minutes, 0.9) as p90,
        max(clock.minutes) as max,
        list_sort(list(clock.minutes)) as sorted_minutes
    from clock
    inner join in_view using (incident_id)
    group by in_view.grp

)

select * from final
order by
    case when $by = 'severity'
        then coalesce(list_position($severity_order, grp), len($severity_order) + 1)
    end,
    grp
