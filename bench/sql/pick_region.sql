-- The region holding the most current reports: the benchmark's "one region" selection.
select coalesce(region, '（未注明）') as region
from stg_agencies
group by all
order by sum(reports) desc, region
limit 1
