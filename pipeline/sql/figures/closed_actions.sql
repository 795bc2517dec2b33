-- closed_actions: done actions of the incidents in view whose closing falls in
-- [$closed_since, $closed_until], newest first. closed_by is the postmortem's Last Updated
-- date: the template has no done date per action, and the last update is the latest day the
-- "done" can have been written (the proxy action_facts.days_to_close uses too). At most
-- $limit rows (NULL: all).

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

closed as (

    select *
    from action_facts
    where is_done and last_updated between $closed_since and $closed_until

),

final as (

    select closed.*
    from closed
    inner join in_view using (incident_id)

)

select
    incident_id, severity, title, action_id, description, owner, team, category,
    last_updated as closed_by, days_to_close, incident_date
from final
order by last_updated desc, incident_id, line nulls last, action_id
limit $limit
