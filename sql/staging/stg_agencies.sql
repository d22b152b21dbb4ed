-- One row per agency (each name reports are filed under) with its type (government, government office or
-- department), its level (province, city, county/district, township, national), its peer group and the body
-- it answers to. When a supervising office has imported its roster and the agency's name, or an earlier name
-- of a roster unit (renames and mergers, stg_coverage_names), is on it, these come from that roster unit
-- (attributes_from = 'roster', unit = the roster unit, parent as the roster gives it, even when blank);
-- otherwise they are read from the name and the parent from the reports (attributes_from = 'name', unit = the
-- agency itself). The dashboard's filters, the peer groups of 单位对比 and 雷同, and R7's pairing of a
-- government with its office use them. Should two roster units claim one name (only a hand-edited table can
-- do that), the unit whose own name it is wins, then the most recent change, then the unit's name: one row
-- per agency, always.
with names as (
    select
        agency,
        max(region) as region,
        max(parent) as parent,
        count(*) as reports,
        min(year) as first_year,
        max(year) as last_year
    from stg_reports_current
    group by agency
),

typed as (
    select
        *,
        case
            when regexp_matches(agency, '(人民政府|政府|管委会|管理委员会|行政公署)办公(室|厅)$') then 'office'
            when regexp_matches(agency, '(人民政府|管委会|管理委员会|行政公署|街道办事处)$') then 'government'
            else 'department'
        end as agency_type,
        -- the level of the place the agency serves: the last administrative unit in its name
        case
            when regexp_matches(agency, '(镇|乡|街道)') then 'township'
            when regexp_matches(agency, '(区|县|旗)') then 'county'
            when regexp_matches(agency, '(市|州|盟|地区)') then 'city'
            when regexp_matches(agency, '(省|自治区)') then 'province'
            else 'national'
        end as agency_level
    from names
),

by_name as (
    select
        *,
        agency_level || '/' || agency_type as peer_group
    from typed
),

on_roster as (
    -- the roster unit each agency name belongs to: without a roster, roster_units is empty and nothing matches
    select
        n.name as agency,
        u.unit,
        u.parent,
        u.level,
        u.type,
        u.peer_group
    from stg_coverage_names as n
    inner join roster_units as u on n.unit = u.unit
    qualify row_number() over (
        partition by n.name order by (n.via = 'self') desc, n.change_year desc nulls last, u.unit
    ) = 1
),

final as (
    select
        a.agency,
        a.region,
        case when r.unit is null then a.parent else r.parent end as parent,
        a.reports,
        a.first_year,
        a.last_year,
        coalesce(r.type, a.agency_type) as agency_type,
        coalesce(r.level, a.agency_level) as agency_level,
        coalesce(r.peer_group, a.peer_group) as peer_group,
        coalesce(r.unit, a.agency) as unit,
        case when r.unit is null then 'name' else 'roster' end as attributes_from
    from by_name as a
    left join on_roster as r on a.agency = r.agency
)

select * from final
