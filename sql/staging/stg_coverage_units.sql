-- The units expected to publish an annual report: the imported roster's units, or, without a roster, every
-- agency that has any annual report stored (a work plan is not one), with what its name says about it.
-- region is taken from the unit's reports (under any of its names), for the dashboard's region filter.
with agencies as materialized (
    select * from stg_agencies
),

has_roster as (
    select count(*) > 0 as yes from roster_units
),

roster as (
    select unit, parent, level, type, peer_group, position, true as on_roster
    from roster_units
),

annual_reporters as (
    select distinct agency
    from stg_reports_current
    where template is distinct from 'workplan'
),

reporting_agencies as (
    select
        a.agency as unit,
        a.parent,
        a.agency_level as level,
        a.agency_type as type,
        a.peer_group,
        cast(null as integer) as position,
        false as on_roster
    from agencies as a
    semi join annual_reporters as r on r.agency = a.agency
),

units as (
    select * from roster
    union all
    select * from reporting_agencies
    where not (select yes from has_roster)
),

regions as (
    select n.unit, max(a.region) as region
    from stg_coverage_names as n
    inner join agencies as a on a.agency = n.name
    group by n.unit
),

final as (
    select u.*, r.region
    from units as u
    left join regions as r on u.unit = r.unit
)

select * from final
