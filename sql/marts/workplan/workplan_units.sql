-- The units named in one work plan ($plan) with how many tasks each carries, as lead and as cooperating unit;
-- named units first, then names standing for groups of units (各镇政府, 区政府各部门单位).
select
    unit,
    count(distinct position) as tasks,
    count(distinct position) filter (where role = 'lead') as lead_tasks,
    count(distinct position) filter (where role = 'cooperating') as cooperating_tasks,
    bool_or(collective) as collective
from stg_workplan_units
where plan = $plan
group by unit
order by collective, tasks desc, unit
