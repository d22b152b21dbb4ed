-- The text of each report of $report_ids: what the loader reads to sketch a report or to compare it
-- (loaders/similarity.py).
select
    report_id,
    text
from reports
where report_id in (select unnest(cast($report_ids as varchar[])))
order by report_id
