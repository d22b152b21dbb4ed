-- The scoring rubric's inputs from each current annual report of year $year (analytics/scoring.py): the
-- sections found, new requests, requests handled and those answered 予以公开 or 部分公开, and the review and
-- litigation cases concluded (总计 − 尚未审结) and corrected (结果纠正), with the lines they stand on.
-- Figures come from fct_values, so reviewers' corrections apply; an unstated figure stays null.
with reports as (
    select
        report_id,
        agency,
        template,
        source_format,
        coalesce(sections, []) as sections
    from stg_reports_current
    where year = $year and template is distinct from 'workplan'
),

figures as (
    -- only the metrics read below: fct_values is sorted by metric, so the scan skips the others
    select report_id, metric, applicant, value, line
    from fct_values
    where year = $year
        and applicant in ('total', '')
        and (
            metric in ('requests.new', 'outcome.total', 'outcome.granted', 'outcome.partial')
            or metric like 'review.%'
            or metric like 'litigation.%'
        )
),

requests as (
    -- the 总计 column of a table, else the figure prose states
    select
        report_id,
        coalesce(
            any_value(value) filter (where applicant = 'total'), any_value(value) filter (where applicant = '')
        ) as requests,
        coalesce(
            any_value(line) filter (where applicant = 'total'), any_value(line) filter (where applicant = '')
        ) as requests_line
    from figures
    where metric = 'requests.new'
    group by report_id
),

outcomes as (
    select
        report_id,
        any_value(value) filter (where metric = 'outcome.total') as handled,
        any_value(line) filter (where metric = 'outcome.total') as handled_line,
        sum(value) filter (where metric in ('outcome.granted', 'outcome.partial')) as disclosed
    from figures
    where metric in ('outcome.total', 'outcome.granted', 'outcome.partial')
    group by report_id
),

blocks as (
    -- one row per block of section 四 that states its total; a block without one adds nothing
    select
        report_id,
        regexp_extract(metric, '^(.*)\.[a-z_]+$', 1) as block,
        any_value(value) filter (where metric like '%.total') as total,
        any_value(value) filter (where metric like '%.pending') as pending,
        any_value(value) filter (where metric like '%.corrected') as corrected,
        min(line) as line
    from figures
    where metric like 'review.%' or metric like 'litigation.%'
    group by report_id, block
),

cases as (
    select
        report_id,
        sum(total - coalesce(pending, 0)) as cases_concluded,
        sum(corrected) as cases_corrected,
        min(line) as cases_line
    from blocks
    where total is not null
    group by report_id
),

final as (
    select
        r.report_id,
        r.agency,
        r.template,
        r.source_format,
        r.sections,
        q.requests,
        q.requests_line,
        o.handled,
        o.handled_line,
        o.disclosed,
        c.cases_concluded,
        c.cases_corrected,
        c.cases_line
    from reports as r
    left join requests as q on r.report_id = q.report_id
    left join outcomes as o on r.report_id = o.report_id
    left join cases as c on r.report_id = c.report_id
)

select * from final
order by agency
