-- R1, per applicant column: 新收 + 上年结转 = 办理结果总计 + 结转下年度, the identity the template
-- itself prints (第一项加第二项之和，等于第三项加第四项之和). Only table figures are checked: prose
-- often states a subset, and a sum over a subset proves nothing. A column is checked only when all
-- four cells state a number, because a blank or "/" is "not stated" and reading it as 0 would
-- invent a violation. A blank cell the prose fills takes part; when the identity fails on it, or on a cell
-- the parser placed by inference (doubted_reading), the finding is the parser's (PARSE), not the report's.
with terms as (
    select report_id, agency, year, applicant, metric, value, raw, line, qualifier
    from stg_figures
    where (kind = 'table' or qualifier = 'from_prose')
        and applicant is not null
        and metric in ('requests.new', 'requests.carried_over', 'outcome.total', 'requests.carried_forward')
),

columns as (
    select
        report_id,
        agency,
        year,
        applicant,
        any_value(value) filter (where metric = 'requests.new') as new_requests,
        any_value(value) filter (where metric = 'requests.carried_over') as carried_over,
        any_value(value) filter (where metric = 'outcome.total') as handled,
        any_value(value) filter (where metric = 'requests.carried_forward') as carried_forward,
        count(distinct metric) filter (where value is not null) as stated,
        bool_or(doubted_reading(qualifier)) as doubted
    from terms
    group by report_id, agency, year, applicant
),

violations as (
    select *
    from columns
    where stated = 4
        and abs((new_requests + carried_over) - (handled + carried_forward)) > 1e-9
),

evidence as (
    -- the cells of the violating columns only: building them for every column is most of the check's cost
    select
        t.report_id,
        t.applicant,
        list(finding_cell(t.metric, t.applicant, t.value, t.raw, t.line) order by t.line, t.metric) as cells
    from terms as t
    semi join violations as v on t.report_id = v.report_id and t.applicant = v.applicant
    group by t.report_id, t.applicant
),

described as (
    select
        v.report_id,
        v.agency,
        v.year,
        v.doubted,
        format(
            '{}列：新收{}+上年结转{} ≠ 办理总计{}+结转下年{}',
            coalesce(a.label, v.applicant),
            fmt_num(v.new_requests),
            fmt_num(v.carried_over),
            fmt_num(v.handled),
            fmt_num(v.carried_forward)
        ) as message,
        to_json(e.cells) as cells
    from violations as v
    inner join evidence as e on v.report_id = e.report_id and v.applicant = e.applicant
    left join applicant_defs as a on v.applicant = a.key
),

final as (
    select
        report_id,
        agency,
        year,
        case when doubted then 'PARSE' else 'R1' end as rule,
        case when doubted then 'warning' else 'error' end as severity,
        case when doubted then doubted_message('R1', message) else message end as message,
        cells
    from described
)

select * from final
