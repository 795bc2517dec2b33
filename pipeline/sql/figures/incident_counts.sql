-- incident_counts: incidents per period ($period 'quarter' or 'month') and severity.
-- Every period from the first to the last one in view is listed, with a row per severity
-- seen in view (0 where none), so a chart's time axis has no silent gaps. An unknown
-- severity is 'unknown'; rows come in period order, then $severity_order.

with in_view as (

    select
        case $period when 'month' then month_start else quarter_start end as period_start,
        coalesce(severity, 'unknown') as severity
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where incident_date is not null

),

periods as (

    select cast(unnest(generate_series(
        min(period_start),
        max(period_start),
        case $period when 'month' then interval 1 month else interval 3 month end
    )) as date) as period_start
    from in_view

),

severities as (

    select distinct severity from in_view

),

counts as (

    select period_start, severity, count(*) as incidents
    from in_view
    group by all

),

final as (

    select
        periods.period_start,
        case $period
            when 'month' then month_label(periods.period_start)
            else quarter_label(periods.period_start)
        end as period,
        severities.severity,
        coalesce(counts.incidents, 0) as incidents
    from periods
    cross join severities
    left join counts using (period_start, severity)

)

select period, severity, incidents
from final
order by
    period_start,
    coalesce(list_position($severity_order, severity), len($severity_order) + 1),
    severity
