-- near_misses: the "Where we got lucky" items (learnings of kind got_lucky) of the incidents in
-- view: what nearly made it worse and did not, the cheapest lessons. Newest incident first.
--   quarter ('unknown' when unknown), incident_id, title, severity, incident_date, text

with in_view as (

    select
        incident_id,
        display_title as title,
        severity,
        incident_date,
        coalesce(quarter, 'unknown') as quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

lucky as (

    select incident_id, seq, text
    from learnings
    where kind = 'got_lucky' and nullif(trim(text), '') is not null

),

final as (

    select
        in_view.quarter,
        in_view.incident_id,
        in_view.title,
        in_view.severity,
        in_view.incident_date,
        lucky.text,
        lucky.seq
    from lucky
    inner join in_view using (incident_id)

)

select * exclude (seq) from final
order by incident_date desc nulls last, incident_id, seq
limit $limit
