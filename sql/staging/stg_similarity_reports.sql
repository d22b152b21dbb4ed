-- The reports the 雷同 comparison reads (loaders/similarity.py), each with how it is grouped: the current annual
-- reports (a work plan is not one, and a collection workbook row has figures but no prose), each with its year,
-- its peer group (stg_agencies: the roster's, else level and type from the name) and the unit it counts for (the
-- roster unit of its name or an earlier name, else the agency itself).
select
    r.report_id,
    r.agency,
    coalesce(a.unit, r.agency) as unit,
    r.year,
    a.peer_group
from stg_reports_current as r
left join stg_agencies as a on r.agency = a.agency
where
    coalesce(r.template, '') <> 'workplan'
    and coalesce(r.source_format, '') <> 'collection'
