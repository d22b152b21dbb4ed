-- Every name under which a unit's report may be filed: the unit's own name and, following the roster's
-- renames and mergers back through chains, each earlier name (a report of 2018 filed by 市中区卫生和计划生育局
-- counts for 市中区卫生健康局). Without an imported roster every agency with a report is a unit of its own.
with recursive chain as (
    select
        unit,
        unit as name,
        'self' as via,
        cast(null as integer) as change_year,
        0 as depth
    from roster_units
    union all
    select
        c.unit,
        rc.old_name as name,
        rc.kind as via,
        rc.year as change_year,
        c.depth + 1 as depth
    from chain as c
    inner join roster_changes as rc on rc.new_name = c.name
    where c.depth < 50  -- the importer refuses loops; this only bounds damage from a hand-edited table
),

roster_names as (
    select unit, name, via, change_year from chain
),

without_roster as (
    select distinct
        agency as unit,
        agency as name,
        'self' as via,
        cast(null as integer) as change_year
    from stg_reports_current
    where not exists (select 1 from roster_units)
),

final as (
    select * from roster_names
    union all
    select * from without_roster
)

select * from final
