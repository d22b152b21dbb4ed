-- The scoring rubric's inputs from each current annual report of year $year (analytics/scoring.py): the
-- sections found, new requests, requests handled and those answered 予以公开 or 部分公开, and the review and
-- litigation cases concluded (总计 − 尚未审结) and corrected (结果纠正), with the lines they stand on.
-- Figures come from fct_values, so reviewers' corrections apply; an unstated figure stays null. The two rates
-- and the counts they divide are fct_reports' columns (disclosure_rate = disclosure_num / handled,
-- correction_rate = corr_num / corr_den, blocks that break R4 left out), the definitions every page shares.
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
        any_value(line) filter (where metric = 'outcome.total') as handled_line
    from figures
    where metric in ('outcome.total', 'outcome.granted', 'outcome.partial')
    group by report_id
),

cases as (
    -- where section 四 starts: the first line of a block that states its total
    select
        report_id,
        min(line) as cases_line
    from (
        select report_id, min(line) as line
        from figures
        where metric like 'review.%' or metric like 'litigation.%'
        group by report_id, regexp_extract(metric, '^(.*)\.[a-z_]+$', 1)
        having any_value(value) filter (where metric like '%.total') is not null
    )
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
        f.handled,
        o.handled_line,
        f.disclosure_num as disclosed,
        f.disclosure_rate,
        f.corr_den as cases_concluded,
        f.corr_num as cases_corrected,
        f.correction_rate,
        c.cases_line
    from reports as r
    left join requests as q on r.report_id = q.report_id
    left join outcomes as o on r.report_id = o.report_id
    left join cases as c on r.report_id = c.report_id
    left join fct_reports as f on r.report_id = f.report_id
)

select * from final
order by agency
