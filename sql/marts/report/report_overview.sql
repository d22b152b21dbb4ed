-- One row per current report (the newest version for each agency and year) with the number of
-- figures it states and the number of findings against it, for the dashboard's overview.
with figure_counts as (
    -- count(value): a printed "/" or blank cell is a figure without a number and is not counted
    select
        report_id,
        count(value) as n_figures
    from stg_figures_corrected  -- reviewers' corrections applied
    group by report_id
),

finding_counts as (
    select
        report_id,
        count(*) as n_findings
    from findings
    group by report_id
),

final as (
    select
        r.report_id,
        r.agency,
        r.year,
        r.template,
        r.source,
        r.version,
        coalesce(fc.n_figures, 0) as n_figures,
        coalesce(nc.n_findings, 0) as n_findings
    from stg_reports_current as r
    left join figure_counts as fc on fc.report_id = r.report_id
    left join finding_counts as nc on nc.report_id = r.report_id
)

select * from final
order by agency, year, source
