-- correction_problems: what ingest could not apply of the reviewers' corrections files
-- (causes.yml beside the postmortems): entries that matched nothing (code
-- 'correction_unmatched': an unknown incident, a group no incident is in) and entries or
-- files that could not be read ('corrections_invalid'), in file and line order. They concern
-- the file, not incidents, so no filter applies.

with problems as (

    select source_path, line, level, code, message
    from load_problems
    where code in ('correction_unmatched', 'corrections_invalid')

),

final as (

    select * from problems

)

select * from final
order by source_path, line nulls first, message
