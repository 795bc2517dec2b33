-- open_action_age_summary: the ages of the open actions of the incidents in view on $as_of
-- (days since the incident, as in open_action_ages) per severity or quarter ($by; 'unknown'
-- when unknown): actions, min, q1, median, q3 and p90 (quantile_cont),
-- max. Severities in
-- $severity_order, quarters in order.

with in_view as (

    select
        incident_id,
        case $by when 'quarter' then coalesce(quarter, 'unknown')
            else coalesce(severity, 'unknown') end as grp
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

ages as (

    select
        incident_id,
        date_diff('day', incident_date, cast($as_of as date)) as age_days
    from actions_as_of($as_of)
    where is_open and incident_date is not null and incident_date <= $as_of

),

final as (

    select
        in_view.grp,
        count(*) as actions,
        min(ages.age_days) as min,
        quantile_cont(ages.age_days, 0.25) as q1,
        quantile_cont(ages.age_days, 0.5) as median,
        quantile_cont(ages.age_days, 0.75) as q3,
        quantile_cont(ages.age_days, 0.9) as p90,
        max(ages.age_days) as max
    from ages
    inner join in_view using (incident_id)
    group by in_view.grp

)

select * from final
order by
    case when $by = 'severity'
        then coalesce(list_position($severity_order, grp), len($severity_order) + 1)
    end,
    grp
