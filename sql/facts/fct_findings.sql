-- The findings of current reports, computed once at ingest and stored: the checks read every figure,
-- too much work to repeat on each page view.
select
    f.*,
    a.region,
    a.agency_level,
    a.agency_type
from findings as f
left join stg_agencies as a on f.agency = a.agency
