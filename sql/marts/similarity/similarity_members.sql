-- The reports of some peer groups' years, without their text (stg_similarity_reports): which of them the loader
-- sketches and whose rows it may drop when it chooses the 雷同 comparisons of those group-years
-- (loaders/similarity.py), and whether each one's sketch is stored. The group-years are given as two lists read
-- in step: $peer_groups (a null entry is the group of reports with no peer group) and $years.
with wanted as (
    select
        unnest(cast($peer_groups as varchar[])) as peer_group,
        unnest(cast($years as integer[])) as year
)

select
    m.report_id,
    m.year,
    m.peer_group,
    exists (select 1 from similarity_sketches as s where s.report_id = m.report_id) as sketched
from stg_similarity_reports as m
where exists (select 1 from wanted as w where w.year = m.year and w.peer_group is not distinct from m.peer_group)
order by m.report_id
