-- The tasks one unit ($unit) carries in one work plan ($plan), as lead or cooperating unit, in table order.
select
    position,
    task_no,
    category,
    heading,
    task,
    role,
    deadline,
    line
from stg_workplan_units
where plan = $plan and unit = $unit
order by position
