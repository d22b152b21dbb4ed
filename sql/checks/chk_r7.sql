-- R7, across agencies: when a government's report (XX人民政府) states a figure for the government
-- level itself ("政府层面的申请16件"), it equals the same figure in its office's report
-- (XX人民政府办公室) for the same year, since the office handles the government's own requests.
-- The mention is compared with the office's figure of the same metric and column (总计 when the
-- mention names no column), e.g. 本年新收申请 总计.
with government_mentions as (
    select
        report_id,
        agency,
        year,
        metric,
        metric_label,
        coalesce(applicant, 'total') as applicant,
        value,
        raw,
        line
    from stg_mentions
    where qualifier = 'government_level'
        and value is not null
        and agency like '%人民政府'
),

office_figures as (
    select report_id, agency, year, metric, coalesce(applicant, 'total') as applicant, value, raw, line
    from stg_figures
    where agency like '%人民政府办公室'
        and value is not null
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
        on o.agency = m.agency || '办公室'
        and m.year = o.year
        and m.metric = o.metric
        and m.applicant = o.applicant
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
