-- The newest stored version of one agency's report for one year ($agency, $year), which a new upload of that
-- report would replace: the 导入 page compares the upload's text and figures with it before storing.
select report_id, version, content_hash, source, text
from reports
where agency = $agency and year = $year
order by version desc
limit 1
