-- linked_incidents: the Related Incidents entries of the incidents in view (view
-- incident_links), with the loaded incident each names (NULL when none).

with in_view as (

    select incident_id
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)

),

links as (

    select incident_id, reference, linked_incident_id, text, line
    from incident_links

),

final as (

    select links.*
    from links
    inner join in_view using (incident_id)

)

select incident_id, reference, linked_incident_id, text
from final
order by incident_id, line nulls last
