-- The sketches of the synthetic reports, as the loader stores them when it reads a report (similarity_sketches):
-- the synthetic texts have no section with enough wording to compare, so each report has the one row that says
-- it was read. A real report uploaded into a synthetic peer group and year therefore finds no peer to compare
-- with, and the synthetic rows of that group-year, which no sketch supports, are dropped, as the loader drops rows
-- of comparisons it no longer makes.
insert into similarity_sketches (report_id)
select report_id
from stg_reports_current
where coalesce(template, '') <> 'workplan' and coalesce(source_format, '') <> 'collection'  -- as the loader
