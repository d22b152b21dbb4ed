-- Every figure of every current report with the report's and agency's attributes beside it, stored as
-- a table at ingest and sorted by metric and applicant: a page that reads a few metrics then skips
-- most of the table, which keeps its queries fast on a hundred thousand reports.
with reports as (
    select
        r.report_id,
        r.agency,
        r.year,
        r.template,
        a.region,
        a.agency_level,
        a.agency_type,
        a.peer_group
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
),

final as (
    select
        f.metric,
        coalesce(f.applicant, '') as applicant,
        r.*,
        f.value,
        f.raw,
        f.kind,
        f.line,
        f.percent,  -- a rate printed beside a prose figure (e.g. 办复率100%), so no page has to read figures
        f.sentence
    from figures as f
    inner join reports as r on f.report_id = r.report_id
)

select * from final
order by metric, applicant, agency, year
