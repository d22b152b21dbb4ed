-- The report the benchmark opens on the 报告详情 page: the agency's latest current report, one with
-- findings if it has any, so that the page's findings query has something to show.
select r.report_id
from stg_reports_current as r
where r.agency = $agency
order by exists (select 1 from fct_findings as f where f.report_id = r.report_id) desc, r.year desc
limit 1
