-- The years whose 雷同 comparisons the loader makes again whole: the years of the reports in $report_ids (those a
-- roster import regrouped) and the year after each (whose 上年 comparisons read them), years with a current report
-- never sketched, years whose rows or pairs name a report that is no longer current (a newer version replaced
-- it, outside the group-years a write compared again), and years with rows stored before the longest passage had
-- a column of its own.
with current_reports as (
    select
        report_id,
        year
    from stg_similarity_reports
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

missing as (
    -- years with a current report never sketched (stored before sketches were, or by a write that was not this
    -- loader's)
    select distinct c.year
    from current_reports as c
    where not exists (select 1 from similarity_sketches as s where s.report_id = c.report_id)
),

stale as (
    select distinct r.year
    from (
        select report_id, other_report_id from section_similarity
        union all
        select report_id, other_report_id from similarity_pairs
    ) as s
    inner join reports as r on s.report_id = r.report_id
    where
        s.report_id not in (select report_id from current_reports)
        or s.other_report_id not in (select report_id from current_reports)
),

unquoted as (
    -- rows with passages stored before the longest one had a column of its own
    select distinct r.year
    from section_similarity as s
    inner join reports as r on s.report_id = r.report_id
    where s.longest is null and json_array_length(s.passages) > 0
),

final as (
    select year from touched
    union
    select year from missing
    union
    select year from stale
    union
    select year from unquoted
)

select year
from final
where year in (select year from current_reports)
order by year
