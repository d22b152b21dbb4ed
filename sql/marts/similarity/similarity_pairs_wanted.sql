-- The comparisons the loader makes for some peer groups' years (loaders/similarity.py), from the stored sketches
-- alone: one row per section of a current report and the report it is compared with.
-- - 上年: the same unit's report of the year before in the same peer group (of two such reports, the one of the
--   agency last in name order), when both have the section.
-- - 同类: in a group-year-section of at most $candidates + 1 reports, every other report; in a larger one the
--   $candidates reports sharing the most sketch shingles (ties: the smaller report id first), counting only the
--   shingles found in 2 to $max_df of the group-year-section's reports (more: a stock phrase).
-- The group-years are given as two lists read in step: $peer_groups (a null entry is the group of reports with no
-- peer group) and $years; the reports are those of stg_similarity_reports.
with wanted as (
    select
        unnest(cast($peer_groups as varchar[])) as peer_group,
        unnest(cast($years as integer[])) as year
),

current_members as (
    select
        m.*,
        w.group_id
    from stg_similarity_reports as m
    inner join
        (select *, row_number() over (order by peer_group nulls last, year) as group_id from wanted) as w
        on m.year = w.year and m.peer_group is not distinct from w.peer_group
),

previous_members as (
    select
        c.group_id,
        p.unit,
        arg_max(p.report_id, p.agency) as report_id
    from stg_similarity_reports as p
    inner join (select distinct group_id, peer_group, year from current_members) as c
        on p.year = c.year - 1 and p.peer_group is not distinct from c.peer_group
    group by c.group_id, p.unit
),

sections as (
    select
        c.report_id,
        c.group_id,
        c.unit,
        s.section,
        s.shingles
    from current_members as c
    inner join similarity_sketches as s on c.report_id = s.report_id
    where s.section is not null
),

previous_pairs as (
    select
        c.report_id,
        c.section,
        p.report_id as other_report_id,
        '上年' as relation
    from sections as c
    inner join previous_members as p on c.group_id = p.group_id and c.unit = p.unit
    inner join similarity_sketches as ps on p.report_id = ps.report_id and c.section = ps.section
),

sizes as (
    select
        group_id,
        section,
        count(*) as reports
    from sections
    group by group_id, section
),

small_pairs as (
    select
        a.report_id,
        a.section,
        b.report_id as other_report_id,
        '同类' as relation
    from sections as a
    inner join sizes as z on a.group_id = z.group_id and a.section = z.section
    inner join sections as b on a.group_id = b.group_id and a.section = b.section and a.report_id <> b.report_id
    where z.reports <= $candidates + 1
),

shingles as (
    select
        s.report_id,
        s.group_id,
        s.section,
        unnest(s.shingles) as shingle
    from sections as s
    inner join sizes as z on s.group_id = z.group_id and s.section = z.section
    where z.reports > $candidates + 1
),

kept as (
    select *
    from shingles
    qualify count(*) over (partition by group_id, section, shingle) between 2 and $max_df
),

overlap_counts as (
    select
        a.report_id,
        a.section,
        b.report_id as other_report_id,
        count(*) as shared
    from kept as a
    inner join kept as b
        on
            a.group_id = b.group_id
            and a.section = b.section
            and a.shingle = b.shingle
            and a.report_id <> b.report_id
    group by a.report_id, a.section, b.report_id
),

chosen as (
    select
        report_id,
        section,
        other_report_id,
        '同类' as relation
    from overlap_counts
    qualify row_number() over (partition by report_id, section order by shared desc, other_report_id) <= $candidates
),

final as (
    select * from previous_pairs
    union all
    select * from small_pairs
    union all
    select * from chosen
)

select
    f.*,
    c.peer_group,
    c.year
from final as f
inner join current_members as c on f.report_id = c.report_id
order by c.peer_group nulls last, c.year, f.section, f.report_id, f.relation, f.other_report_id
