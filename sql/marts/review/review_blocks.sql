-- The 复议诉讼 page: per report and block of section 四 (行政复议, 未经复议直接起诉, 复议后起诉) the five
-- figures as printed, the cases concluded (总计 − 尚未审结) and the R4 finding when the printed total
-- disagrees with its parts. Totals are never recomputed: a block that does not add up is shown as the
-- report prints it, with the finding's message beside it. Whether a block counts in the correction rates and
-- its rate come from fct_reports (counted_block): a block that breaks R4 or leaves 结果纠正, 总计 or 尚未审结
-- unstated has counted = false and no rate, here and in every total.
with selected as (
    -- one row per current report (fct_reports holds each block as a struct: its five figures and how many of
    -- them the report prints), only reports printing a block
    select *
    from fct_reports
    where
        (review.printed > 0 or direct.printed > 0 or after_review.printed > 0)
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

blocks as (
    -- a row per block the report prints, even when every cell of it is blank: one branch per block (a lateral
    -- list of the three would make DuckDB join the reports back to their own blocks)
    select report_id, agency, year, template, report_order, 'review' as block, 1 as block_position, unnest(review)
    from selected
    where review.printed > 0
    union all
    select report_id, agency, year, template, report_order, 'litigation.direct', 2, unnest(direct)
    from selected
    where direct.printed > 0
    union all
    select report_id, agency, year, template, report_order, 'litigation.after_review', 3, unnest(after_review)
    from selected
    where after_review.printed > 0
),

r4_findings as (
    -- the finding names its block through the metric of its first cell
    select
        report_id,
        regexp_extract(json_extract_string(cells, '$[0].metric'), '^(.*)\.[a-z_]+$', 1) as block,
        string_agg(message, '；') as r4_message
    from fct_findings
    where
        rule = 'R4'
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
    group by all
),

block_labels as (
    -- the dictionary's name of each block, e.g. 行政复议
    select
        b.block,
        split_part(d.label, '·', 1) as block_label
    from (values ('review'), ('litigation.direct'), ('litigation.after_review')) as b (block)
    left join metric_defs as d on d.key = b.block || '.total'
),

final as (
    select
        b.report_id,
        b.agency,
        b.year,
        b.template,
        b.block,
        b.block_position,
        l.block_label,
        b.maintained,
        b.corrected,
        b.other,
        b.pending,
        b.total,
        b.total - b.pending as concluded,
        b.counted,
        b.counted_corrected,
        b.counted_concluded,
        as_rate(b.counted_corrected, b.counted_concluded) as correction_rate,
        f.r4_message,
        b.report_order
    from blocks as b
    inner join block_labels as l on b.block = l.block
    left join r4_findings as f on b.report_id = f.report_id and b.block = f.block
)

select * exclude (report_order) from final
order by report_order, block_position  -- report_order is fct_reports' (agency, year) order
