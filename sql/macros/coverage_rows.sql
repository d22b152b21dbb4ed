-- Coverage of the reporting years year_from to year_to (null: no bound), one row per expected unit and year:
-- the report that stands for the unit (under its own name or an earlier one), when it was published, the
-- deadline and whether it was met. The coverage, coverage_selection and coverage_years queries read it.
-- Deadlines (政府信息公开条例 art. 49): a government's own report by 31 March of the next year; every other
-- unit (departments, and a government's office, which is one of its departments) by 31 January.
-- timeliness: 未发布 (no report), 日期不详 (a report whose publication date the text does not give),
-- 按时 (published on or before the deadline), 逾期 (after it).
-- Years run from the first reporting year stored to the later of the last one and last calendar year, gaps
-- included: a year in which nobody reported is exactly what coverage must show. The years are worked out when
-- the query runs (the calendar moves on between ingests); the units, their names and which report stands for
-- a unit in a year are read from the facts the loader stores at every ingest and roster import
-- (fct_coverage_units, fct_coverage_names, fct_unit_reports; fct_reports for the years stored). Those tables
-- are named as the defaults of the last four parameters because query_table looks them up when a query calls
-- the macro: the macro is created before the loader first stores them.
create or replace macro coverage_rows(
    year_from,
    year_to,
    units_table := 'fct_coverage_units',
    names_table := 'fct_coverage_names',
    unit_reports_table := 'fct_unit_reports',
    reports_table := 'fct_reports'
) as table
with bounds as (
    select
        coalesce(min(year), year(current_date) - 1) as first_year,
        greatest(coalesce(max(year), 0), year(current_date) - 1) as last_year
    from query_table(reports_table)
    where template is distinct from 'workplan'
),

years as (
    select cast(y.range as integer) as year
    from bounds as b, range(b.first_year, b.last_year + 1) as y
    where (year_from is null or y.range >= year_from) and (year_to is null or y.range <= year_to)
),

units as (
    select * from query_table(units_table)
),

unit_reports as (
    select r.*
    from query_table(unit_reports_table) as r
    semi join years as y on r.year = y.year
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
    inner join query_table(names_table) as n on n.unit = u.unit and n.via = 'merge'
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
        unit,
        parent,
        level,
        type,
        peer_group,
        report_id,
        published_on,
        deadline,
        case
            when report_id is null then '未发布'
            when published_on is null then '日期不详'
            when published_on <= deadline then '按时'
            else '逾期'
        end as timeliness,
        case when published_on > deadline then datediff('day', deadline, published_on) end as days_late,
        filed_as,
        nullif(concat_ws(
            '；',
            case when via = 'rename' then format('以原名称“{}”报送', filed_as) end,
            case when via = 'merge' then format('由合并前单位“{}”报送', filed_as) end,
            case when via = 'alias' then format('报告署名“{}”，已确认为本单位', filed_as) end,
            case when other_reports is not null then format('另有报告计入本单位：{}', other_reports) end,
            case when merged_missing is not null then format('合并前单位未报送：{}', merged_missing) end
        ), '') as note,
        source,
        region,
        on_roster,
        year,
        position
    from joined
)

select * from final;
