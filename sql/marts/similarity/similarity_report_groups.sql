-- How the 雷同 comparison groups each current report: its peer group and the unit it counts for
-- (stg_agencies). Importing a roster can change both; the loader compares this before and after the import
-- and recomputes the years of the reports whose grouping changed (loaders/similarity.py).
with final as (
    select
        r.report_id,
        a.peer_group,
        coalesce(a.unit, r.agency) as unit
    from stg_reports_current as r
    left join stg_agencies as a on r.agency = a.agency
    where
        coalesce(r.template, '') <> 'workplan'
        and coalesce(r.source_format, '') <> 'collection'  -- a workbook row holds figures, no prose
)

select * from final
order by report_id
