-- What the 导入 page shows for the files it just imported: each stored report that the ingest
-- added ($report_ids) or that already held an uploaded file's exact content ($content_hashes, for
-- files the loader left unchanged), with the file it was stored from, how many figures state a
-- number (a printed "/" or blank is not counted) and how many findings the checks raised. The checks
-- run on current versions only, so an older version that a file matched says so (is_current).
with chosen as (
    select report_id, agency, year, template, version, source, source_path, content_hash
    from reports
    where list_contains($report_ids, report_id) or list_contains($content_hashes, content_hash)
),

figure_counts as (
    select report_id, count(value) as n_figures
    from stg_figures_corrected  -- reviewers' corrections applied
    where report_id in (select report_id from chosen)
    group by report_id
),

latest as (
    -- per chosen report: the newest version of its agency and year (a report without either is its own)
    select c.report_id, max(r.version) as latest_version
    from chosen as c
    inner join reports as r on r.report_id = c.report_id or (r.agency = c.agency and r.year = c.year)
    group by c.report_id
),

finding_counts as (
    select report_id, count(*) as n_findings
    from fct_findings
    where report_id in (select report_id from chosen)
    group by report_id
),

final as (
    select
        c.*,
        c.version = l.latest_version as is_current,
        coalesce(fc.n_figures, 0) as n_figures,
        coalesce(nc.n_findings, 0) as n_findings
    from chosen as c
    left join latest as l on c.report_id = l.report_id
    left join figure_counts as fc on c.report_id = fc.report_id
    left join finding_counts as nc on c.report_id = nc.report_id
)

select * from final
order by source_path, source
