-- Roll-up of one reporting year ($year), R7 widened: where a government's report states figures, hold them
-- against the reports of the units that answer to it, one row per government, scope and metric, with the
-- difference and the units missing.
--   scope 'government_level': the figure the report gives for the government level itself (政府层面的申请16件)
--     against its own-level units: its office (type office on the roster, or named <government>办公室), which
--     handles the government's own requests. chk_government_level_matches_office flags the same pair when both are stated and differ; its
--     message is carried here as r7_finding.
--   scope 'units_total': the government report's figure (its table, else its prose) against the sum of all
--     units that answer to it (roster parent, or the parent a report names; the office by name). A report that
--     covers the whole region (全区) should equal that sum once every unit has reported.
-- Units without a report, or whose report leaves the figure unstated, are listed, never counted as 0.
-- Everything is read for the one year from the facts stored at ingest and roster import: the units
-- (fct_coverage_units), the report standing for each unit (fct_unit_reports), the figures with reviewers'
-- corrections (fct_values: applicant '' where a figure names no column) and chk_government_level_matches_office's findings (fct_findings).
with units as (
    select unit, parent, type from fct_coverage_units
),

year_reports as (
    select unit, year, report_id from fct_unit_reports where year = $year and pick = 1
),

governments as (
    select u.unit as government, r.year, r.report_id
    from units as u
    inner join year_reports as r on r.unit = u.unit
    where u.type = 'government'
),

children as (
    -- the units whose parent is the government, and its office by name whatever parent the office names (two
    -- equality joins: one join on either condition would compare every government with every unit)
    select
        g.government,
        g.year,
        c.unit,
        c.type = 'office' or c.unit = g.government || '办公室' as own_level
    from governments as g
    inner join units as c on c.parent = g.government
    where c.unit <> g.government
    union all
    select
        g.government,
        g.year,
        c.unit,
        true as own_level
    from governments as g
    inner join units as c on c.unit = g.government || '办公室'
    where c.parent is distinct from g.government
),

metrics as (
    select * from (
        values
            ('requests.new', 1),
            ('requests.carried_over', 2),
            ('outcome.total', 3),
            ('requests.carried_forward', 4),
            ('review.total', 5),
            ('litigation.direct.total', 6),
            ('litigation.after_review.total', 7)
    ) as t (metric, position)
),

totals as (
    -- the 总计 column of section 三 and the totals of section 四 (which has no applicant column)
    select v.report_id, v.metric, v.value, v.raw, v.line
    from fct_values as v
    semi join metrics as m on v.metric = m.metric
    where v.year = $year and v.applicant in ('total', '')
),

child_values as (
    select c.government, c.year, c.unit, c.own_level, m.metric, r.report_id, t.value
    from children as c
    cross join metrics as m
    left join year_reports as r on r.unit = c.unit and r.year = c.year
    left join totals as t on t.report_id = r.report_id and t.metric = m.metric
),

government_level as (
    select
        g.government,
        g.year,
        g.report_id,
        m.metric,
        m.value as stated,
        m.raw as stated_raw,
        m.line as stated_line
    from governments as g
    inner join stg_mentions as m on m.report_id = g.report_id
    where m.year = $year and m.qualifier = 'government_level' and m.value is not null
        and coalesce(m.applicant, 'total') = 'total'  -- the level's total, not an applicant split of it
    qualify row_number() over (partition by g.report_id, m.metric order by m.line) = 1
),

units_total as (
    select
        g.government,
        g.year,
        g.report_id,
        m.metric,
        t.value as stated,
        t.raw as stated_raw,
        t.line as stated_line
    from governments as g
    cross join metrics as m
    left join totals as t on t.report_id = g.report_id and t.metric = m.metric
),

stated as (
    select *, 'government_level' as scope from government_level
    union all by name
    select *, 'units_total' as scope from units_total
),

compared as (
    select
        s.government,
        s.year,
        s.report_id,
        s.scope,
        s.metric,
        any_value(s.stated) as stated,
        any_value(s.stated_raw) as stated_raw,
        any_value(s.stated_line) as stated_line,
        sum(v.value) as summed,
        count(v.unit) as units_expected,
        count(v.report_id) as units_reported,
        count(v.value) as units_stated,
        string_agg(case when v.report_id is null then v.unit end, '、' order by v.unit) as units_missing,
        string_agg(
            case when v.report_id is not null and v.value is null then v.unit end, '、' order by v.unit
        ) as units_unstated
    from stated as s
    inner join child_values as v
        on v.government = s.government
        and v.year = s.year
        and v.metric = s.metric
        and (s.scope = 'units_total' or v.own_level)
    group by s.government, s.year, s.report_id, s.scope, s.metric
),

r7 as (
    -- chk_government_level_matches_office's findings of the year, as every ingest stores them with the other findings
    select report_id, json_extract_string(cells, '$[0].metric') as metric, message
    from fct_findings
    where year = $year and rule = 'R7'
),

final as (
    select
        c.government,
        c.scope,
        case c.scope when 'government_level' then '政府层面（本级）' else '下属单位合计' end as scope_label,
        c.metric,
        coalesce(d.label, c.metric) as metric_label,
        c.stated,
        c.stated_raw,
        c.stated_line,
        c.summed,
        c.stated - c.summed as difference,
        c.units_expected,
        c.units_reported,
        c.units_stated,
        c.units_missing,
        c.units_unstated,
        r.message as r7_finding,
        c.report_id,
        m.position
    from compared as c
    inner join metrics as m on m.metric = c.metric
    left join metric_defs as d on d.key = c.metric
    left join r7 as r on c.scope = 'government_level' and r.report_id = c.report_id and r.metric = c.metric
    where c.stated is not null or c.summed is not null
)

select * exclude (position)
from final
order by government, scope, position
