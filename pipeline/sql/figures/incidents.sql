-- incidents: the incidents in view, newest first (title: display_title, never empty),
-- optionally only those whose text contains
-- $search (case-insensitive substring, not a pattern: '%' and '_' are literal), at most $limit
-- (NULL: all).

with in_view as (

    select *
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

searched as (

    select *
    from in_view
    where $search is null
        or contains(
            lower(concat_ws(' ', incident_id, title, summary, what_happened, root_cause,
                detection_gap, immediate_fix, permanent_fix, array_to_string(services, ' '))),
            lower($search)
        )

),

final as (

    select
        incident_id, display_title as title, status, severity, incident_date, quarter, team,
        services, tags, duration_minutes, duration_derived, users_affected, traffic_pct,
        data_loss, completeness, summary, source_path
    from searched

)

select * from final
order by incident_date desc nulls last, incident_id
limit $limit
