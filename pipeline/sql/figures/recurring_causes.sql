-- recurring_causes: the root-cause clusters of the incidents in view, ranked by incidents in
-- view (then the most recent, then the label):
--   incidents, first_seen, last_seen   over the incidents in view only
--   recurred_after_fix      any incident of the cluster in view is flagged in view
--                           cause_occurrences (it came after an earlier incident's done fix)
--   recurrences_after_fix   how many are: on a large corpus nearly every cluster has recurred
--                           once, the count tells them apart
--   naming_a_service        how many of its incidents in view name a service: when none
--                           does, whether it came back after a fix cannot be told (a fix
--                           counts for the services it was made for)
--   pinned                  how many of its incidents in view were placed by their authors
--                           (front matter) or a reviewer (causes.yml) rather than found
--   incident_ids            oldest first; an empty list unless $with_incident_ids (the lists
--                           are costly on 100,000 incidents and the headline needs none)

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

occurrences as (

    select cause_occurrences.*
    from cause_occurrences
    inner join in_view using (incident_id)

),

final as (

    select
        cluster_id,
        any_value(cluster_label) as cluster_label,
        count(*) as incidents,
        min(incident_date) as first_seen,
        max(incident_date) as last_seen,
        bool_or(recurred_after_fix) as recurred_after_fix,
        count(*) filter (recurred_after_fix) as recurrences_after_fix,
        count(*) filter (names_a_service) as naming_a_service,
        count(*) filter (assignment = 'pinned') as pinned,
        coalesce(
            list(incident_id order by incident_date, incident_id)
                filter (where $with_incident_ids),
            []::varchar[]
        ) as incident_ids
    from occurrences
    group by cluster_id

)

select * from final
order by incidents desc, last_seen desc nulls last, cluster_label, cluster_id
