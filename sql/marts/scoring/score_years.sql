-- The reporting years the 评分排名 page offers, latest first: years with at least one current annual report.
select
    year,
    count(*) as reports
from stg_reports_current
where template is distinct from 'workplan' and year is not null
group by year
order by year desc
