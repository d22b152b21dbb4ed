-- Every figure of one stored version ($report_id) as the report prints it (reviewers' corrections not applied):
-- what a new version of the report is compared with, figure by figure, before it is stored.
select metric, applicant, value, raw
from figures
where report_id = $report_id
order by metric, applicant nulls first
