-- detection_gaps: the incidents in view with a detection-gap text, newest first; $search (NULL:
-- any) is a case-insensitive substring of the text; at most $limit rows (NULL: all).

with in_view as (

    select incident_id, display_title as title, severity, incident_date, detection_gap
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

final as (

    select *
    from in_view
    where nullif(trim(detection_gap), '') is not null
        and ($search is null or contains(lower(detection_gap), lower($search)))

)

select * from final
order by incident_date desc nulls last, incident_id
limit $limit
