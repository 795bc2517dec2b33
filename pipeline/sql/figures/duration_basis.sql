-- duration_basis: how incident $incident_id's duration was obtained, so a reviewer can check
-- it (one row; none when no incident has that id).
--   basis           'written' (a field of the document), 'prose' (told in a sentence),
--                   'front_matter' (its start and end keys), 'impact_start' or 'first_alert'
--                   (the timeline: that row to restored), or NULL when the duration is unknown
--   duration_evidence  what a written, prose or front-matter duration was read from
--   starts_at, ends_at   the two timeline milestones a timeline duration runs between
--   how_obtained    the basis in words
--   restored_hint   when no row was read as restored (time to restore then can't be
--                   computed): how an author states it; NULL otherwise

with incident as (

    select
        incident_id, duration_minutes, duration_derived, duration_evidence, impact_started_at,
        detected_at, restored_at
    from incidents
    where incident_id = $incident_id

),

based as (

    select
        *,
        case
            when duration_minutes is null then null
            when duration_derived is null then 'written'
            when duration_derived in ('prose', 'front_matter') then duration_derived
            when impact_started_at is not null then 'impact_start'
            else 'first_alert'
        end as basis,
        case when duration_derived = 'timeline' then coalesce(impact_started_at, detected_at)
        end as starts_at,
        case when duration_derived = 'timeline' then restored_at end as ends_at
    from incident

),

final as (

    select
        incident_id,
        duration_minutes,
        duration_derived,
        duration_evidence,
        basis,
        starts_at,
        ends_at,
        case basis
            when 'written' then 'written in the document (' || duration_evidence || ')'
            when 'prose' then 'told in the document''s prose (' || duration_evidence || ')'
            when 'front_matter' then
                'from the front matter''s incident window (' || duration_evidence || ')'
            when 'impact_start' then
                'from the timeline: impact start (' || strftime(starts_at, '%Y-%m-%d %H:%M')
                || ' UTC) to restored (' || strftime(ends_at, '%Y-%m-%d %H:%M') || ' UTC)'
            when 'first_alert' then
                'from the timeline: first alert (' || strftime(starts_at, '%Y-%m-%d %H:%M')
                || ' UTC) to restored (' || strftime(ends_at, '%Y-%m-%d %H:%M')
                || ' UTC); no row was read as impact start'
            else 'unknown: no duration is written, the front matter states no start and end, '
                || 'and the timeline has no impact start or first alert with a restored row '
                || 'after it'
        end as how_obtained,
        case when restored_at is null then
            'No timeline row was read as restored, so time to restore can''t be computed. '
            || 'The author can state it: start the row that records it with [restored] '
            || '(e.g. "[restored] Checkout back for everyone") or the template''s '
            || '"Service restored".'
        end as restored_hint
    from based

)

select * from final
