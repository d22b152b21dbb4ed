-- R5: what the prose says agrees with the tables. Three ways it can fail:
--   1. a prose mention differs from the table figure of the same metric and column;
--   2. a category total in prose ("不予公开12件", stored as outcome.<category>.unspecified) differs
--      from the sum of that category's table rows, when the table states every one of them;
--   3. a printed rate ("占58.10%") differs from value / denominator * 100 by more than half a unit
--      of its last printed decimal; the denominator is 办理结果总计 for outcomes and 新收申请 for
--      request channels;
--   4. where a row's 总计 cell is blank, a prose total differs from the sum of the six applicant cells
--      when all six are stated.
-- Only plain mentions take part: an approximate figure ("9800余条") or one about another scope
-- ("政府层面的申请16件", which R7 checks; "全区…" in a department's report) is not meant to equal the table.
-- Nor is a plain total when the table is the government level's: a government's report that states a
-- government-level figure equal to its table has a table of that level, and its 全区 totals are another scope.
-- When the table side is a cell the parser placed by inference (doubted_reading), a disagreement is
-- reported as the parser's finding (PARSE), since the reading is what is in question.
with plain_mentions as (
    select *
    from stg_mentions
    where qualifier is null
        and value is not null
),

table_figures as (
    select *
    from stg_figures
    where kind = 'table'
),

government_level as (
    select report_id, metric, applicant, value
    from stg_mentions
    where qualifier = 'government_level'
        and value is not null
),

labelled_mentions as (
    select
        m.*,
        coalesce(m.metric_label, m.metric)
        || case when a.key is null or a.key = 'total' then '' else '（' || a.label || '）' end as what
    from plain_mentions as m
    left join applicant_defs as a on m.applicant = a.key
),

-- 1. same metric and column, different number
same_key as (
    select
        m.report_id,
        m.agency,
        m.year,
        format('{}：正文{} ≠ 表格{}', m.what, fmt_num(m.value), fmt_num(t.value)) as message,
        [
            finding_cell(m.metric, m.applicant, m.value, m.raw, m.line),
            finding_cell(t.metric, t.applicant, t.value, t.raw, t.line)
        ] as cells,
        doubted_reading(t.qualifier) as doubted
    from labelled_mentions as m
    inner join table_figures as t
        on m.report_id = t.report_id
        and m.metric = t.metric
        and m.applicant is not distinct from t.applicant
    where t.value is not null
        and abs(m.value - t.value) > 1e-9
        and not exists (
            select 1
            from government_level as g
            where g.report_id = m.report_id
                and g.metric = m.metric
                and g.applicant is not distinct from m.applicant
                and abs(g.value - t.value) <= 1e-9
        )
),

-- 2. category totals against the category's rows (only where no table row has the same key,
--    as the single （六）其他处理 row of the 2019 template does; branch 1 covers that one)
category_labels as (
    select * from (
        values
            ('granted', '予以公开'),
            ('partial', '部分公开'),
            ('denied', '不予公开'),
            ('unavailable', '无法提供'),
            ('not_processed', '不予处理'),
            ('other', '其他处理')
    ) as t (category, label)
),

-- (the sums of every category of every report; the evidence cells are gathered only for the totals that differ)
category_rows as (
    select
        *,
        split_part(metric, '.', 2) as category
    from table_figures
    where metric like 'outcome.%.%'
),

category_sums as (
    select
        report_id,
        applicant,
        category,
        sum(value) as rows_sum,
        count(*) as row_count,
        count(value) as stated
    from category_rows
    group by report_id, applicant, category
),

category_differences as (
    select
        m.*,
        c.category,
        c.rows_sum,
        coalesce(l.label, c.category) as category_label
    from labelled_mentions as m
    inner join category_sums as c
        on m.report_id = c.report_id
        and m.applicant is not distinct from c.applicant
        and split_part(m.metric, '.', 2) = c.category
    left join category_labels as l on c.category = l.category
    where m.metric like 'outcome.%.unspecified'
        and c.row_count = c.stated
        and abs(m.value - c.rows_sum) > 1e-9
        and not exists (
            select 1
            from table_figures as t
            where t.report_id = m.report_id
                and t.metric = m.metric
                and t.applicant is not distinct from m.applicant
        )
),

category_cells as (
    select
        r.report_id,
        r.applicant,
        r.category,
        list(finding_cell(r.metric, r.applicant, r.value, r.raw, r.line) order by r.line, r.metric) as cells,
        bool_or(doubted_reading(r.qualifier)) as doubted
    from category_rows as r
    inner join (select distinct report_id, applicant, category from category_differences) as d
        on r.report_id = d.report_id
        and r.applicant is not distinct from d.applicant
        and r.category = d.category
    group by r.report_id, r.applicant, r.category
),

