-- The peer groups and years whose 雷同 rows the loader recomputes after storing the reports in $report_ids
-- (loaders/similarity.py): each new report's own peer group and year (its peers' candidates may change), and
-- the peer group of its unit's report of the next year (whose 上年 comparison reads it). Other groups and years
-- are left as they are: a report is never compared outside its peer group, its year and the year before.
with grouped as (
    select
        r.report_id,
        r.year,
        a.peer_group,
        coalesce(a.unit, r.agency) as unit
    from stg_reports_current as r
    left join stg_agencies as a on r.agency = a.agency
    where
        coalesce(r.template, '') <> 'workplan'
        and coalesce(r.source_format, '') <> 'collection'  -- a workbook row holds figures, no prose
),

new_reports as (
    select * from grouped
    where list_contains($report_ids, report_id)
),

final as (
    select peer_group, year from new_reports
    union
    select g.peer_group, g.year
    from grouped as g
    inner join new_reports as n on g.unit = n.unit and g.year = n.year + 1
)

select * from final
order by peer_group nulls last, year
