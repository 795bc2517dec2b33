-- Action items.
--
-- action_facts: one row per action item, with its incident's title as shown (display_title),
-- severity, team, status and dates:
--   is_open       status todo or in_progress
--   is_done       status done
--   is_wont_do    status wont_do (closed without doing: neither open nor done)
--   days_to_close for a done action, days from the incident date to the postmortem's
--                 "Last Updated" date. The template records no date an action was done, so the
--                 last update of the document is the latest day it can have been marked done:
--                 an upper bound, the best the documents allow.
--   is_prevention_fix  a done action meant to stop a recurrence: category 'prevention', or,
--                 when the incident categorises none of its actions, any done action (its
--                 authors did not say which were meant to prevent).
--
-- actions_as_of(as_of): action_facts plus what depends on the day you look:
--   is_overdue    open and due before as_of (an action due on as_of itself is not overdue;
--                 done and won't-do actions are never overdue; no due date, never overdue)
--   days_overdue  as_of - due_date, for overdue actions
-- Use: select * from actions_as_of(date '2026-11-27') where is_overdue;

create or replace view action_facts as

with actions_source as (

    select * from actions

),

incidents as (

    select
        incident_id, display_title as title, severity, team, incident_date, last_updated,
        is_p0_p1, is_draft, status as incident_status
    from incident_facts

),

categorised as (

    -- incidents whose authors put at least one action into a category
    select distinct incident_id
    from actions_source
    where category is not null

),

final as (

    select
        actions_source.incident_id,
        actions_source.action_id,
        actions_source.description,
        actions_source.owner,
        actions_source.due_date,
        actions_source.due_text,
        actions_source.status,
        actions_source.category,
        actions_source.line,
        incidents.title,
        incidents.severity,
        incidents.team,
        incidents.incident_date,
        incidents.last_updated,
        incidents.is_p0_p1,
        incidents.incident_status,
        actions_source.status in ('todo', 'in_progress') as is_open,
        actions_source.status = 'done' as is_done,
        actions_source.status = 'wont_do' as is_wont_do,
        case
            when actions_source.status = 'done'
                and incidents.last_updated >= incidents.incident_date
            then date_diff('day', incidents.incident_date, incidents.last_updated)
        end as days_to_close,
        -- an uncategorised action of an incident that categorises others is not one (false,
        -- not NULL: the flag is always known)
        actions_source.status = 'done'
            and (
                coalesce(actions_source.category = 'prevention', false)
                or categorised.incident_id is null
            ) as is_prevention_fix
    from actions_source
    inner join incidents using (incident_id)
    left join categorised using (incident_id)

)

select * from final;


create or replace macro actions_as_of(as_of) as table

with facts as (

    select * from action_facts

),

final as (

    select
        facts.*,
        coalesce(facts.is_open and facts.due_date < as_of, false) as is_overdue,
        case
            when facts.is_open and facts.due_date < as_of
            then date_diff('day', facts.due_date, cast(as_of as date))
        end as days_overdue
    from facts

)

select * from final;
