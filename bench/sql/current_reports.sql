-- How many current reports a database holds: the size the benchmark labels it with.
select count(*) as reports
from stg_reports_current
