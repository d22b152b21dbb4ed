-- Every task of one work plan ($plan) in table order, with its units as printed lists.
select
    position,
    task_no,
    category,
    heading,
    task,
    array_to_string(lead_units, '、') as lead_units,
    array_to_string(cooperating_units, '、') as cooperating_units,
    deadline,
    line,
    location
from workplan_tasks
where plan = $plan
order by position
