-- Annual reports of one year ($year) filed by agencies that are not on the imported roster under any name:
-- a unit the roster forgot, or a name that changed without a rename row. Empty when no roster is imported.
select
    r.agency,
    r.report_id,
    r.published_on,
    r.source
from stg_reports_current as r
where r.year = $year
    and r.template is distinct from 'workplan'
    and exists (select 1 from roster_units)
    and not exists (select 1 from stg_coverage_names as n where n.name = r.agency)
order by r.agency
