-- milestone_rows: for incident $incident_id, one row per milestone column, in the order an
-- incident passes through them, with the timeline row the column was read from, so a
-- reviewer can check (and correct) a surprising time to restore.
--   milestone, kind, milestone_column   'Restored', 'restored', 'restored_at'
--   occurred_at     the column's value (UTC); NULL when no timed row has that kind
--   seq, line, time_text, event         the row: the earliest of that kind, which is the one
--                   whose time equals the column (the first in document order on a tie)
--   decided_by      'stated' (a leading [restored]-style tag or the template's phrase),
--                   'rules' (the phrase rules) or 'model' (the learned row-kind model)
--   confidence      the model's confidence, 0..1 (NULL unless decided_by is 'model')
--   how_decided     decided_by in words, e.g. 'model, confidence 0.73'
-- No rows when no incident has that id.

with milestones as (

    select *
    from (values
        (1, 'Impact start', 'impact_start', 'impact_started_at'),
        (2, 'Detected', 'alert', 'detected_at'),
        (3, 'Acknowledged', 'acknowledged', 'acknowledged_at'),
        (4, 'Root cause found', 'root_cause', 'root_caused_at'),
        (5, 'Mitigated', 'mitigation', 'mitigated_at'),
        (6, 'Restored', 'restored', 'restored_at'),
        (7, 'Resolved', 'all_clear', 'resolved_at')
    ) as m (position, milestone, kind, milestone_column)

),

incident as (

    select
        incident_id, impact_started_at, detected_at, acknowledged_at, root_caused_at,
        mitigated_at, restored_at, resolved_at
    from incidents
    where incident_id = $incident_id

),

column_times as (

    select milestone_column, occurred_at
    from incident
    unpivot include nulls (
        occurred_at for milestone_column in (
            impact_started_at, detected_at, acknowledged_at, root_caused_at, mitigated_at,
            restored_at, resolved_at
        )
    )

),

timeline_rows as (

    select
        seq, occurred_at, time_text, event, kind, line,
        case
            when kind_stated then 'stated'
            when kind_confidence is not null then 'model'
            else 'rules'
        end as decided_by,
        case when not kind_stated then kind_confidence end as confidence
    from timeline
    where incident_id = $incident_id and occurred_at is not null

),

milestone_rows as (

    select
        milestones.position,
        timeline_rows.*
    from milestones
    inner join column_times using (milestone_column)
    inner join timeline_rows
        on timeline_rows.kind = milestones.kind
        and timeline_rows.occurred_at = column_times.occurred_at
    qualify row_number() over (partition by milestones.position order by timeline_rows.seq) = 1

),

final as (

    select
        milestones.milestone,
        milestones.kind,
        milestones.milestone_column,
        column_times.occurred_at,
        milestone_rows.seq,
        milestone_rows.line,
        milestone_rows.time_text,
        milestone_rows.event,
        milestone_rows.decided_by,
        milestone_rows.confidence,
        case milestone_rows.decided_by
            when 'stated' then 'stated by the author'
            when 'rules' then 'phrase rules'
            when 'model' then 'model, confidence ' || printf('%.2f', milestone_rows.confidence)
        end as how_decided,
        milestones.position
    from milestones
    inner join column_times using (milestone_column)
    left join milestone_rows using (position)

)

select * exclude (position) from final
order by position
