-- cause_occurrences: one row per incident in a root-cause cluster, flagged when it is a
-- recurrence after a fix.
--
-- recurred_after_fix: an EARLIER incident of the same cluster that hit a service this incident
-- hit too has a done prevention fix (action_facts.is_prevention_fix), and this incident
-- happened after that earlier postmortem's "Last Updated" date.
--   Same cluster AND same service: a cluster is a failure mechanism ("code deploy or
--   upgrade"), and a fix done after one bad deploy of the billing service says nothing about
--   a later bad deploy of search. Keyed by the cluster alone, nearly every cluster of a large
--   corpus "recurred after its fix" (the demo corpus: 25 of 25 code-deploy incidents), which
--   tells a review nothing. Services are compared without case or punctuation. An incident
--   that names no service cannot be matched, so it is never flagged: the flag claims only
--   what the documents show, and names_a_service says whether it could be judged at all.
--   The template records no date an action was marked done; the last update of the document
--   is the latest day the "done" can have been written, so an incident dated after it
--   certainly came after the fix was marked done. An earlier postmortem with no Last Updated
--   date cannot flag a recurrence.
-- fixed_in_incident_id / fix_done_by / fixed_service: the most recent such earlier incident,
-- its Last Updated date, and the service both hit. Earlier incidents count whatever the
-- filters of the question asked: the fix history of a cause does not depend on which
-- incidents are on screen.
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

    select incident_id, incident_date, last_updated, severity, services from incident_facts

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
        clusters.what_failed,
        coalesce(len(incidents.services), 0) > 0 as names_a_service
    from clusters
    inner join incidents using (incident_id)

),

services as (

    select
        occurrences.cluster_id,
        occurrences.incident_id,
        occurrences.incident_date,
        unnest(incidents.services) as service
    from occurrences
    inner join incidents using (incident_id)

),

service_hits as (

    -- one service however it is spelled: "Ledger-DB", "ledger db" and "ledger_db" are one
    select
        cluster_id,
        incident_id,
        incident_date,
        lower(regexp_replace(trim(service), '[^A-Za-z0-9]+', '-', 'g')) as service_key,
        min(service) as service
    from services
    where trim(service) <> ''
    group by all

),

fixes as (

    -- the hits of incidents whose postmortem records a done prevention fix. A later incident
    -- must be dated after both the fixed incident and its Last Updated day: after
    -- greatest(incident_date, last_updated), which is what the ASOF join below compares.
    select
        service_hits.cluster_id,
        service_hits.service_key,
        service_hits.service,
        service_hits.incident_id as fixed_in_incident_id,
        incidents.last_updated as fix_done_by,
        greatest(incidents.incident_date, incidents.last_updated) as fix_known_by
    from service_hits
    inner join incidents using (incident_id)
    where incidents.last_updated is not null
        and exists (
            select 1 from action_facts
            where action_facts.incident_id = service_hits.incident_id
                and action_facts.is_prevention_fix
        )
    -- one fix per cluster, service and day it became known (the latest incident, then the
    -- highest id): the ASOF join below would otherwise pick any of several fixes known the
    -- same day
    qualify row_number() over (
        partition by service_hits.cluster_id, service_hits.service_key, fix_known_by
        order by service_hits.incident_date desc, service_hits.incident_id desc
    ) = 1

),

recurrences as (

    -- ASOF: for each service an incident hit, the fix of its cluster for that service known
    -- most recently before its date (a linear merge, not a comparison of every pair of
    -- incidents in a large cluster); then the most recent over its services
    select
        service_hits.incident_id,
        arg_max(fixes.fixed_in_incident_id, (fixes.fix_known_by, fixes.fixed_in_incident_id))
            as fixed_in_incident_id,
        arg_max(fixes.fix_done_by, (fixes.fix_known_by, fixes.fixed_in_incident_id))
            as fix_done_by,
        arg_max(fixes.service, (fixes.fix_known_by, fixes.fixed_in_incident_id))
            as fixed_service
    from service_hits
    asof inner join fixes
        on service_hits.cluster_id = fixes.cluster_id
        and service_hits.service_key = fixes.service_key
        and service_hits.incident_date > fixes.fix_known_by
    group by service_hits.incident_id

),

final as (

    select
        occurrences.*,
        recurrences.incident_id is not null as recurred_after_fix,
        recurrences.fixed_in_incident_id,
        recurrences.fix_done_by,
        recurrences.fixed_service
    from occurrences
    left join recurrences using (incident_id)

)

select * from final;
