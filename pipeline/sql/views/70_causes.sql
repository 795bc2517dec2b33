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
-- mechanism, assignment, what_failed: as root_cause_clusters keeps them (the mechanism the
-- model found, 'pinned' or 'found', what broke this time), so a reviewer sees who placed each
-- incident and when a group holds different failures.

create or replace view cause_occurrences as

with clusters as (

    select
        incident_id, cluster_id, cluster_label, similarity, terms, mechanism, assignment,
        what_failed
    from root_cause_clusters

),

incidents as (

    select incident_id, incident_date, last_updated, severity from incident_facts

),

occurrences as (

    select
        clusters.cluster_id,
        clusters.cluster_label,
        clusters.incident_id,
        incidents.incident_date,
        incidents.severity,
        clusters.similarity,
        clusters.terms,
        clusters.mechanism,
        clusters.assignment,
        clusters.what_failed
    from clusters
    inner join incidents using (incident_id)

),

fixes as (

    -- incidents of a cluster whose postmortem records a done prevention fix. A later incident
    -- must be dated after both the fixed incident and its Last Updated day: after
    -- greatest(incident_date, last_updated), which is what the ASOF join below compares.
    select
        occurrences.cluster_id,
        occurrences.incident_id as fixed_in_incident_id,
        incidents.last_updated as fix_done_by,
        greatest(incidents.incident_date, incidents.last_updated) as fix_known_by
    from occurrences
    inner join incidents using (incident_id)
    where incidents.last_updated is not null
        and exists (
            select 1 from action_facts
            where action_facts.incident_id = occurrences.incident_id
                and action_facts.is_prevention_fix
        )
    -- one fix per cluster and day it became known (the latest incident, then the highest id):
    -- the ASOF join below would otherwise pick any of several fixes known the same day
    qualify row_number() over (
        partition by occurrences.cluster_id, fix_known_by
        order by occurrences.incident_date desc, occurrences.incident_id desc
    ) = 1

),

final as (

    -- ASOF: for each incident, the fix of its cluster known most recently before its date
    -- (a linear merge, not a comparison of every pair of incidents in a large cluster)
    select
        occurrences.*,
        fixes.fixed_in_incident_id is not null as recurred_after_fix,
        fixes.fixed_in_incident_id,
        fixes.fix_done_by
    from occurrences
    asof left join fixes
        on occurrences.cluster_id = fixes.cluster_id
        and occurrences.incident_date > fixes.fix_known_by

)

select * from final;
