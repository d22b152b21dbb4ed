-- R3, per row of section 三: the 总计 column equals the sum of the six applicant columns. A row is
-- checked only when all seven cells state a number (a blank is not 0), and only in tables: prose
-- usually gives the total alone. A blank cell the prose fills takes part, except a 总计 (R5 holds the
-- prose against the columns then); when the sum fails on such a cell or on one the parser placed by
-- inference (doubted_reading), the finding is the parser's (PARSE), not the report's.
with row_cells as (
    select report_id, agency, year, metric, metric_label, applicant, value, raw, line, qualifier
    from stg_figures
    where (kind = 'table' or qualifier = 'from_prose')
        and applicant is not null
        and (metric like 'requests.%' or metric like 'outcome.%')
),

table_rows as (
    select
        report_id,
        agency,
        year,
        metric,
        any_value(metric_label) as metric_label,
        any_value(value) filter (where applicant = 'total') as total,
        sum(value) filter (where applicant <> 'total') as columns_sum,
        count(distinct applicant) filter (where value is not null) as stated,
        bool_or(doubted_reading(qualifier)) as doubted,
        bool_or(applicant = 'total' and qualifier = 'from_prose') as total_from_prose
    from row_cells
    group by report_id, agency, year, metric
),

violations as (
    select *
    from table_rows
    where stated = 7
        and not total_from_prose
        and abs(total - columns_sum) > 1e-9
),

evidence as (
    -- the cells of the violating rows only: building them for every row is most of the check's cost
    select
        r.report_id,
        r.metric,
        list(finding_cell(r.metric, r.applicant, r.value, r.raw, r.line) order by r.line, r.applicant) as cells
    from row_cells as r
    semi join violations as v on r.report_id = v.report_id and r.metric = v.metric
    group by r.report_id, r.metric
),

described as (
    select
        v.report_id,
        v.agency,
        v.year,
        v.doubted,
        format(
            '{}行：六类申请人之和{} ≠ 总计{}',
            coalesce(v.metric_label, v.metric),
            fmt_num(v.columns_sum),
            fmt_num(v.total)
        ) as message,
        to_json(e.cells) as cells
    from violations as v
    inner join evidence as e on v.report_id = e.report_id and v.metric = e.metric
),

final as (
    select
        report_id,
        agency,
        year,
        case when doubted then 'PARSE' else 'R3' end as rule,
        case when doubted then 'warning' else 'error' end as severity,
        case when doubted then doubted_message('R3', message) else message end as message,
        cells
    from described
)

select * from final
