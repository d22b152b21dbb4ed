-- The current reports of some peer groups' years, with their text: what the loader compares when it stores the
-- 雷同 rows (loaders/similarity.py), with the unit each counts for (the roster unit of its name or an earlier
-- name, else the agency itself). The group-years are given as two lists read in step: $peer_groups (a null
-- entry is the group of reports with no peer group) and $years. Work plans are not annual reports, and a
-- collection workbook row has figures but no prose: both stay out.
with wanted as (
    select
        unnest(cast($peer_groups as varchar[])) as peer_group,
        unnest(cast($years as integer[])) as year
),

final as (
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
        exists (
            select 1 from wanted as w
            where w.year = r.year and w.peer_group is not distinct from a.peer_group
        )
        and coalesce(r.template, '') <> 'workplan'
        and coalesce(r.source_format, '') <> 'collection'  -- a workbook row holds figures, no prose
)

select * from final
order by peer_group nulls last, year, agency
