-- Coverage of one reporting year ($year) for the 报送情况 page: the rows of the coverage query for the units
-- inside the sidebar's region, level, type and unit filters (the page's own year chooser replaces the year
-- range), with the report's source file for the reviewer.
select * exclude (year, position)
from coverage_rows($year, $year)
where year = $year  -- a null year lists nothing
    and in_selection(region, level, type, unit, year, $regions, $levels, $types, $agencies, $year_from, $year_to)
order by timeliness = '未发布' desc, position nulls last, unit
