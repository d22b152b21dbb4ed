-- The stored reports that lack an agency or a year (stg_reports_unidentified), for the 导入 page's list where a
-- user gives them: each with the file it came from, what it does state, when it was stored, how many figures
-- state a number and how many findings it has. Oldest first, the order they came in.
with figure_counts as (
    select report_id, count(value) as n_figures
    from stg_figures_corrected  -- reviewers' corrections applied
    where report_id in (select report_id from stg_reports_unidentified)
    group by report_id
),

finding_counts as (
    select report_id, count(*) as n_findings
    from fct_findings
    where report_id in (select report_id from stg_reports_unidentified)
    group by report_id
),

final as (
    select
        r.report_id,
        r.source,
        r.agency,
        r.year,
        r.template,
        r.ingested_at,
        coalesce(fc.n_figures, 0) as n_figures,
        coalesce(nc.n_findings, 0) as n_findings
    from stg_reports_unidentified as r
    left join figure_counts as fc on r.report_id = fc.report_id
    left join finding_counts as nc on r.report_id = nc.report_id
)

select * from final
order by ingested_at, source, report_id
