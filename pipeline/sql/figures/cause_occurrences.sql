-- cause_occurrences: the incidents in view that are in a root-cause cluster, oldest first
-- within each cluster, with the recurred_after_fix flag of view cause_occurrences and the
-- earlier incident whose fix it came after and the service both hit; only cluster
-- $cluster_id's when that is not NULL.
-- assignment is 'pinned' (front matter or causes.yml) or 'found' (by the grouping);
-- what_failed is what broke that time, mechanism what the model read in its cause text.

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

occurrences as (

    select
        cluster_id, cluster_label, incident_id, incident_date, severity, recurred_after_fix,
        fixed_in_incident_id, fix_done_by, fixed_service, names_a_service, assignment, mechanism,
        what_failed
    from cause_occurrences
    where $cluster_id is null or cluster_id = cast($cluster_id as integer)

),

final as (

    select occurrences.*
    from occurrences
    inner join in_view using (incident_id)

)

select * from final
order by cluster_id, incident_date, incident_id
