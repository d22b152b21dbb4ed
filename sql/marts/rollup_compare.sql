-- Roll-up of one reporting year ($year): what each government's report states for its own level and for its
-- units, beside the sum of its units' reports, the difference and the units missing (stg_rollup).
select
    government,
    scope,
    scope_label,
    metric,
    metric_label,
    stated,
    stated_raw,
    stated_line,
    summed,
    difference,
    units_expected,
    units_reported,
    units_stated,
    units_missing,
    units_unstated,
    r7_finding,
    report_id
from stg_rollup
where year = $year
order by government, scope, position
