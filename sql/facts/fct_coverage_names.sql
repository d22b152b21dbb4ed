-- Every name a unit's reports may be filed under (stg_coverage_names: its own and, through the roster's renames
-- and mergers, its earlier ones), stored at ingest and at every roster import beside fct_coverage_units: coverage
-- lists a merged unit that did not report under its own name (coverage_rows).
select * from stg_coverage_names
order by unit, name
