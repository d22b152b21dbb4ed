-- R4, per block of section 四 (行政复议, 未经复议直接起诉, 复议后起诉): 总计 = 结果维持 + 结果纠正 +
-- 其他结果 + 尚未审结. A block is checked only when all five cells state a number; only in tables,
-- since prose that mentions one or two review figures is not a full block. A blank cell the prose fills
-- takes part; when the block fails on it, or on a cell the parser placed by inference (doubted_reading),
-- the finding is the parser's (PARSE), not the report's.
with block_cells as (
    select
        report_id,
        agency,
        year,
        regexp_extract(metric, '^(.*)\.[a-z_]+$', 1) as block,
        regexp_extract(metric, '\.([a-z_]+)$', 1) as part,
        split_part(metric_label, '·', 1) as block_label,
        metric,
        applicant,
        value,
        raw,
        line,
        qualifier
    from stg_figures
    where (kind = 'table' or qualifier = 'from_prose')
        and (metric like 'review.%' or metric like 'litigation.%')
),

blocks as (
    select
        report_id,
        agency,
        year,
        block,
        any_value(block_label) as block_label,
        any_value(value) filter (where part = 'maintained') as maintained,
        any_value(value) filter (where part = 'corrected') as corrected,
        any_value(value) filter (where part = 'other') as other,
        any_value(value) filter (where part = 'pending') as pending,
        any_value(value) filter (where part = 'total') as total,
        count(distinct part) filter (
            where value is not null and part in ('maintained', 'corrected', 'other', 'pending', 'total')
        ) as stated,
        list(finding_cell(metric, applicant, value, raw, line) order by line, metric) as cells,
        bool_or(doubted_reading(qualifier)) as doubted
    from block_cells
    group by report_id, agency, year, block
),

violations as (
    select *
    from blocks
    where stated = 5
        and abs(total - (maintained + corrected + other + pending)) > 1e-9
),

described as (
    select
        report_id,
        agency,
        year,
        doubted,
        block,  -- review | litigation.direct | litigation.after_review: fct_reports leaves the block out of rates
        format(
            '{}：结果维持{}+结果纠正{}+其他结果{}+尚未审结{}={} ≠ 总计{}',
            coalesce(block_label, block),
            fmt_num(maintained),
            fmt_num(corrected),
            fmt_num(other),
            fmt_num(pending),
            fmt_num(maintained + corrected + other + pending),
            fmt_num(total)
        ) as message,
        to_json(cells) as cells
    from violations
),

final as (
    select
        report_id,
        agency,
        year,
        case when doubted then 'PARSE' else 'R4' end as rule,
        case when doubted then 'warning' else 'error' end as severity,
        case when doubted then doubted_message('R4', message) else message end as message,
        cells,
        block
    from described
)

select * from final
