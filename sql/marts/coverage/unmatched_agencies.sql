-- Every agency name of current annual reports, all years, that the imported roster does not list under any name
-- (its units, earlier names and confirmed aliases), with the years it filed for: what the 导入 page offers to
-- match after an upload. Empty when no roster is imported (coverage_unmatched is the same for one year).
select
    r.agency,
    list(r.year order by r.year) as years
from stg_reports_current as r
where r.template is distinct from 'workplan'
    and exists (select 1 from roster_units)
    and not exists (select 1 from stg_coverage_names as n where n.name = r.agency)
group by r.agency
order by r.agency
