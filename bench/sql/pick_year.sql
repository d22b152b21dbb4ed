-- The year with the most current reports: the year a page showing one year is timed with.
select year
from stg_reports_current
group by year
order by count(*) desc, year desc
limit 1
