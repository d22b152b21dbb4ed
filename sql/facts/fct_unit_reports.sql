-- Each current annual report with the unit it counts for and whether it is the one that stands for the unit in
-- its year (stg_unit_reports, pick = 1), stored at ingest and at every roster import: coverage and roll-up read
-- one year of it, which a stored table answers in a few milliseconds where the view ranks every report again.
select * from stg_unit_reports
order by year, unit, pick
