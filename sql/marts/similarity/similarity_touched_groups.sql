-- The peer groups and years whose 雷同 comparisons the loader chooses again after storing the reports in $report_ids
-- (loaders/similarity.py): each new report's own peer group and year (its peers' candidates may change), and
-- the peer group of its unit's report of the next year (whose 上年 comparison reads it). Other groups and years
-- are left as they are: a report is never compared outside its peer group, its year and the year before.
with new_reports as (
    select * from stg_similarity_reports
    where list_contains($report_ids, report_id)
),

final as (
    select peer_group, year from new_reports
    union
    select g.peer_group, g.year
    from stg_similarity_reports as g
    inner join new_reports as n on g.unit = n.unit and g.year = n.year + 1
)

select * from final
order by peer_group nulls last, year
