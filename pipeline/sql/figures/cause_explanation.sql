-- cause_explanation: what the tables say about where incident $incident_id's cause was put
-- (one row; none when no incident has that id). The cluster columns are NULL when the
-- incident is in no group (it has no cause text, summary or prose to read).
--   cause_text, cause_source       what the grouping read, and from where
--   root_cause_category            the front matter's pin, if any
--   cluster_id, cluster_label, similarity, terms, stored_mechanism, assignment, what_failed
--                                  its row of root_cause_clusters
--   group_incidents, group_pinned  how many incidents its group holds, and how many of them
--                                  were pinned

with incident as (

    select
        incident_id, display_title, cause_text, cause_source, root_cause_category, source_path
    from incident_facts
    where incident_id = $incident_id

),

placed as (

    select
        incident_id, cluster_id, cluster_label, similarity, terms,
        mechanism as stored_mechanism, assignment, what_failed
    from root_cause_clusters
    where incident_id = $incident_id

),

group_size as (

    select
        cluster_id,
        count(*) as group_incidents,
        count(*) filter (assignment = 'pinned') as group_pinned
    from root_cause_clusters
    where cluster_id in (select cluster_id from placed)
    group by cluster_id

),

final as (

    select
        incident.*,
        placed.* exclude (incident_id),
        group_size.* exclude (cluster_id)
    from incident
    left join placed using (incident_id)
    left join group_size on group_size.cluster_id = placed.cluster_id

)

select * from final
