-- The reporting years coverage can be shown for, latest first, with how many units published a report.
select
    year,
    count(*) as units,
    count(report_id) as reported
from coverage_rows(null, null)
group by year
order by year desc
