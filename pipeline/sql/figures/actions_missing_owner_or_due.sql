-- actions_missing_owner_or_due: every action of the incidents in view (whatever its status)
-- with no owner or no calendar due date (a due text like 'TBD' or 'Q1 2022' is not a date);
-- missing says which: 'owner', 'due_date' or 'both'. At most $limit rows (NULL: all).

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

lacking as (

    select *
    from action_facts
    where owner is null or due_date is null

),

final as (

    select
        lacking.incident_id,
        lacking.action_id,
        lacking.description,
        lacking.owner,
        lacking.due_text,
        case
            when lacking.owner is null and lacking.due_date is null then 'both'
            when lacking.owner is null then 'owner'
            else 'due_date'
        end as missing,
        lacking.status,
        lacking.severity,
        lacking.line
    from lacking
    inner join in_view using (incident_id)

)

select incident_id, action_id, description, owner, due_text, missing, status, severity
from final
order by incident_id, line nulls last, action_id
limit $limit
