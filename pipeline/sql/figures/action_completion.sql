-- action_completion: per owner or team ($by; no owner as '(no owner)', no team as
-- '(no team)'), over the actions of the incidents in view, as of $as_of:
--   actions, done, wont_do, overdue
--   completion_rate       done / (actions - wont_do): a won't-do was decided against, so it
--                         is neither outstanding nor completed work (NULL when all are won't-do)
--   median_days_to_close  median (quantile_cont) of action_facts.days_to_close, done actions
-- Most actions first.

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

actions_in_view as (

    select
        case $by when 'team' then coalesce(actions.team, '(no team)')
            else coalesce(actions.owner, '(no owner)') end as grp,
        actions.*
    from actions_as_of($as_of) as actions
    inner join in_view using (incident_id)

),

final as (

    select
        grp,
        count(*) as actions,
        count(*) filter (is_done) as done,
        count(*) filter (is_wont_do) as wont_do,
        count(*) filter (is_done)
            / nullif(count(*) - count(*) filter (is_wont_do), 0) as completion_rate,
        quantile_cont(days_to_close, 0.5) as median_days_to_close,
        count(*) filter (is_overdue) as overdue
    from actions_in_view
    group by grp

)

select * from final
order by actions desc, grp
