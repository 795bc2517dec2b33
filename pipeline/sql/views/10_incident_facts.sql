-- incident_facts: one row per incident, with the labels every metric groups and filters by.
-- incidents_in_view(...) below applies the common filters (dates, severities, teams,
-- services, drafts) to this view; every figure of pipeline/sql/figures/ starts from it, so "an
-- incident in view" means the same thing everywhere.
--   quarter       '2026Q3' (NULL when the incident date is unknown)
--   quarter_start first day of that quarter, for ordering and gap filling
--   month         '2026-07'
--   is_draft      status is DRAFT (an unknown status counts as not a draft)
--   is_p0_p1      severity is P0 or P1 (an unknown severity counts as not)
--   display_title the title, else the first sentence of the summary (else its first line),
--                 else the file name: what a list shows, never empty

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
        quarter_label(source.incident_date) as quarter,
        cast(date_trunc('quarter', source.incident_date) as date) as quarter_start,
        month_label(source.incident_date) as month,
        cast(date_trunc('month', source.incident_date) as date) as month_start,
        coalesce(source.status = 'DRAFT', false) as is_draft,
        coalesce(source.severity in ('P0', 'P1'), false) as is_p0_p1,
        -- CASE, not COALESCE: DuckDB evaluates only the branch a row needs, so the regular
        -- expressions run for the untitled few, not for 100,000 titled incidents
        case
            when nullif(trim(source.title), '') is not null then trim(source.title)
            -- the summary's first sentence, else its first line, else the file name
            when nullif(trim(regexp_extract(source.summary, '^\s*(.*?[.!?])(\s|$)', 1)), '')
                is not null
            then left(trim(regexp_extract(source.summary, '^\s*(.*?[.!?])(\s|$)', 1)), 160)
            when nullif(trim(split_part(trim(source.summary), chr(10), 1)), '') is not null
            then left(trim(split_part(trim(source.summary), chr(10), 1)), 160)
            else regexp_extract(source.source_path, '[^/\\]+$')
        end as display_title
    from source

)

select * from final;


-- incidents_in_view: the incidents the common filters keep. A NULL argument means "all":
--   since, until   incident_date within [since, until] (an unknown date is then left out)
--   severities     severity in the list          teams  team in the list
--   services       hit at least one service of the list
--   drafts         false leaves out DRAFT postmortems (an unknown status is kept)
-- The analytics package passes them as bound parameters, never as SQL text.
create or replace macro incidents_in_view(
    f_since, f_until, f_severities, f_teams, f_services, f_drafts
) as table

with facts as (

    select * from incident_facts

),

final as (

    select *
    from facts
    where (f_since is null or incident_date >= cast(f_since as date))
        and (f_until is null or incident_date <= cast(f_until as date))
        and (f_severities is null or list_contains(cast(f_severities as varchar[]), severity))
        and (f_teams is null or list_contains(cast(f_teams as varchar[]), team))
        and (f_services is null or list_has_any(services, cast(f_services as varchar[])))
        and (f_drafts is null or f_drafts or not is_draft)

)

select * from final;
