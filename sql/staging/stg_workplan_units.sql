-- One row per task and unit named for it in a work plan: role lead (牵头, or every unit of a table that has only
-- a 责任单位 column) or cooperating (配合). collective marks a name that stands for a group of units (各镇政府,
-- 区政府各部门单位, …成员单位, 决策承办单位, a bare 街道办事处): the page shows those beside the named units,
-- since each member carries the task too.
with named as (
    select plan, year, position, task_no, category, heading, task, deadline, line, unnest(lead_units) as unit,
        'lead' as role
    from workplan_tasks
    union all
    select plan, year, position, task_no, category, heading, task, deadline, line, unnest(cooperating_units) as unit,
        'cooperating' as role
    from workplan_tasks
),

final as (
    select
        *,
        regexp_matches(
            unit, '^各|各部门|各有关|各单位|成员单位|承办单位|牵头部门|^(街道办事处|镇政府|乡政府|乡镇政府)$'
        ) as collective
    from named
)

select * from final
