-- Coverage as the coverage queries list it: one row per expected unit and reporting year (stg_coverage) in
-- the columns they return, with the year and the roster position they filter and sort by last.
select
    unit,
    parent,
    level,
    type,
    peer_group,
    report_id,
    published_on,
    deadline,
    timeliness,
    days_late,
    filed_as,
    note,
    source,
    region,
    on_roster,
    year,
    position
from stg_coverage
