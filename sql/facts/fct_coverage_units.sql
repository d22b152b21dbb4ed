-- The units expected to publish an annual report (stg_coverage_units: the roster's units, or every agency with an
-- annual report), stored at ingest and at every roster import: the coverage and roll-up queries read them for one
-- year at a time, and working them out again from every report on each page view is too slow for a province.
select * from stg_coverage_units
order by unit
