-- The 复议诉讼 page: per report and block of section 四 (行政复议, 未经复议直接起诉, 复议后起诉) the five
-- figures as printed, the cases concluded (总计 − 尚未审结) and the R4 finding when the printed total
-- disagrees with its parts. Totals are never recomputed: a block that does not add up is shown as the
-- report prints it, with the finding's message beside it.
with block_figures as (
    select
        report_id,
        agency,
        year,
        template,
        regexp_extract(metric, '^(.*)\.[a-z_]+$', 1) as block,
        regexp_extract(metric, '\.([a-z_]+)$', 1) as part,
        value
    from fct_values
    where
        (metric like 'review.%' or metric like 'litigation.%')
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

blocks as (
    select
        report_id,
        any_value(agency) as agency,
        any_value(year) as year,
        any_value(template) as template,
        block,
        any_value(value) filter (where part = 'maintained') as maintained,
        any_value(value) filter (where part = 'corrected') as corrected,
        any_value(value) filter (where part = 'other') as other,
        any_value(value) filter (where part = 'pending') as pending,
        any_value(value) filter (where part = 'total') as total
    from block_figures
    group by report_id, block
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

final as (
    select
        b.report_id,
        b.agency,
        b.year,
        b.template,
        b.block,
        list_position(['review', 'litigation.direct', 'litigation.after_review'], b.block) as block_position,
        split_part(d.label, '·', 1) as block_label,  -- the dictionary's name of the block, e.g. 行政复议
        b.maintained,
        b.corrected,
        b.other,
        b.pending,
        b.total,
        b.total - b.pending as concluded,
        f.r4_message
    from blocks as b
    left join r4_findings as f on b.report_id = f.report_id and b.block = f.block
    left join metric_defs as d on d.key = b.block || '.total'
)

select * from final
order by agency, year, block_position
