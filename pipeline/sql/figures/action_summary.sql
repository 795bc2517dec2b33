-- action_summary: one row over the actions of the incidents in view, as of $as_of: total,
-- open, overdue, done, wont_do, no_owner, no_due_date (counts of actions).

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

actions_in_view as (

    select actions.*
    from actions_as_of($as_of) as actions
    inner join in_view using (incident_id)

),

final as (

    select
        count(*) as total,
        count(*) filter (is_open) as open,
        count(*) filter (is_overdue) as overdue,
        count(*) filter (is_done) as done,
        count(*) filter (is_wont_do) as wont_do,
        count(*) filter (owner is null) as no_owner,
        count(*) filter (due_date is null) as no_due_date
    from actions_in_view

)

select * from final
