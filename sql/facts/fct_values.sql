-- Every figure of every current report with the report's and agency's attributes beside it, stored as
-- a table at ingest and sorted by metric and applicant: a page that reads a few metrics then skips
-- most of the table, which keeps its queries fast on a hundred thousand reports. Values carry the
-- reviewers' corrections (stg_figures_corrected); every review write rebuilds this table.
with reports as (
    select
        r.report_id,
        r.agency,
        r.year,
        r.template,
        a.region,
        a.agency_level,
        a.agency_type,
        a.peer_group,
        -- the report's place in (agency, year) order, as in fct_reports: pages list figures in that order,
        -- and sorting by one integer is several times faster than by the agency's name
        row_number() over (order by r.agency, r.year) as report_order
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
        f.sentence,
        f.corrected,  -- a reviewer's correction is in force; value is the corrected one
        f.original_value  -- the value as parsed, before any correction
    from stg_figures_corrected as f
    inner join reports as r on f.report_id = r.report_id
)

select * from final
order by metric, applicant, agency, year
