-- R7, across agencies: when a government's report states a figure for the government level itself
-- ("政府层面的申请16件"), it equals the same figure in its office's report for the same year, since the office
-- handles the government's own requests. The mention is compared with the office's figure of the same metric
-- and column (总计 when the mention names no column), e.g. 本年新收申请 总计.
-- Which agency is a government and which is its office comes from stg_agencies:
--   both on the imported roster: the government is a unit of type government, its office a unit of type
--     office whose roster parent is the government's unit; either may have filed under an earlier name.
--   otherwise (no roster, or one of the two not on it): by name, as before a roster existed: the government
--     is named XX人民政府 and its office XX人民政府办公室.
-- An office unit that filed annual reports under more than one name in a year is compared once, through the
-- report under its own name first (a work plan is not an annual report).
with agencies as (
    select agency, unit, parent, agency_type, attributes_from = 'roster' as on_roster
    from stg_agencies
),

government_mentions as (
    select
        m.report_id,
        m.agency,
        m.year,
        m.metric,
        m.metric_label,
        coalesce(m.applicant, 'total') as applicant,
        m.value,
        m.raw,
        m.line,
        a.unit,
        a.on_roster
    from stg_mentions as m
    inner join agencies as a on m.agency = a.agency
    where m.qualifier = 'government_level'
        and m.value is not null
        and case when a.on_roster then a.agency_type = 'government' else m.agency like '%人民政府' end
),

office_reports as (
    select r.report_id, r.agency, r.year, a.unit, a.parent, a.agency_type, a.on_roster
    from stg_reports_current as r
    inner join agencies as a on r.agency = a.agency
    where r.template is distinct from 'workplan'
        and ((a.on_roster and a.agency_type = 'office') or r.agency like '%人民政府办公室')
    qualify row_number() over (partition by a.unit, r.year order by (r.agency = a.unit) desc, r.agency) = 1
),

office_figures as (
    select
        f.report_id,
        o.agency,
        o.year,
        o.unit,
        o.parent,
        o.agency_type,
        o.on_roster,
        f.metric,
        coalesce(f.applicant, 'total') as applicant,
        f.value,
        f.raw,
        f.line
    from stg_figures as f
    inner join office_reports as o on f.report_id = o.report_id
    where f.value is not null
),

violations as (
    select
        m.report_id,
        m.agency,
        m.year,
        m.metric_label,
        m.metric,
        m.value as stated,
        o.agency as office,
        o.value as office_value,
        [
            finding_cell(m.metric, m.applicant, m.value, m.raw, m.line),
            finding_cell(o.metric, o.applicant, o.value, o.raw, o.line)
        ] as cells
    from government_mentions as m
    inner join office_figures as o
        on m.year = o.year
        and m.metric = o.metric
        and m.applicant = o.applicant
        and case
            when m.on_roster and o.on_roster then o.agency_type = 'office' and o.parent = m.unit
            else o.agency = m.agency || '办公室' and o.agency like '%人民政府办公室'
        end
    where abs(m.value - o.value) > 1e-9
),

final as (
    select
        report_id,
        agency,
        year,
        'R7' as rule,
        'warning' as severity,
        format(
            '{}：本报告称政府层面{}，{}{}年报告为{}',
            coalesce(metric_label, metric),
            fmt_num(stated),
            office,
            year,
            fmt_num(office_value)
        ) as message,
        to_json(cells) as cells
    from violations
)

select * from final
