-- A government with the most reports (then any agency): the benchmark's "one agency" selection.
select agency
from stg_agencies
order by agency_type = 'government' desc, reports desc, agency
limit 1
