-- response_times: the distribution of each response metric ($metrics, in that order) per group
-- ($by: NULL for one group 'all', 'severity' or 'quarter'; unknown as 'unknown'), in minutes:
--   incidents  how many incidents of the group have the figure (view response_times)
--   median, p90  quantile_cont (linear interpolation between the two nearest ranks)
--   max
-- Every metric gets a row per group, with incidents = 0 and NULL figures where no incident
-- of the group has it, so "no data" is visible rather than missing. Ungrouped, the one group
-- exists even when no incident is in view. Groups come in $severity_order, else by name.

with in_view as (

    select
        incident_id,
        case $by
            when 'severity' then coalesce(severity, 'unknown')
            when 'quarter' then coalesce(quarter, 'unknown')
            else 'all'
        end as grp
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

groups as (

    select distinct grp from in_view where $by is not null
    union all
    select 'all' as grp where $by is null

),

metrics as (

    select
        unnest($metrics) as metric,
        generate_subscripts($metrics, 1) as metric_rank

),

figures as (

    select
        in_view.grp,
        response_times.metric,
        count(*) as incidents,
        quantile_cont(response_times.minutes, 0.5) as median,
        quantile_cont(response_times.minutes, 0.9) as p90,
        max(response_times.minutes) as max
    from in_view
    inner join response_times using (incident_id)
    group by in_view.grp, response_times.metric

),

final as (

    select
        groups.grp,
        metrics.metric,
        coalesce(figures.incidents, 0) as incidents,
        figures.median,
        figures.p90,
        figures.max,
        metrics.metric_rank
    from groups
    cross join metrics
    left join figures using (grp, metric)

)

select grp, metric, incidents, median, p90, max
from final
order by
    case when $by = 'severity'
        then coalesce(list_position($severity_order, grp), len($severity_order) + 1)
    end,
    grp,
    metric_rank
