-- The last reports stored: what an upload just added, for the 导入 page's query.
select report_id
from reports
order by ingested_at desc, report_id
limit 20