category_totals as (
    select
        m.report_id,
        m.agency,
        m.year,
        format('{}：正文{} ≠ 表格该类各项之和{}', m.category_label, fmt_num(m.value), fmt_num(m.rows_sum)) as message,
        list_prepend(finding_cell(m.metric, m.applicant, m.value, m.raw, m.line), c.cells) as cells,
        c.doubted
    from category_differences as m
    inner join category_cells as c
        on m.report_id = c.report_id
        and m.applicant is not distinct from c.applicant
        and m.category = c.category
),

-- 3. printed rates against the arithmetic
denominators as (
    select report_id, metric, value, raw, line
    from stg_figures
    where applicant = 'total'
        and metric in ('outcome.total', 'requests.new')
        and value > 0
),

rated as (
    select
        m.*,
        d.value as denominator,
        d.metric as denominator_metric,
        d.raw as denominator_raw,
        d.line as denominator_line,
        m.value / d.value * 100 as computed,
        -- the rate as printed, found again in the sentence, tells how many decimals were printed
        list_filter(
            regexp_extract_all(coalesce(m.sentence, ''), '([0-9]+(?:\.[0-9]+)?)\s*[%％]', 1),
            lambda p: abs(cast(p as double) - m.percent) < 1e-9
        )[1] as printed
    from labelled_mentions as m
    inner join denominators as d
        on m.report_id = d.report_id
        and d.metric = case
            when m.metric like 'outcome.%' then 'outcome.total'
            when m.metric like 'channel.%' then 'requests.new'
        end
    where m.percent is not null
),

measured as (
    select
        *,
        length(split_part(coalesce(printed, cast(percent as varchar)), '.', 2)) as decimals
    from rated
),

rates as (
    select
        report_id,
        agency,
        year,
        format(
            '{}：正文占比{}%，按{}÷{}计算应为{}%',
            what,
            coalesce(printed, fmt_num(percent)),
            fmt_num(value),
            fmt_num(denominator),
            printf('%.' || decimals || 'f', computed)
        ) as message,
        [
            finding_cell(metric, applicant, value, raw, line),
            finding_cell(denominator_metric, 'total', denominator, denominator_raw, denominator_line)
        ] as cells,
        false as doubted
    from measured
    where abs(computed - percent) > 0.5 * pow(10, -decimals) + 1e-9
),

-- 4. a prose total against the applicant columns of a row whose 总计 cell is blank
-- (the sums of every row; the evidence cells are gathered only for the totals that differ)
applicant_cells as (
    select *
    from table_figures
    where applicant is not null
        and applicant <> 'total'
        and (metric like 'requests.%' or metric like 'outcome.%')
),

row_sums as (
    select
        report_id,
        metric,
        sum(value) as columns_sum,
        count(distinct applicant) filter (where value is not null) as stated
    from applicant_cells
    group by report_id, metric
),

blank_total_differences as (
    select
        m.*,
        s.columns_sum
    from labelled_mentions as m
    inner join row_sums as s on m.report_id = s.report_id and m.metric = s.metric
    where m.applicant = 'total'
        and s.stated = 6
        and abs(m.value - s.columns_sum) > 1e-9
        and not exists (
            select 1
            from table_figures as t
            where t.report_id = m.report_id
                and t.metric = m.metric
                and t.applicant = 'total'
                and t.value is not null
        )
        and not exists (
            select 1
            from government_level as g
            where g.report_id = m.report_id
                and g.metric = m.metric
                and g.applicant = 'total'
                and abs(g.value - s.columns_sum) <= 1e-9
        )
),

row_cells as (
    select
        c.report_id,
        c.metric,
        list(finding_cell(c.metric, c.applicant, c.value, c.raw, c.line) order by c.line, c.applicant) as cells,
        bool_or(doubted_reading(c.qualifier)) as doubted
    from applicant_cells as c
    inner join (select distinct report_id, metric from blank_total_differences) as d
        on c.report_id = d.report_id and c.metric = d.metric
    group by c.report_id, c.metric
),

blank_totals as (
    select
        m.report_id,
        m.agency,
        m.year,
        format('{}：正文{} ≠ 表格六类申请人之和{}（总计栏空白）', m.what, fmt_num(m.value), fmt_num(m.columns_sum))
            as message,
        list_prepend(finding_cell(m.metric, m.applicant, m.value, m.raw, m.line), c.cells) as cells,
        c.doubted
    from blank_total_differences as m
    inner join row_cells as c on m.report_id = c.report_id and m.metric = c.metric
),

violations as (
    select * from same_key
    union all
    select * from category_totals
    union all
    select * from rates
    union all
    select * from blank_totals
),

final as (
    select
        report_id,
        agency,
        year,
        case when doubted then 'PARSE' else 'R5' end as rule,
        'warning' as severity,
        case when doubted then doubted_message('R5', message) else message end as message,
        to_json(cells) as cells
    from violations
)

select * from final
