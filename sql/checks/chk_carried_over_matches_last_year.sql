-- R6, across years: what an agency carried over into this year (上年结转) equals what the same
-- agency's report for the year before carried forward (结转下年度继续办理), column by column. Both
-- reports must state the cell; a year with no report, or a cell not stated, is no evidence.
with carried_over as (
    select report_id, agency, year, applicant, metric, value, raw, line
    from stg_figures
    where metric = 'requests.carried_over'
        and value is not null
),

carried_forward as (
    select report_id, agency, year, applicant, metric, value, raw, line
    from stg_figures
    where metric = 'requests.carried_forward'
        and value is not null
),

violations as (
    select
        this_year.report_id,
        this_year.agency,
        this_year.year,
        this_year.applicant,
        this_year.value as carried_over,
        last_year.value as carried_forward,
        [
            finding_cell(this_year.metric, this_year.applicant, this_year.value, this_year.raw, this_year.line),
            finding_cell(last_year.metric, last_year.applicant, last_year.value, last_year.raw, last_year.line)
        ] as cells
    from carried_over as this_year
    inner join carried_forward as last_year
        on this_year.agency = last_year.agency
        and this_year.year = last_year.year + 1
        and this_year.applicant is not distinct from last_year.applicant
    where abs(this_year.value - last_year.value) > 1e-9
),

final as (
    select
        v.report_id,
        v.agency,
        v.year,
        'R6' as rule,
        'warning' as severity,
        format(
            '{}列：本年上年结转{} ≠ {}年报告结转下年{}',
            coalesce(a.label, v.applicant, '总计'),
            fmt_num(v.carried_over),
            v.year - 1,
            fmt_num(v.carried_forward)
        ) as message,
        to_json(v.cells) as cells
    from violations as v
    left join applicant_defs as a on v.applicant = a.key
)

select * from final
