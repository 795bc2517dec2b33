-- stale_drafts: DRAFT postmortems of the incidents in view whose incident is more than
-- $older_than days before $as_of, oldest first, with who owns the writing: owners (the
-- authors, comma-separated; empty when none is named) and the team.
--   incident_id, title, severity, team, owners, incident_date, last_updated, age_days

with in_view as (

    select
        incident_id, display_title as title, severity, team, authors, incident_date,
        last_updated
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where status = 'DRAFT' and incident_date is not null

),

final as (

    select
        incident_id,
        title,
        severity,
        team,
        coalesce(array_to_string(authors, ', '), '') as owners,
        incident_date,
        last_updated,
        date_diff('day', incident_date, cast($as_of as date)) as age_days
    from in_view

)

select * from final
where age_days > $older_than
order by age_days desc, incident_id
