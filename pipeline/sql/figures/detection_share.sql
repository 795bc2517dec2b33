-- detection_share: per group ($by 'quarter' or 'severity'; unknown as 'unknown') and detection
-- method: incidents of the group with that method ticked, and share = that over the incidents
-- of the group with any method ticked (with_method_known). Several methods can be ticked for
-- one incident, so the shares of a group can add up to more than 1. Groups in $severity_order
-- (by severity) or by name; then the most incidents first.

with in_view as (

    select
        incident_id,
        case $by when 'severity' then coalesce(severity, 'unknown')
            else coalesce(quarter, 'unknown') end as grp
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

known as (

    select in_view.incident_id, in_view.grp
    from in_view
    inner join incident_detection using (incident_id)
    where incident_detection.method_known

),

group_sizes as (

    select grp, count(*) as with_method_known
    from known
    group by grp

),

hits as (

    select known.grp, detection_hits.method, count(*) as incidents
    from known
    inner join detection_hits using (incident_id)
    group by all

),

final as (

    select
        hits.grp,
        hits.method,
        hits.incidents,
        hits.incidents / group_sizes.with_method_known as share,
        group_sizes.with_method_known
    from hits
    inner join group_sizes using (grp)

)

select * from final
order by
    case when $by = 'severity'
        then coalesce(list_position($severity_order, grp), len($severity_order) + 1)
    end,
    grp,
    incidents desc,
    method
