-- severity_share: per quarter (every quarter from the first to the last in view):
--   incidents, p0_p1, p0_p1_share (p0_p1 / incidents; an unknown severity counts in the
--   denominator), change_pct (incidents against the previous quarter, in percent; NULL for
--   the first quarter or after a quarter with none), p0_p1_share_change (percentage points
--   against the previous quarter).

with in_view as (

    select quarter_start, is_p0_p1
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where incident_date is not null

),

quarters as (

    select cast(unnest(generate_series(
        min(quarter_start), max(quarter_start), interval 3 month
    )) as date) as quarter_start
    from in_view

),

counts as (

    select quarter_start, count(*) as incidents, count(*) filter (is_p0_p1) as p0_p1
    from in_view
    group by quarter_start

),

per_quarter as (

    select
        quarters.quarter_start,
        quarter_label(quarters.quarter_start) as quarter,
        coalesce(counts.incidents, 0) as incidents,
        coalesce(counts.p0_p1, 0) as p0_p1
    from quarters
    left join counts using (quarter_start)

),

final as (

    select
        quarter,
        incidents,
        p0_p1,
        p0_p1 / nullif(incidents, 0) as p0_p1_share,
        100.0 * (incidents - lag(incidents) over w) / nullif(lag(incidents) over w, 0)
            as change_pct,
        100.0 * (p0_p1 / nullif(incidents, 0) - lag(p0_p1 / nullif(incidents, 0)) over w)
            as p0_p1_share_change
    from per_quarter
    window w as (order by quarter_start)

)

select * from final
order by quarter
