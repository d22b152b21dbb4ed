-- 报送情况's status chart: the units expected to report for $year inside the sidebar's region, level, type and
-- unit filters (the rows of coverage_selection; the page binds no year range), narrowed to the units answering
-- to $government and to the status $status when they are given, counted per government they answer to (their
-- 上级; a unit without one stands on its own) and status. The $top governments with the most units not
-- published or late (then the most units, then by name) keep a bar each, in that order (`place` 1, 2, …); the
-- others are summed into one bar (government null, place $top + 1). `governments` says how many governments
-- that bar sums, on every row.
with expected as (
    select
        coalesce(parent, unit) as government,
        timeliness
    from coverage_rows($year, $year)
    where year = $year  -- a null year counts nothing
        and in_selection(region, level, type, unit, year, $regions, $levels, $types, $agencies, $year_from, $year_to)
        and ($government::varchar is null or coalesce(parent, unit) = $government::varchar)
        and ($status::varchar is null or timeliness = $status::varchar)
),

ranked as (
    select
        government,
        row_number() over (
            order by count(*) filter (where timeliness in ('未发布', '逾期')) desc, count(*) desc, government
        ) as place
    from expected
    group by government
),

others as (
    select count(*) as governments from ranked where place > $top
)

select
    case when k.place <= $top then e.government end as government,
    least(k.place, $top + 1) as place,
    e.timeliness,
    count(*) as units,
    any_value(o.governments) as governments
from expected as e
inner join ranked as k on e.government = k.government
cross join others as o
group by all
order by place, e.timeliness
