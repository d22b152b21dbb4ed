-- The current reports of one peer group ($peer_group, possibly null) and year ($year) with their text: what
-- the loader compares when it stores the 雷同 rows (loaders/similarity.py), with the unit each counts for
-- (the roster unit of its name or an earlier name, else the agency itself). Work plans are not annual
-- reports, and a collection workbook row has figures but no prose: both stay out.
with final as (
    select
        r.report_id,
        r.agency,
        coalesce(a.unit, r.agency) as unit,
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
