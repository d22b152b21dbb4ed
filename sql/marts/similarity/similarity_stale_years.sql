-- The years whose 雷同 rows the loader recomputes after storing the reports in $report_ids: their years and
-- the year after each (whose 上年 comparisons read them), years with current reports but no row yet, and
-- years whose rows name a report that is no longer current (a newer version replaced it).
with current_reports as (
    select
        report_id,
        year
    from stg_reports_current
    where coalesce(template, '') <> 'workplan' and coalesce(source_format, '') <> 'collection'
),

new_years as (
    select distinct year
    from reports
    where list_contains($report_ids, report_id)
),

touched as (
    select year from new_years
    union
    select year + 1 as year from new_years
),

stored as (
    select distinct c.year
    from section_similarity as s
    inner join current_reports as c on s.report_id = c.report_id
),

missing as (
    select distinct year
    from current_reports
    where year not in (select year from stored)
),

stale as (
    select distinct r.year
    from section_similarity as s
    inner join reports as r on s.report_id = r.report_id
    where
        s.report_id not in (select report_id from current_reports)
        or s.other_report_id not in (select report_id from current_reports)
),

final as (
    select year from touched
    union
    select year from missing
    union
    select year from stale
)

select year
from final
where year in (select year from current_reports)
order by year
