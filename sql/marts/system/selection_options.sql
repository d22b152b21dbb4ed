-- What the sidebar offers: every agency with its region, level and type, and the years it reported.
select
    agency,
    coalesce(region, '（未注明）') as region,
    agency_level,
    agency_type,
    peer_group,
    first_year,
    last_year,
    reports
from stg_agencies
order by agency
