-- The tasks of one work plan ($plan) given to names that stand for groups of units (各镇政府, 区政府各部门单位,
-- …成员单位), one row per task with those names: a unit looking up its tasks should read these too.
select
    position,
    any_value(task_no) as task_no,
    any_value(category) as category,
    any_value(heading) as heading,
    any_value(task) as task,
    string_agg(unit, '、' order by unit) as groups,
    any_value(deadline) as deadline,
    any_value(line) as line
from stg_workplan_units
where plan = $plan and collective
group by position
order by position
