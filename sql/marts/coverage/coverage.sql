-- Coverage of one reporting year ($year): one row per unit expected to report (the roster's units, or every
-- agency with a report when no roster is imported), with the report that stands for it, the publication date,
-- the deadline and the timeliness (按时, 逾期, 日期不详, 未发布). The findings, scoring and export features
-- read this query; the 报送情况 page reads coverage_selection, the same rows (coverage_rows) within the
-- sidebar's filters.
select * exclude (source, year, position)
from coverage_rows($year, $year)
where year = $year  -- a null year lists nothing
order by position nulls last, unit
