-- cause_occurrences: one row per incident in a root-cause cluster, flagged when it is a
-- recurrence after a fix.
--
-- recurred_after_fix: an EARLIER incident of the same cluster has a done prevention fix
-- (action_facts.is_prevention_fix), and this incident happened after that earlier postmortem's
-- "Last Updated" date. The template records no date an action was marked done; the last
-- update of the document is the latest day the "done" can have been written, so an incident
-- dated after it certainly came after the fix was marked done. Conservative: an earlier
-- postmortem with no Last Updated date cannot flag a recurrence.
-- fixed_in_incident_id / fix_done_by: the most recent such earlier incident and its
-- Last Updated date. Earlier incidents count whatever the filters of the question asked: the
-- fix history of a cause does not depend on which incidents are on screen.

create or replace view cause_occurrences as

with clusters as (

    select incident_id, cluster_id, cluster_label, similarity, terms
    from root_cause_clusters

),

incidents as (

    select incident_id, incident_date, last_updated, severity from incident_facts

),

fixed as (

    -- incidents whose postmortem records a done prevention fix, and by when it was done
    select distinct action_facts.incident_id, incidents.last_updated as fix_done_by
    from action_facts
    inner join incidents using (incident_id)
    where action_facts.is_prevention_fix and incidents.last_updated is not null

),

occurrences as (

    select
        clusters.cluster_id,
        clusters.cluster_label,
        clusters.incident_id,
        incidents.incident_date,
        incidents.severity,
        clusters.similarity,
        clusters.terms
    from clusters
    inner join incidents using (incident_id)

),

recurrences as (

    select
        later.incident_id,
        arg_max(earlier.incident_id, fixed.fix_done_by) as fixed_in_incident_id,
        max(fixed.fix_done_by) as fix_done_by
    from occurrences as later
    inner join occurrences as earlier
        on earlier.cluster_id = later.cluster_id
        and earlier.incident_id <> later.incident_id
        and earlier.incident_date < later.incident_date
    inner join fixed on fixed.incident_id = earlier.incident_id
    where later.incident_date > fixed.fix_done_by
    group by later.incident_id

),

final as (

    select
        occurrences.*,
        recurrences.incident_id is not null as recurred_after_fix,
        recurrences.fixed_in_incident_id,
        recurrences.fix_done_by
    from occurrences
    left join recurrences using (incident_id)

)

select * from final;
