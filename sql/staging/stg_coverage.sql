-- Coverage, one row per expected unit and reporting year: the report that stands for the unit (under its own
-- name or an earlier one), when it was published, the deadline and whether it was met.
-- Deadlines (政府信息公开条例 art. 49): a government's own report by 31 March of the next year; every other
-- unit (departments, and a government's office, which is one of its departments) by 31 January.
-- timeliness: 未发布 (no report), 日期不详 (a report whose publication date the text does not give),
-- 按时 (published on or before the deadline), 逾期 (after it).
-- Years run from the first reporting year stored to the later of the last one and last calendar year, gaps
-- included: a year in which nobody reported is exactly what coverage must show.
with bounds as (
    select
        coalesce(min(year), year(current_date) - 1) as first_year,
        greatest(coalesce(max(year), 0), year(current_date) - 1) as last_year
    from stg_reports_current
    where template is distinct from 'workplan'
),

years as (
    select cast(y.range as integer) as year
    from bounds as b, range(b.first_year, b.last_year + 1) as y
),

-- The views below are read more than once here; materialized once each, they are not recomputed per use.
units as materialized (
    select * from stg_coverage_units
),

names as materialized (
    select * from stg_coverage_names
),

unit_reports as materialized (
    select * from stg_unit_reports
),

picked as (
    select * from unit_reports where pick = 1
),

others as (
    select unit, year, count(*) as n, string_agg(filed_as, '、' order by filed_as) as names
    from unit_reports
    where pick > 1
    group by unit, year
),

merged_missing as (
    -- units merged into this one after the year, that filed no report of their own for it
    select u.unit, y.year, string_agg(n.name, '、' order by n.name) as names
    from units as u
    inner join names as n on n.unit = u.unit and n.via = 'merge'
    cross join years as y
    where n.change_year > y.year
        and not exists (
            select 1 from unit_reports as r
            where r.unit = u.unit and r.year = y.year and r.filed_as = n.name
        )
    group by u.unit, y.year
),

joined as (
    select
        u.*,
        y.year,
        p.report_id,
        p.filed_as,
        p.via,
        p.published_on,
        p.source,
        make_date(y.year + 1, case when u.type = 'government' then 3 else 1 end, 31) as deadline,
        coalesce(o.n, 0) + (p.report_id is not null)::integer as reports,
        o.names as other_reports,
        m.names as merged_missing
    from units as u
    cross join years as y
    left join picked as p on p.unit = u.unit and p.year = y.year
    left join others as o on o.unit = u.unit and o.year = y.year
    left join merged_missing as m on m.unit = u.unit and m.year = y.year
),

final as (
    select
        * exclude (other_reports, merged_missing),
        case
            when report_id is null then '未发布'
            when published_on is null then '日期不详'
            when published_on <= deadline then '按时'
            else '逾期'
        end as timeliness,
        case when published_on > deadline then datediff('day', deadline, published_on) end as days_late,
        nullif(concat_ws(
            '；',
            case when via = 'rename' then format('以原名称“{}”报送', filed_as) end,
            case when via = 'merge' then format('由合并前单位“{}”报送', filed_as) end,
            case when other_reports is not null then format('另有报告计入本单位：{}', other_reports) end,
            case when merged_missing is not null then format('合并前单位未报送：{}', merged_missing) end
        ), '') as note
    from joined
)

select * from final
