-- incident_links: the Related Incidents section, one row per reference, with the loaded
-- incident it names (matched on the incident id, ignoring case and surrounding space), else
-- NULL.

create or replace view incident_links as

with related as (

    select * from related_incidents

),

loaded as (

    select incident_id, upper(trim(incident_id)) as match_key from incidents

),

final as (

    select
        related.incident_id,
        related.reference,
        related.text,
        related.line,
        loaded.incident_id as linked_incident_id
    from related
    left join loaded
        on upper(trim(related.reference)) = loaded.match_key
        and loaded.incident_id <> related.incident_id

)

select * from final;
