-- Every figure of every current report with the report's and agency's attributes beside it, stored as
-- a table at ingest and sorted by metric and applicant: a page that reads a few metrics then skips
-- most of the table, which keeps its queries fast on a hundred thousand reports. Values carry the
-- reviewers' corrections (stg_figures_corrected); every ingest, correction and roster import rebuilds it.
with final as (
    select
        f.metric,
        coalesce(f.applicant, '') as applicant,
        r.*,  -- the report's and its agency's attributes and report_order (stg_report_agencies)
        f.value,
        f.raw,
        f.kind,
        f.line,
        page_of(f.location) as page,  -- the PDF page the figure stands on; null for other formats
        f.percent,  -- a rate printed beside a prose figure (e.g. 办复率100%), so no page has to read figures
        f.sentence,
        f.corrected,  -- a reviewer's correction is in force; value is the corrected one
        f.original_value  -- the value as parsed, before any correction
    from stg_figures_corrected as f
    inner join stg_report_agencies as r on f.report_id = r.report_id
)

select * from final
order by metric, applicant, agency, year
