-- The units the sidebar's 单位 picker offers: the agencies the region, level and type filters leave (for a
-- 单位填报人 only the names in $visible; null: every agency) whose name holds every word of $search (null or
-- blank: every one), the first $row_limit of them by name, and the agencies already chosen ($chosen) among
-- those the filters leave, wherever they stand. `matching` counts every agency the search finds, so the sidebar
-- can say how many it did not list.
with pool as (
    select agency
    from stg_agencies
    where in_selection(region, agency_level, agency_type, agency, null, $regions, $levels, $types, [], null, null)
        and ($visible::varchar [] is null or list_contains($visible::varchar [], agency))
),

matched as (
    select p.agency
    from pool as p
    where holds_every_word(p.agency, $search::varchar)
),

listed as (
    select agency from matched
    order by agency
    limit $row_limit
),

offered as (
    select agency from listed
    union
    select agency from pool where list_contains(coalesce($chosen::varchar [], []), agency)
)

select
    o.agency,
    (select count(*) from matched) as matching
from offered as o
order by o.agency
