-- days_to_final: for each FINAL postmortem of the incidents in view, the days from the
-- incident to its Last Updated date, the day it was last touched and so the latest it can have
-- become FINAL (the template records no date of the status change). Only where Last Updated
-- is on or after the incident date. Oldest quarter first.
--   incident_id, title, severity and quarter ('unknown' when unknown), incident_date,
--   last_updated, days

with in_view as (

    select
        incident_id,
        display_title as title,
        coalesce(severity, 'unknown') as severity,
        coalesce(quarter, 'unknown') as quarter,
        incident_date,
        last_updated
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where status = 'FINAL'

),

final as (

    select *, date_diff('day', incident_date, last_updated) as days
    from in_view
    where last_updated >= incident_date

)

select * from final
order by quarter, incident_date, incident_id
