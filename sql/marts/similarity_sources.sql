-- The current reports of one peer group ($peer_group, possibly null) and year ($year) with their text: what
-- the loader compares when it stores the 雷同 rows (loaders/similarity.py). Work plans are not annual
-- reports, and a collection workbook row has figures but no prose: both stay out.
with final as (
    select
        r.report_id,
        r.agency,
        r.year,
        a.peer_group,
        r.text
    from stg_reports_current as r
    left join stg_agencies as a on r.agency = a.agency
    where
        r.year = $year
        and a.peer_group is not distinct from $peer_group
        and coalesce(r.template, '') <> 'workplan'
        and coalesce(r.source_format, '') <> 'collection'  -- a workbook row holds figures, no prose
)

select * from final
order by agency
