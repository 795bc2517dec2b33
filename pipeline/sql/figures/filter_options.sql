-- filter_options: what the filters can offer, over every loaded incident (one row).
--   severities  the severities seen (the analytics package orders them P0..P3)
--   teams       the teams seen, sorted            services  the services seen, sorted
--   min_date, max_date   the first and last incident date

with incidents as (

    select severity, team, services, incident_date
    from incident_facts

),

services as (

    select distinct unnest(services) as service
    from incidents

),

final as (

    select
        coalesce(
            (select list(distinct severity) from incidents where severity is not null),
            []::varchar[]
        ) as severities,
        coalesce(
            (select list(distinct team order by team) from incidents where team is not null),
            []::varchar[]
        ) as teams,
        coalesce(
            (select list(service order by service) from services where service is not null),
            []::varchar[]
        ) as services,
        (select min(incident_date) from incidents) as min_date,
        (select max(incident_date) from incidents) as max_date

)

select * from final
