-- A finding of the agency the benchmark opens, for the pages that show one finding.
select finding_key
from fct_findings
order by agency = $agency desc, year desc, finding_key
limit 1
