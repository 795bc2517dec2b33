-- review_quarter: the quarter a review opens on: the last complete quarter (its last day
-- before $today) that has incidents; when none is complete, the newest quarter with
-- incidents; NULL when no incident has a date. One row: quarter.

with quarters as (

    select distinct quarter, quarter_start
    from incident_facts
    where quarter is not null

),

final as (

    select coalesce(
        max(quarter_start) filter (where quarter_start + interval 3 month <= $today),
        max(quarter_start)
    ) as quarter_start
    from quarters

)

select quarter_label(quarter_start) as quarter from final
