-- The imported work plans, latest year first: title, year, issuer, number of tasks and of units named.
select
    t.plan,
    any_value(t.year) as year,
    any_value(t.issuer) as issuer,
    count(*) as tasks,
    (select count(distinct u.unit) from stg_workplan_units as u where u.plan = t.plan) as units,
    any_value(t.source) as source,
    max(t.imported_at) as imported_at
from workplan_tasks as t
group by t.plan
order by year desc nulls last, t.plan
