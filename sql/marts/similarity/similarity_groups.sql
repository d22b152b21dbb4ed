-- The peer groups with current reports in each of the years $years, in the order the loader recomputes
-- their 雷同 rows (loaders/similarity.py): group by group, year after year, so that one group-year's
-- reports serve as the next year's 上年 reports.
with final as (
    select distinct
        a.peer_group,
        r.year
    from stg_reports_current as r
    left join stg_agencies as a on r.agency = a.agency
    where
        list_contains($years, r.year)
        and coalesce(r.template, '') <> 'workplan'
        and coalesce(r.source_format, '') <> 'collection'  -- a workbook row holds figures, no prose
)

select * from final
order by peer_group nulls last, year
