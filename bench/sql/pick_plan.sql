-- A stored work plan, for the pages that show one plan.
select plan
from workplan_tasks
order by plan
limit 1
