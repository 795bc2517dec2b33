-- open_action_ages: every open action (todo or in progress) of the incidents in view on $as_of,
-- with its age: days from the incident to $as_of (the template has no date an action was
-- written; the incident is the earliest it can have been). Oldest first.
--   incident_id, action_id, severity and quarter ('unknown' when unknown), owner, category,
--   status, incident_date, due_date, age_days, is_overdue (the overdue list has the rest)

with in_view as (

    select incident_id, coalesce(quarter, 'unknown') as quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

open_actions as (

    select *
    from actions_as_of($as_of)
    where is_open and incident_date is not null and incident_date <= $as_of

),

final as (

    select
        open_actions.incident_id,
        open_actions.action_id,
        coalesce(open_actions.severity, 'unknown') as severity,
        in_view.quarter,
        open_actions.owner,
        open_actions.category,
        open_actions.status,
        open_actions.incident_date,
        open_actions.due_date,
        date_diff('day', open_actions.incident_date, cast($as_of as date)) as age_days,
        open_actions.is_overdue,
        open_actions.line
    from open_actions
    inner join in_view using (incident_id)

)

select * exclude (line) from final
order by age_days desc, incident_id, line nulls last, action_id
