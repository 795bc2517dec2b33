-- incident_facts: one row per incident, with the labels every metric groups and filters by.
-- The analytics module applies the common filters (dates, severities, teams, services,
-- drafts) to this view, so "an incident in view" means the same thing everywhere.
--   quarter       '2026Q3' (NULL when the incident date is unknown)
--   quarter_start first day of that quarter, for ordering and gap filling
--   month         '2026-07'
--   is_draft      status is DRAFT (an unknown status counts as not a draft)
--   is_p0_p1      severity is P0 or P1 (an unknown severity counts as not)

-- The period labels, defined once for the view and for every query that fills in periods.
create or replace macro quarter_label(d) as strftime(d, '%Y') || 'Q' || quarter(d);
create or replace macro month_label(d) as strftime(d, '%Y-%m');

create or replace view incident_facts as

with source as (

    select * from incidents

),

final as (

    select
        source.*,
        quarter_label(incident_date) as quarter,
        cast(date_trunc('quarter', incident_date) as date) as quarter_start,
        month_label(incident_date) as month,
        cast(date_trunc('month', incident_date) as date) as month_start,
        coalesce(status = 'DRAFT', false) as is_draft,
        coalesce(severity in ('P0', 'P1'), false) as is_p0_p1
    from source

)

select * from final;
