-- R2, per applicant column: 办理结果总计 equals the sum of every other outcome row of that column.
-- A column is checked only when none of its outcome cells is blank or "/": with a cell not stated
-- the sum is unknown, not smaller. Only table figures: a prose report that names a few outcomes
-- ("其中予以公开61件") is not claiming that they add up to the total. A blank cell the prose fills takes
-- part; when the sum fails on it, or on a cell the parser placed by inference (doubted_reading), the
-- finding is the parser's (PARSE), not the report's.
with outcome_cells as (
    select report_id, agency, year, applicant, metric, value, raw, line, qualifier
    from stg_figures
    where (kind = 'table' or qualifier = 'from_prose')
        and applicant is not null
        and metric like 'outcome.%'
),

columns as (
    select
        report_id,
        agency,
        year,
        applicant,
        any_value(value) filter (where metric = 'outcome.total') as total,
        sum(value) filter (where metric <> 'outcome.total') as parts_sum,
        count(*) filter (where metric <> 'outcome.total') as parts,
        count(*) filter (where value is null) as unstated,
        bool_or(doubted_reading(qualifier)) as doubted
    from outcome_cells
    group by report_id, agency, year, applicant
),

violations as (
    select *
    from columns
    where unstated = 0
        and parts > 0
        and total is not null
        and abs(total - parts_sum) > 1e-9
),

evidence as (
    -- the cells of the violating columns only: building them for every column is most of the check's cost
    select
        o.report_id,
        o.applicant,
        list(finding_cell(o.metric, o.applicant, o.value, o.raw, o.line) order by o.line, o.metric) as cells
    from outcome_cells as o
    semi join violations as v on o.report_id = v.report_id and o.applicant = v.applicant
    group by o.report_id, o.applicant
),

described as (
    select
        v.report_id,
        v.agency,
        v.year,
        v.doubted,
        format(
            '{}列：办理结果各项之和{} ≠ 总计{}',
            coalesce(a.label, v.applicant),
            fmt_num(v.parts_sum),
            fmt_num(v.total)
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
        case when doubted then 'PARSE' else 'R2' end as rule,
        case when doubted then 'warning' else 'error' end as severity,
        case when doubted then doubted_message('R2', message) else message end as message,
        cells
    from described
)

select * from final
