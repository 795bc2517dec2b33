-- overdue_actions: the actions of the incidents in view that are overdue on $as_of (macro
-- actions_as_of: open and due before that day), most urgent first: P0/P1 incidents first,
-- then the most days overdue. $owner (NULL: any) matches the owner ignoring case; $team (NULL:
-- any) the incident's team ignoring case. At most $limit rows (NULL: all).

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

overdue as (

    select *
    from actions_as_of($as_of)
    where is_overdue
        and ($owner is null or lower(owner) = lower($owner))
        and ($team is null or lower(team) = lower($team))

),

final as (

    select overdue.*
    from overdue
    inner join in_view using (incident_id)

)

select
    incident_id, severity, title, action_id, description, owner, team, due_date, days_overdue,
    status
from final
order by is_p0_p1 desc, days_overdue desc, severity nulls last, incident_id, line nulls last,
    action_id
limit $limit
