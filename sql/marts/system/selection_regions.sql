-- The regions the sidebar's 地区 picker offers: the regions of the agencies (for a 单位填报人 only those of the
-- names in $visible; null: every agency; an agency without one under '（未注明）') whose name holds every word of
-- $search (null or blank: every one), the first $row_limit of them by name, and the regions already chosen
-- ($chosen) that exist, wherever they stand. `matching` counts every region the search finds.
with pool as (
    select distinct coalesce(region, '（未注明）') as region
    from stg_agencies
    where $visible::varchar [] is null or list_contains($visible::varchar [], agency)
),

matched as (
    select p.region
    from pool as p
    where holds_every_word(p.region, $search::varchar)
),

listed as (
    select region from matched
    order by region
    limit $row_limit
),

offered as (
    select region from listed
    union
    select region from pool where list_contains(coalesce($chosen::varchar [], []), region)
)

select
    o.region,
    (select count(*) from matched) as matching
from offered as o
order by o.region
