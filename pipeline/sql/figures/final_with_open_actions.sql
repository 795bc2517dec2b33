-- final_with_open_actions: FINAL postmortems of the incidents in view whose actions are still
-- open on $as_of: a review closed on paper, not in fact. Most overdue actions first, then the
-- most open, then the oldest incident.
--   incident_id, title, severity, team, incident_date, last_updated, open_actions,
--   overdue_actions, oldest_due (the earliest due date among the open actions)

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

open_actions as (

    select *
    from actions_as_of($as_of)
    where is_open and incident_status = 'FINAL'

),

final as (

    select
        open_actions.incident_id,
        any_value(open_actions.title) as title,
        any_value(open_actions.severity) as severity,
        any_value(open_actions.team) as team,
        any_value(open_actions.incident_date) as incident_date,
        any_value(open_actions.last_updated) as last_updated,
        count(*) as open_actions,
        count(*) filter (open_actions.is_overdue) as overdue_actions,
        min(open_actions.due_date) as oldest_due
    from open_actions
    inner join in_view using (incident_id)
    group by open_actions.incident_id

)

select * from final
order by overdue_actions desc, open_actions desc, incident_date nulls last, incident_id
