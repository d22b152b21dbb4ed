-- How the 雷同 comparison groups each current report: its peer group and the unit it counts for
-- (stg_agencies). Importing a roster can change both; the loader compares this before and after the import
-- and recomputes the years of the reports whose grouping changed (loaders/similarity.py).
select
    report_id,
    peer_group,
    unit
from stg_similarity_reports
order by report_id
