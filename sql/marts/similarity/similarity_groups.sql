-- The peer groups with current reports in each of the years $years, in the order the loader recomputes
-- their 雷同 rows (loaders/similarity.py): group by group, year after year, so that one group-year's
-- reports serve as the next year's 上年 reports.
select distinct
    peer_group,
    year
from stg_similarity_reports
where list_contains($years, year)
order by peer_group nulls last, year
