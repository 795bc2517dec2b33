-- completion_by_category: per quarter of the incidents in view and action category
-- (prevention, detection, response, recovery; 'uncategorised' when the authors gave none):
-- actions, done, wont_do, open, decided (actions - wont_do: what was meant to be done). The analytics package adds the completion rate done / decided and its interval.
-- Quarters in order, categories in $category_order.

with in_view as (

    select incident_id, quarter
    from incidents_in_view($since, $until, $severities, $teams, $services, $include_drafts)
    where quarter is not null

),

actions_in_view as (

    select
        in_view.quarter,
        coalesce(actions.category, 'uncategorised') as category,
        actions.is_done,
        actions.is_wont_do,
        actions.is_open
    from action_facts as actions
    inner join in_view using (incident_id)

),

final as (

    select
        quarter,
        category,
        count(*) as actions,
        count(*) filter (is_done) as done,
        count(*) filter (is_wont_do) as wont_do,
        count(*) filter (is_open) as open,
        count(*) - count(*) filter (is_wont_do) as decided
    from actions_in_view
    group by quarter, category

)

select * from final
order by quarter, coalesce(list_position($category_order, category), len($category_order) + 1)
